/** The gap breakdown's side in the bench's own process (gap.ts): the clock, the commit timer, the table's rows. */
import { Store } from '../src/store/store.js';
import type { GapBreakdown } from './gap.js';

/** Epoch ms with sub-millisecond resolution: the same clock as the model server's (another process). */
export const epochMs = (): number => performance.timeOrigin + performance.now();

/**
 * Runs `f` with the store's recordRounds timed (bench only: one SQLite transaction per group of
 * rounds finalised in one event-loop turn, src/engine/round-writer.ts), then puts it back.
 */
export async function withCommitTimes<T>(f: () => Promise<T>): Promise<{ value: T; commitMs: number[] }> {
  const original = Store.prototype.recordRounds;
  const commitMs: number[] = [];
  Store.prototype.recordRounds = function (this: Store, ...args: Parameters<Store['recordRounds']>): void {
    const t = performance.now();
    original.apply(this, args);
    commitMs.push(performance.now() - t);
  };
  try {
    return { value: await f(), commitMs };
  } finally {
    Store.prototype.recordRounds = original;
  }
}

/** Section 1a's rows: one per LLM run, seconds summed over rounds unless said. */
export function gapRows(runs: ReadonlyArray<{ strategy: string; concurrency: number; wallMs: number; idealMs: number; gap: GapBreakdown }>): string[][] {
  const s = (ms: number): string => (ms / 1000).toFixed(2);
  return [
    ['strategy', 'c', 'wall-ideal', 'to started', 'to 1st call', 'lag wait', 'lag rounds', 'hand-off', 'attack to swarm', 'dispatch skew', 'in-order wait', 'finalise', 'sqlite', 'max commit ms', 'end', 'tail'],
    ...runs.map((r) => {
      const g = r.gap;
      return [r.strategy, String(r.concurrency), s(r.wallMs - r.idealMs), s(g.toRunStartedMs), s(g.toFirstCallMs), s(g.lagWaitMs), String(g.roundsLagBound), s(g.handOffMs), s(g.attackToSwarmMs), s(g.dispatchSkewMs), s(g.inOrderWaitMs), s(g.finaliseMs), s(g.commitMs), String(g.commitMaxMs), s(g.endMs), s(g.tailMs)];
    }),
  ];
}

export const GAP_NOTES = [
  "   to started: startWargame() to run_started (not in wall); to 1st call: to the first model call; hand-off: a free worker to its next round's first call, lag waits apart;",
  '   attack to swarm: the attacker\'s answer to the first defender call (a call\'s start is its answer less the latency, as the server sees it);',
  "   dispatch skew: first to last defender call of a round; in-order wait: last answer until the round before is stored; finalise: until the round's group is stored (sqlite: recordRounds alone, a commit per group);",
  '   end: last answer to run_ended; tail: the last round\'s first call to run_ended',
];
