/** `hive wargame` (and reproduce and ci, which play wargames): check, configure, build, play. */
import { loadAttackerPool, loadCast } from '../config/load.js';
import { loadScenarios } from '../config/scenarios.js';
import { storedRunConfig, type RunCommand, type WargameConfig } from '../config/run-config.js';
import { createBudget, type BudgetLimits } from './budget.js';
import { buildRun, checkAttackers } from './build.js';
import type { EventSink } from './events.js';
import { UsageError } from '../errors.js';
import { planHealer, type HealerFlags } from './healer-setup.js';
import { checkNumber, parseCategories } from './options.js';
import { noConversationReason, wargamePlan } from './plan.js';
import { playNewRun, type WargameSession } from './run-session.js';
import { DEFAULT_MAX_TURNS } from './conversation.js';
import { benignConversationCounts } from './players.js';

export interface WargameOptions extends HealerFlags {
  rounds: number;
  castPath: string;
  attackersPath: string;
  scenariosDir: string;
  dbPath: string;
  batchSize: number;
  seed: number;
  concurrency: number;
  benignRatio: number;
  heal: boolean;
  categories?: readonly string[] | undefined;
  /** The command that asked for the run (stored with it); default wargame. */
  command?: Extract<RunCommand, 'wargame' | 'reproduce' | 'ci'> | undefined;
  env?: NodeJS.ProcessEnv;
  emit?: EventSink;
  stop?: AbortSignal;
  abort?: AbortSignal;
  /** --max-tokens, --max-minutes, --max-cost: stop gracefully as `budget_exhausted`. */
  budget?: BudgetLimits | undefined;
  /** --multi-turn: share of attack rounds and benign controls played as conversations. */
  multiTurn?: number | undefined;
  /** --max-turns: the most user turns of a conversation (default 5). */
  maxTurns?: number | undefined;
  /** --refinements: rewritten attempts after a block, for attacker entries that give none. */
  refinements?: number | undefined;
}

export type { WargameSession } from './run-session.js';

/** Loads everything, records the run, plays it. Never prints: all news goes through `emit`. */
export async function startWargame(o: WargameOptions): Promise<WargameSession> {
  checkNumber('--rounds', o.rounds, 1, 10_000_000);
  checkNumber('--batch', o.batchSize, 1, 1_000_000);
  checkNumber('--concurrency', o.concurrency, 1, 1024);
  checkNumber('--benign-ratio', o.benignRatio, 0, 1, false);
  checkNumber('--seed', o.seed, -(2 ** 31), 2 ** 31 - 1);
  if (o.multiTurn !== undefined) checkNumber('--multi-turn', o.multiTurn, 0, 1, false);
  // A conversation is at least an opener and a turn after it: one user turn is a single input.
  if (o.maxTurns !== undefined && !(Number.isInteger(o.maxTurns) && o.maxTurns >= 2 && o.maxTurns <= 20)) {
    throw new UsageError(`--max-turns must be a whole number from 2 to 20: a conversation needs at least 2 user turns (got ${String(o.maxTurns)}).`);
  }
  if (o.refinements !== undefined) checkNumber('--refinements', o.refinements, 0, 20);
  const categories = parseCategories(o.categories);
  const cast = loadCast(o.castPath);
  const pool = loadAttackerPool(o.attackersPath);
  const scenarios = loadScenarios(o.scenariosDir);
  checkAttackers(pool, o.benignRatio, o.attackersPath);
  const heal = o.heal && cast.healer.enabled;
  const healerPlan = planHealer(o, heal);
  if (healerPlan.freezeAfter !== undefined && healerPlan.freezeAfter >= o.rounds) {
    // Frozen after the last round: no held-out phase would exist to measure.
    throw new UsageError(`--freeze-healer-after ${healerPlan.freezeAfter} leaves no held-out phase in a run of ${o.rounds} rounds; pass a number below --rounds (e.g. --freeze-healer-after ${Math.floor(o.rounds / 2)}).`);
  }
  const config: WargameConfig = storedRunConfig({
    version: 2,
    kind: 'wargame',
    command: o.command ?? 'wargame',
    options: {
      rounds: o.rounds,
      batchSize: o.batchSize,
      seed: o.seed,
      benignRatio: o.benignRatio,
      heal,
      categories,
      scenariosDir: o.scenariosDir,
      immunity: [...(o.immunity ?? [])],
      vaccines: [...(o.vaccines ?? [])],
      freezeHealerAfter: o.freezeHealerAfter ?? null,
      // Stored only when asked for: a run without them stores the configuration it always did.
      ...(o.multiTurn !== undefined && o.multiTurn > 0 ? { multiTurn: o.multiTurn, maxTurns: o.maxTurns ?? DEFAULT_MAX_TURNS } : {}),
      ...(o.refinements !== undefined && o.refinements > 0 ? { refinements: o.refinements } : {}),
    },
    cast,
    attackers: pool,
  }) as WargameConfig;
  const env = o.env ?? process.env;
  // A run whose first call would fail (host down, model not pulled, key unset) is refused before it is created.
  for (const text of scenarios.notices) o.emit?.({ type: 'notice', text });
  const noConversation = noConversationReason(o);
  if (noConversation !== undefined) o.emit?.({ type: 'notice', text: `${noConversation}.` });
  if (o.maxTurns !== undefined && !(o.multiTurn !== undefined && o.multiTurn > 0)) o.emit?.({ type: 'notice', text: '--max-turns applies to conversations: without --multi-turn R no conversation is played.' });
  const built = await buildRun({
    cast,
    pool,
    scenarios,
    env,
    heal,
    healerStart: { kind: 'files', plan: healerPlan },
    freezeHealerAfter: healerPlan.freezeAfter,
    play: { multiTurn: config.options.multiTurn, maxTurns: config.options.maxTurns, refinements: config.options.refinements },
    doctorCommand: `hive doctor --cast ${o.castPath} --attackers ${o.attackersPath}`,
    signal: o.abort,
  });
  return playNewRun({
    dbPath: o.dbPath,
    config,
    plan: wargamePlan(config, scenarios.categories, benignConversationCounts(scenarios)),
    built,
    seed: o.seed,
    scenarios: scenarios.categories,
    attackersName: pool.name,
    replayOf: null,
    controls: { concurrency: o.concurrency, emit: o.emit, stop: o.stop, abort: o.abort, budget: createBudget(o.budget, cast, pool) },
  });
}
