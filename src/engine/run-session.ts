/**
 * Playing a run that is stored as it goes: create the run (or reopen it for a resume), claim it
 * for this process, play it, and record how it ended. A run that throws is stored as `failed`
 * with the reason before the error goes on, so no run is left `running` by an error.
 */
import { hostname } from 'node:os';
import type { CategoryId } from '../categories.js';
import type { RunConfig } from '../config/run-config.js';
import type { Scenario } from '../config/schemas.js';
import { errorMessage } from '../errors.js';
import { Store } from '../store/store.js';
import type { Budget } from './budget.js';
import type { BuiltRun } from './build.js';
import type { EventSink } from './events.js';
import { storedPlan, type Plan } from './plan.js';
import { runWargame, type PreviousRound, type WargameResult, type WargameSetup } from './wargame.js';

/** How the caller steers a run while it plays; none of it changes outcomes. */
export interface PlayControls {
  concurrency: number;
  emit?: EventSink | undefined;
  /** Graceful stop: no new round starts. */
  stop?: AbortSignal | undefined;
  /** Hard stop: calls in flight are cancelled. */
  abort?: AbortSignal | undefined;
  budget?: Budget | undefined;
  quorumLossAfter?: number | undefined;
}

export interface WargameSession {
  runId: number;
  result: WargameResult;
}

/** What the engine plays: the built players, the plan, and the controls. */
export function wargameSetup(
  built: BuiltRun,
  plan: Plan,
  seed: number,
  scenarios: ReadonlyMap<CategoryId, Scenario>,
  controls: PlayControls,
  previous?: readonly PreviousRound[],
): Omit<WargameSetup, 'runId' | 'store'> {
  return {
    seed,
    plan,
    scenarios,
    attackers: built.attackers,
    defenders: built.defenders,
    consensus: built.consensus,
    strategy: built.strategy,
    healer: built.healer,
    freezeAfter: built.freezeAfter,
    conversations: built.conversations,
    iterative: built.iterative,
    lag: built.lag,
    concurrency: controls.concurrency,
    emit: controls.emit,
    stop: controls.stop,
    abort: controls.abort,
    budget: controls.budget,
    quorumLossAfter: controls.quorumLossAfter,
    previous,
  };
}

export interface NewRun {
  dbPath: string;
  config: RunConfig;
  plan: Plan;
  built: BuiltRun;
  seed: number;
  scenarios: ReadonlyMap<CategoryId, Scenario>;
  attackersName: string | null;
  replayOf: number | null;
  controls: PlayControls;
}

/** Creates the run in the database (with its models, digests and preloaded healer events) and plays it. */
export function playNewRun(n: NewRun): Promise<WargameSession> {
  // Not an async function: its frame (and with it the plan encoding) is gone once the run is
  // created, instead of living as long as the run plays.
  let store: Store | undefined;
  let runId: number;
  try {
    store = Store.open(n.dbPath);
    runId = store.createRun({
      kind: n.config.kind,
      seed: n.seed,
      castName: n.config.cast.name,
      attackersName: n.attackersName,
      roundsPlanned: n.plan.length,
      batchSize: n.config.options.batchSize,
      replayOf: n.replayOf,
      config: n.config,
      plan: storedPlan(n.plan),
      models: n.built.models,
    });
  } catch (err) {
    store?.close();
    return Promise.reject(err);
  }
  const open = store;
  const { built } = n;
  return playOpenRun(open, runId, wargameSetup(built, n.plan, n.seed, n.scenarios, n.controls), (s, id) => {
    for (const d of built.digests) s.models.setDigest(id, d.role, d.name, d.digest);
    if (built.knownBreaches.length > 0) s.recordKnownBreaches(id, built.knownBreaches);
    // Immunity and vaccines loaded before round 1: round-0 healer events of this run.
    if (built.preloaded.length > 0) {
      s.recordHealerEvents(id, built.preloaded);
      for (const event of built.preloaded) n.controls.emit?.({ type: 'healer', runId: id, event });
    }
  }).finally(() => open.close());
}

/** This process, as the owner of the run it plays (see `RunsTable.claim`). */
export function thisProcess(): { pid: number; host: string } {
  return { pid: process.pid, host: hostname() };
}

/**
 * Plays a run that exists in `store`, new or reopened by a resume, and records how it ended.
 * The run is claimed by this process first, so a resume elsewhere can tell it is still alive.
 */
export async function playOpenRun(
  store: Store,
  runId: number,
  setup: Omit<WargameSetup, 'runId' | 'store'>,
  before?: (store: Store, runId: number) => void,
): Promise<WargameSession> {
  store.runs.claim(runId, thisProcess());
  let result: WargameResult;
  try {
    before?.(store, runId);
    result = await runWargame({ ...setup, runId, store });
  } catch (err) {
    try {
      store.runs.finish(runId, 'failed', errorMessage(err));
    } catch {
      // The database itself failed (locked, disk full): the first error is the one to report, and
      // the run stays `running`, which a resume accepts.
    }
    throw err;
  }
  store.runs.finish(runId, result.status, result.reason);
  return { runId, result };
}
