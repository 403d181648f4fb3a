/**
 * `hive wargame --resume <run>`: continues a run that stopped early (Ctrl-C, a budget, a lost
 * quorum, a crash, `kill -9`) with the same plan, keeping every stored round.
 *
 * Why the resumed run plays exactly as an uninterrupted one would:
 * - the plan is redrawn from the stored seed and configuration, and checked against the stored
 *   plan, so every round asks for the same category, kind and attacker;
 * - a round is stored in one transaction with its votes and healer events, so after any crash a
 *   round is either wholly stored (kept) or not at all (played again);
 * - rounds are stored strictly in round order, so the stored rounds are always rounds 1..k;
 * - the healer is rebuilt by replaying its stored events in the order they were written (the
 *   order the healer made them), which re-adds every pattern with its id, every retirement and
 *   every antibody with the round it becomes visible from; embedded models keep no other state.
 */
import { z } from 'zod';
import { CATEGORY_IDS } from '../categories.js';
import { loadScenarios } from '../config/load.js';
import { benignControls } from '../config/scenario-split.js';
import { AttackerPoolSchema, CastSchema, type Scenario } from '../config/schemas.js';
import { thresholdConsensus } from '../defense/consensus.js';
import type { Verdict } from '../domain.js';
import { ConfigError, UsageError } from '../errors.js';
import { Healer, type HealerEvent } from '../healer/healer.js';
import { buildDefender, type ModelContext } from '../models/factory.js';
import { needsPreflight, preflight, preflightError } from '../models/preflight.js';
import { countOutcomes } from '../stats/outcomes.js';
import { attackTexts, batchNumbers, recentBlockedAttacks, storedHealerEvents, tokensByModel, votesByRound } from '../store/history.js';
import type { RunRow, StoredRound } from '../store/records.js';
import { Store } from '../store/store.js';
import { createBudget, type BudgetLimits } from './budget.js';
import type { EventSink } from './events.js';
import { BatchHealth } from './health.js';
import { drawPlan, type PlannedRound } from './plan.js';
import { benignGuard, buildAttackers, checkNumber, type StoredConfig } from './session.js';
import { playOpenRun, thisProcess, type WargameSession } from './stored-run.js';
import { ADAPTIVE_MEMORY, type PreviousRound } from './wargame.js';

export interface ResumeOptions {
  runId: number;
  dbPath: string;
  /** Not part of the stored configuration: outcomes do not depend on it. */
  concurrency: number;
  /** Budgets for the resumed run (tokens and cost count what the run spent before, too). */
  budget?: BudgetLimits | undefined;
  quorumLossAfter?: number | undefined;
  env?: NodeJS.ProcessEnv;
  emit?: EventSink;
  stop?: AbortSignal;
  abort?: AbortSignal;
  /** Called once the run is checked and about to continue, with what the caller may want to print. */
  onReady?: (info: ResumeInfo) => void;
}

export interface ResumeInfo {
  runId: number;
  seed: number;
  castName: string;
  attackersName: string | null;
  roundsPlanned: number;
  previousStatus: RunRow['status'];
  /** The rounds stored before this session (for a summary of the whole run). */
  stored: readonly StoredRound[];
}

/** Run statuses a resume continues. `running` is a run whose process died (or is alive: checked). */
const RESUMABLE = new Set<RunRow['status']>(['running', 'interrupted', 'failed', 'budget_exhausted', 'quorum_lost']);

/** The stored configuration, checked: a damaged or hand-edited `config_json` is refused in one line. */
const StoredConfigSchema = z.object({
  options: z.object({
    rounds: z.number().int().positive(),
    batchSize: z.number().int().positive(),
    seed: z.number().int(),
    benignRatio: z.number().min(0).max(1),
    heal: z.boolean(),
    categories: z.array(z.enum(CATEGORY_IDS)).min(1),
    scenariosDir: z.string().min(1),
    freezeHealerAfter: z.number().int().min(0).nullable().optional(),
  }),
  cast: CastSchema,
  attackers: AttackerPoolSchema,
});

export function parseStoredConfig(run: Pick<RunRow, 'id' | 'configJson'>): StoredConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(run.configJson);
  } catch {
    raw = undefined;
  }
  const parsed = StoredConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`run ${run.id} cannot be resumed: its stored configuration is damaged (${issue ? `${issue.path.join('.')}: ${issue.message}` : 'not JSON'}).`);
  }
  return { ...(raw as StoredConfig), options: { ...(raw as StoredConfig).options, ...parsed.data.options }, cast: parsed.data.cast, attackers: parsed.data.attackers };
}

/** Whether process `pid` exists (EPERM: it exists but belongs to someone else). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function checkResumable(store: Store, run: RunRow, dbPath: string): void {
  if (run.kind !== 'wargame') {
    throw new UsageError(`run ${run.id} is a ${run.kind} run; only wargame runs can be resumed (start the ${run.kind} again).`);
  }
  if (run.status === 'completed') {
    throw new UsageError(`run ${run.id} is already completed (${run.roundsDone} of ${run.roundsPlanned} rounds); nothing to resume. "hive report ${run.id} --db ${dbPath}" shows it.`);
  }
  if (!RESUMABLE.has(run.status)) throw new UsageError(`run ${run.id} has status "${run.status}", which cannot be resumed.`);
  if (run.status !== 'running') return;
  const owner = store.runOwner(run.id);
  const me = thisProcess();
  if (owner && owner.host === me.host && owner.pid !== me.pid && isAlive(owner.pid)) {
    throw new UsageError(`run ${run.id} is still being played by process ${owner.pid} on this machine; stop it (Ctrl-C) before resuming it.`);
  }
}

/** The stored plan (kind, category, attacker per round) must be the one the config redraws. */
function checkPlan(run: RunRow, plan: readonly PlannedRound[]): void {
  let stored: unknown;
  try {
    stored = JSON.parse(run.planJson);
  } catch {
    stored = undefined;
  }
  const redrawn = plan.map((p) => [p.kind === 'attack' ? 'A' : 'B', p.category, p.attacker]);
  if (JSON.stringify(stored) !== JSON.stringify(redrawn)) {
    throw new ConfigError(
      `run ${run.id} cannot be resumed: its plan no longer comes out of its seed and configuration (did the scenarios folder change?); start a new run.`,
    );
  }
}

/**
 * Puts stored healer events back into a fresh healer, in the order they were written, then the
 * blocklist hits. `breachText(round)` gives the stored attack of a learned antibody's round.
 */
export function restoreHealerState(
  healer: Healer,
  events: readonly HealerEvent[],
  breachText: (round: number) => string | undefined,
  hits: Iterable<{ patternId: number; benign: boolean }>,
): void {
  for (const e of events) healer.restore(e, e.sourceRound !== null ? breachText(e.sourceRound) : undefined);
  for (const h of hits) healer.restoreHit(h.patternId, h.benign);
}

function rebuildHealer(store: Store, runId: number, config: StoredConfig, scenarios: Map<Scenario['id'], Scenario>, rounds: readonly StoredRound[]): Healer | undefined {
  if (!config.options.heal) return undefined;
  const healer = new Healer(config.cast.healer, benignGuard(scenarios), { freezeAfter: config.options.freezeHealerAfter ?? undefined });
  const events = storedHealerEvents(store, runId);
  const sources = attackTexts(
    store,
    runId,
    events.filter((e) => e.kind === 'antibody_added' && (e.text ?? null) === null && e.sourceRound !== null).map((e) => e.sourceRound as number),
  );
  const hits = rounds.filter((r) => r.decidedBy === 'healer' && r.patternId !== null).map((r) => ({ patternId: r.patternId as number, benign: r.kind === 'benign' }));
  restoreHealerState(healer, events, (round) => sources.get(round), hits);
  return healer;
}

/**
 * What the engine needs of the stored rounds: outcomes for the totals, blocked texts for adaptive
 * attackers, votes of unfinished batches for their defender health. Also stores the batch row of
 * any batch whose rounds are all stored but whose row is not (a kill between the two writes).
 */
function previousRounds(store: Store, runId: number, plan: readonly PlannedRound[], rounds: readonly StoredRound[], blockedMemory: number, defenders: readonly string[]): PreviousRound[] {
  const stored = new Map(rounds.map((r) => [r.round, r]));
  const byBatch = new Map<number, PlannedRound[]>();
  for (const p of plan) byBatch.set(p.batch, [...(byBatch.get(p.batch) ?? []), p]);
  const withRow = batchNumbers(store, runId);
  const votes = new Map<number, Array<{ defender: string; verdict: Verdict; error: string | null }>>();
  for (const [batch, planned] of byBatch) {
    const first = (planned[0] as PlannedRound).round;
    const last = (planned.at(-1) as PlannedRound).round;
    const done = planned.filter((p) => stored.has(p.round));
    if (done.length === 0) continue;
    const batchVotes = done.length < planned.length || !withRow.has(batch) ? votesByRound(store, runId, first, last) : undefined;
    if (done.length < planned.length) {
      for (const [round, v] of batchVotes ?? []) votes.set(round, v);
    } else if (!withRow.has(batch)) {
      const health = new BatchHealth(defenders);
      for (const v of batchVotes?.values() ?? []) health.add(batch, v);
      const counts = countOutcomes(done.map((p) => stored.get(p.round) as StoredRound));
      store.recordBatch(runId, { batch, firstRound: first, lastRound: last, counts, defenders: health.finish(batch) });
    }
  }
  const blocked = blockedMemory > 0 ? new Map(recentBlockedAttacks(store, runId, blockedMemory).map((b) => [b.round, b.text])) : new Map<number, string>();
  return rounds.map((r) => ({ round: r.round, kind: r.kind, outcome: r.outcome, category: r.category, text: blocked.get(r.round), votes: votes.get(r.round) }));
}

/** Checks the run, rebuilds it from what is stored, and plays the rounds it has not stored yet. */
export async function resumeWargame(o: ResumeOptions): Promise<WargameSession> {
  checkNumber('--concurrency', o.concurrency, 1, 1024);
  const store = Store.open(o.dbPath, { mustExist: true });
  try {
    const run = store.getRun(o.runId);
    if (!run) throw new UsageError(`no run ${o.runId} in ${o.dbPath}; "hive runs --db ${o.dbPath}" lists the runs it holds.`);
    checkResumable(store, run, o.dbPath);
    const config = parseStoredConfig(run);
    const { cast, attackers: pool, options } = config;
    const scenarios = loadScenarios(options.scenariosDir);
    const ctx: ModelContext = { scenarios, env: o.env ?? process.env };
    const defenders = cast.defenders.map((d) => buildDefender(d, ctx));
    const attackers = buildAttackers(pool, ctx);
    if (needsPreflight({ cast, pool })) {
      const ready = await preflight({ cast, pool, env: ctx.env, signal: o.abort });
      if (ready.problems.length > 0) throw preflightError(ready, 'hive doctor --cast <the run\'s cast file> --attackers <its attacker pool>');
    }
    const plan = drawPlan({
      seed: options.seed,
      rounds: options.rounds,
      batchSize: options.batchSize,
      categories: options.categories,
      attackers: pool.attackers.map((a) => ({ name: a.name, weight: a.weight })),
      benignRatio: options.benignRatio,
      benignCount: (c) => benignControls(scenarios.get(c) as Scenario).length,
    });
    checkPlan(run, plan);

    const rounds = store.rounds(run.id);
    const healer = rebuildHealer(store, run.id, config, scenarios, rounds);
    const adaptive = pool.attackers.some((a) => a.adaptive);
    const previous = previousRounds(store, run.id, plan, rounds, adaptive ? ADAPTIVE_MEMORY + cast.healer.lag : 0, cast.defenders.map((d) => d.name));
    const budget = createBudget(o.budget, cast, pool, tokensByModel(store, run.id));

    o.onReady?.({
      runId: run.id,
      seed: options.seed,
      castName: cast.name,
      attackersName: pool.name,
      roundsPlanned: plan.length,
      stored: rounds,
      previousStatus: run.status,
    });
    store.reopenRun(run.id);
    return await playOpenRun(store, run.id, {
      seed: options.seed,
      plan,
      scenarios,
      attackers,
      defenders,
      consensus: thresholdConsensus(cast.consensus),
      strategy: cast.consensus.strategy,
      healer,
      lag: cast.healer.lag,
      concurrency: o.concurrency,
      previous,
      budget,
      quorumLossAfter: o.quorumLossAfter,
      ...(o.emit ? { emit: o.emit } : {}),
      ...(o.stop ? { stop: o.stop } : {}),
      ...(o.abort ? { abort: o.abort } : {}),
    });
  } finally {
    store.close();
  }
}
