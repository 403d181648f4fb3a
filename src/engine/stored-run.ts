import { hostname } from 'node:os';
import { errorMessage } from '../errors.js';
import type { RunManifest } from '../store/records.js';
import { Store } from '../store/store.js';
import { runWargame, type WargameResult, type WargameSetup } from './wargame.js';

/** What every kind of run (wargame, eval…) shares once its plan and swarm are built. */
export interface StoredRunSpec {
  dbPath: string;
  manifest: RunManifest;
  /** Everything the engine needs except the run id and the store, which this step provides. */
  setup: Omit<WargameSetup, 'runId' | 'store'>;
  /** Records what belongs to the run before round 1 (model digests, preloaded healer state). */
  onCreated?: (store: Store, runId: number) => void;
}

export interface WargameSession {
  runId: number;
  result: WargameResult;
}

/**
 * Opens the database, records the run, plays it and records how it ended. A run that throws is
 * stored as `failed` with the reason before the error goes on, so no run is left `running`.
 */
export function playStoredRun(spec: StoredRunSpec): Promise<WargameSession> {
  // Not an async function: its frame (and with it the manifest, whose plan is one small array per
  // round) is gone once the run is created, instead of living as long as the run plays.
  let store: Store | undefined;
  let runId: number;
  try {
    store = Store.open(spec.dbPath);
    runId = store.createRun(spec.manifest);
  } catch (err) {
    store?.close();
    return Promise.reject(err);
  }
  const open = store;
  return playOpenRun(open, runId, spec.setup, spec.onCreated).finally(() => open.close());
}

/** This process, as the owner of the run it plays (see `Store.claimRun`). */
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
  setup: StoredRunSpec['setup'],
  before?: (store: Store, runId: number) => void,
): Promise<WargameSession> {
  store.claimRun(runId, thisProcess());
  let result: WargameResult;
  try {
    before?.(store, runId);
    result = await runWargame({ ...setup, runId, store });
  } catch (err) {
    try {
      store.finishRun(runId, 'failed', errorMessage(err));
    } catch {
      // The database itself failed (locked, disk full): the first error is the one to report, and
      // the run stays `running`, which a resume accepts.
    }
    throw err;
  }
  store.finishRun(runId, result.status, result.reason);
  return { runId, result };
}
