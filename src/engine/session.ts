import { CATEGORY_IDS, isCategoryId, type CategoryId } from '../categories.js';
import { loadAttackerPool, loadCast, loadScenarios } from '../config/load.js';
import { benignControls, benignTrainingSplit } from '../config/scenario-split.js';
import type { AttackerPool, Cast, Scenario } from '../config/schemas.js';
import { thresholdConsensus } from '../defense/consensus.js';
import type { Attacker } from '../domain.js';
import { ConfigError, UsageError } from '../errors.js';
import { Healer } from '../healer/healer.js';
import { buildAttacker, buildDefender, modelRecord, type ModelContext } from '../models/factory.js';
import { Store } from '../store/store.js';
import type { EventSink } from './events.js';
import { drawPlan } from './plan.js';
import { runWargame, type WargameResult } from './wargame.js';

export interface WargameOptions {
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
  env?: NodeJS.ProcessEnv;
  emit?: EventSink;
  stop?: AbortSignal;
  abort?: AbortSignal;
}

/** The run's full configuration as stored in `runs.config_json`: enough to run it again. */
export interface StoredConfig {
  options: { rounds: number; batchSize: number; seed: number; benignRatio: number; heal: boolean; categories: CategoryId[]; scenariosDir: string };
  cast: Cast;
  attackers: AttackerPool;
}

export function checkNumber(name: string, value: number, min: number, max: number, integer = true): number {
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || value > max) {
    throw new UsageError(`${name} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max} (got ${String(value)}).`);
  }
  return value;
}

export function parseCategories(values: readonly string[] | undefined): CategoryId[] {
  if (!values || values.length === 0) return [...CATEGORY_IDS];
  const out: CategoryId[] = [];
  for (const v of values.flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean)) {
    if (!isCategoryId(v)) throw new UsageError(`unknown category "${v}"; run "hive categories" for the 13 valid ids.`);
    if (!out.includes(v)) out.push(v);
  }
  return out;
}

/** Guard corpus for the healer: every benign text of every scenario. */
export function benignGuard(scenarios: ReadonlyMap<CategoryId, Scenario>): string[] {
  return [...scenarios.values()].flatMap((s) => [...benignControls(s), ...benignTrainingSplit(s)]);
}

export function buildAttackers(pool: AttackerPool, ctx: ModelContext): Map<string, Attacker> {
  return new Map(pool.attackers.map((entry) => [entry.name, buildAttacker(entry, ctx)]));
}

export interface WargameSession {
  runId: number;
  result: WargameResult;
}

/** Loads everything, records the run, plays it. Never prints: all news goes through `emit`. */
export async function startWargame(o: WargameOptions): Promise<WargameSession> {
  checkNumber('--rounds', o.rounds, 1, 10_000_000);
  checkNumber('--batch', o.batchSize, 1, 1_000_000);
  checkNumber('--concurrency', o.concurrency, 1, 1024);
  checkNumber('--benign-ratio', o.benignRatio, 0, 1, false);
  checkNumber('--seed', o.seed, -(2 ** 31), 2 ** 31 - 1);
  const categories = parseCategories(o.categories);
  const cast = loadCast(o.castPath);
  const pool = loadAttackerPool(o.attackersPath);
  const scenarios = loadScenarios(o.scenariosDir);
  const ctx: ModelContext = { scenarios, env: o.env ?? process.env };
  const defenders = cast.defenders.map((d) => buildDefender(d, ctx));
  const attackers = buildAttackers(pool, ctx);
  if (o.benignRatio < 1 && attackers.size === 0) throw new ConfigError(`attacker pool ${o.attackersPath} has no attackers.`);

  const plan = drawPlan({
    seed: o.seed,
    rounds: o.rounds,
    batchSize: o.batchSize,
    categories,
    attackers: pool.attackers.map((a) => ({ name: a.name, weight: a.weight })),
    benignRatio: o.benignRatio,
    benignCount: (c) => benignControls(scenarios.get(c) as Scenario).length,
  });
  const heal = o.heal && cast.healer.enabled;
  const config: StoredConfig = {
    options: { rounds: o.rounds, batchSize: o.batchSize, seed: o.seed, benignRatio: o.benignRatio, heal, categories, scenariosDir: o.scenariosDir },
    cast,
    attackers: pool,
  };

  const store = Store.open(o.dbPath);
  try {
    const runId = store.createRun({
      kind: 'wargame',
      seed: o.seed,
      castName: cast.name,
      attackersName: pool.name,
      roundsPlanned: o.rounds,
      batchSize: o.batchSize,
      replayOf: null,
      config,
      plan: plan.map((p) => [p.kind === 'attack' ? 'A' : 'B', p.category, p.attacker]),
      models: [...cast.defenders.map((d) => modelRecord('defender', d)), ...pool.attackers.map((a) => modelRecord('attacker', a))],
    });
    const healer = heal ? new Healer(cast.healer, benignGuard(scenarios)) : undefined;
    let result: WargameResult;
    try {
      result = await runWargame({
        runId,
        seed: o.seed,
        plan,
        scenarios,
        attackers,
        defenders,
        consensus: thresholdConsensus(cast.consensus),
        strategy: cast.consensus.strategy,
        healer,
        lag: cast.healer.lag,
        store,
        concurrency: o.concurrency,
        ...(o.emit ? { emit: o.emit } : {}),
        ...(o.stop ? { stop: o.stop } : {}),
        ...(o.abort ? { abort: o.abort } : {}),
      });
    } catch (err) {
      store.finishRun(runId, 'failed', err instanceof Error ? err.message : String(err));
      throw err;
    }
    store.finishRun(runId, result.status, result.reason);
    return { runId, result };
  } finally {
    store.close();
  }
}
