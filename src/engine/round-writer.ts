/**
 * Group commit of finalised rounds. Each SQLite commit writes its pages to the WAL, which per
 * round cost more than the inserts themselves; the rounds finalised in one event-loop turn (a
 * few at the default concurrency: the pool takes one turn per round) are written in one
 * transaction, at most `max` at a time. What a round does once stored (its events: progress,
 * breaches, healer lessons) waits for its commit, so nothing claims a round is stored before it
 * is. A killed process loses at most the uncommitted group; rounds stay whole and in round order
 * (Store.recordRounds), so `--resume` plays the lost ones again with the same outcomes.
 */
import type { RoundRecord } from '../store/records.js';
import type { Store } from '../store/store.js';

/** At most this many rounds wait for one commit (a bound on what a kill -9 can lose). */
export const MAX_ROUNDS_PER_COMMIT = 32;

export class RoundWriter {
  private pending: Array<{ record: RoundRecord; textSha256: string }> = [];
  private stored: Array<() => void> = [];
  private scheduled = false;
  /** The first error of a commit made at the end of a turn (no caller to throw to); the run stops on it. */
  failure: { error: unknown } | undefined;

  constructor(
    private readonly store: Pick<Store, 'recordRounds'>,
    private readonly runId: number,
    private readonly max = MAX_ROUNDS_PER_COMMIT,
  ) {}

  /**
   * Queues a finalised round (in round order) with the hex SHA-256 of its text; `onStored` runs
   * once it is committed. Commits at once, and throws the store's error, when `max` are queued.
   */
  add(record: RoundRecord, textSha256: string, onStored: () => void): void {
    this.pending.push({ record, textSha256 });
    this.stored.push(onStored);
    if (this.pending.length >= this.max) {
      this.flush();
      return;
    }
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      try {
        this.flush();
      } catch (error) {
        this.failure ??= { error };
      }
    });
  }

  /** Commits the queued rounds in one transaction, then runs their `onStored` in order. Throws the store's error. */
  flush(): void {
    if (this.pending.length === 0) return;
    const rounds = this.pending;
    const stored = this.stored;
    this.pending = [];
    this.stored = [];
    this.store.recordRounds(this.runId, rounds);
    for (const f of stored) f();
  }
}
