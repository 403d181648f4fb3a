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
import { loadScenarios } from '../config/scenarios.js';
import { readRunConfig, tryReadRunConfig, type WargameConfig } from '../config/run-config.js';
import type { HealerEvent } from '../domain.js';
import { ConfigError, UsageError } from '../errors.js';
import type { Healer } from '../healer/healer.js';
import type { RunRow, StoredRound } from '../store/records.js';
import { notResumable } from '../run-stops.js';
import { Store } from '../store/store.js';
import { BatchTracker } from './batch-tracker.js';
import { AdaptiveMemory } from './adaptive-memory.js';
import { createBudget, type BudgetLimits } from './budget.js';
import { buildRun } from './build.js';
import type { EventSink } from './events.js';
import { BatchHealth } from './health.js';
import { checkNumber } from './options.js';
import { samePlan, wargamePlan, type Plan } from './plan.js';
import { benignConversationCounts } from './players.js';
import { playOpenRun, thisProcess, wargameSetup, type WargameSession } from './run-session.js';
import type { PreviousRound } from './wargame.js';

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
  const why = notResumable(run.kind, tryReadRunConfig(run)?.command);
  if (why) throw new UsageError(`run ${run.id}: ${why}.`);
  if (run.status === 'completed') {
    throw new UsageError(`run ${run.id} is already completed (${run.roundsDone} of ${run.roundsPlanned} rounds); nothing to resume. "hive report ${run.id} --db ${dbPath}" shows it.`);
  }
  if (!RESUMABLE.has(run.status)) throw new UsageError(`run ${run.id} has status "${run.status}", which cannot be resumed.`);
  if (run.status !== 'running') return;
  const owner = store.runs.owner(run.id);
  const me = thisProcess();
  if (owner && owner.host === me.host && owner.pid !== me.pid && isAlive(owner.pid)) {
    throw new UsageError(`run ${run.id} is still being played by process ${owner.pid} on this machine; stop it (Ctrl-C) before resuming it.`);
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

function restoreHealer(store: Store, runId: number, healer: Healer, rounds: readonly StoredRound[]): void {
  const events = store.healerEvents.list(runId);
  const sources = store.rounds.texts(
    runId,
    events.filter((e) => e.kind === 'antibody_added' && (e.text ?? null) === null && e.sourceRound !== null).map((e) => e.sourceRound as number),
  );
  const hits = rounds.filter((r) => r.decidedBy === 'healer' && r.patternId !== null).map((r) => ({ patternId: r.patternId as number, benign: r.kind === 'benign' }));
  restoreHealerState(healer, events, (round) => sources.get(round), hits);
}

/**
 * What the engine needs of the stored rounds: outcomes for the totals, blocked texts for adaptive
 * attackers, votes of unfinished batches for their defender health. Also stores the batch row of
 * any batch whose rounds are all stored but whose row is not (a kill between the two writes).
 */
function previousRounds(store: Store, runId: number, plan: Plan, rounds: readonly StoredRound[], memory: AdaptiveMemory, defenders: readonly string[]): PreviousRound[] {
  const withRow = store.batches.numbers(runId);
  const tracker = new BatchTracker(plan);
  for (const r of [...rounds].sort((a, b) => a.round - b.round)) {
    const completed = tracker.add(r.round, r.kind, r.outcome, r.sha256);
    if (!completed || withRow.has(completed.batch)) continue;
    const health = new BatchHealth(defenders);
    for (const v of store.votes.byRound(runId, completed.firstRound, completed.lastRound).values()) health.add(completed.batch, v);
    store.recordBatch(runId, { ...completed, defenders: health.finish(completed.batch) });
  }
  // The batch in progress: its defender health is rebuilt from its stored votes.
  const votes = new Map<number, PreviousRound['votes']>();
  for (const b of tracker.inProgress()) for (const [round, v] of store.votes.byRound(runId, b.firstRound, b.lastRound)) votes.set(round, v);
  const blocked = memory.depth > 0 ? new Map(store.rounds.recentBlocked(runId, memory.depth).map((b) => [b.round, b.text])) : new Map<number, string>();
  return rounds.map((r) => ({ round: r.round, kind: r.kind, outcome: r.outcome, category: r.category, text: blocked.get(r.round), sha256: r.sha256, votes: votes.get(r.round) }));
}

/** Checks the run, rebuilds it from what is stored, and plays the rounds it has not stored yet. */
export async function resumeWargame(o: ResumeOptions): Promise<WargameSession> {
  checkNumber('--concurrency', o.concurrency, 1, 1024);
  const store = Store.open(o.dbPath, { mustExist: true });
  try {
    const run = store.runs.get(o.runId);
    if (!run) throw new UsageError(`no run ${o.runId} in ${o.dbPath}; "hive runs --db ${o.dbPath}" lists the runs it holds.`);
    checkResumable(store, run, o.dbPath);
    const config = readRunConfig(run, 'resumed') as WargameConfig;
    const { cast, attackers: pool, options } = config;
    const scenarios = loadScenarios(options.scenariosDir);
    const built = await buildRun({
      cast,
      pool,
      scenarios,
      env: o.env ?? process.env,
      heal: options.heal,
      freezeHealerAfter: options.freezeHealerAfter,
      play: { multiTurn: options.multiTurn, maxTurns: options.maxTurns, refinements: options.refinements },
      doctorCommand: "hive doctor --cast <the run's cast file> --attackers <its attacker pool>",
      signal: o.abort,
    });
    const plan = wargamePlan(config, scenarios.categories, benignConversationCounts(scenarios));
    if (!samePlan(run.planJson, plan)) {
      throw new ConfigError(
        `run ${run.id} cannot be resumed: its plan no longer comes out of its seed and configuration (did the scenarios folder change?); start a new run.`,
      );
    }
    const rounds = store.rounds.list(run.id);
    if (built.healer) restoreHealer(store, run.id, built.healer, rounds);
    const memory = new AdaptiveMemory(cast.healer.lag, pool.attackers.some((a) => a.adaptive));
    const previous = previousRounds(store, run.id, plan, rounds, memory, cast.defenders.map((d) => d.name));
    const budget = createBudget(o.budget, cast, pool, store.figures.tokensByModel(run.id));

    o.onReady?.({
      runId: run.id,
      seed: options.seed,
      castName: cast.name,
      attackersName: pool.name,
      roundsPlanned: plan.length,
      stored: rounds,
      previousStatus: run.status,
    });
    store.runs.reopen(run.id);
    const controls = { concurrency: o.concurrency, emit: o.emit, stop: o.stop, abort: o.abort, budget, quorumLossAfter: o.quorumLossAfter };
    return await playOpenRun(store, run.id, wargameSetup(built, plan, options.seed, scenarios.categories, controls, previous));
  } finally {
    store.close();
  }
}
