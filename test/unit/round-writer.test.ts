import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { RoundWriter } from '../../src/engine/round-writer.js';
import type { RoundRecord } from '../../src/store/records.js';

const round = (n: number): RoundRecord => ({ round: n }) as RoundRecord;

/** A store that logs each commit's rounds, and can be made to fail. */
function fakeStore(failOn?: number) {
  const log: string[] = [];
  return {
    log,
    recordRounds(_runId: number, rounds: ReadonlyArray<{ record: RoundRecord; textSha256?: string }>): void {
      if (rounds.some((r) => r.record.round === failOn)) throw new Error(`disk full at round ${failOn}`);
      log.push(`commit ${rounds.map((r) => `${r.record.round}:${r.textSha256}`).join(',')}`);
    },
  };
}

describe('RoundWriter (group commit)', () => {
  it('commits the rounds queued in one event-loop turn together, in order, and only then lets their events out', async () => {
    const store = fakeStore();
    const writer = new RoundWriter(store, 1);
    for (const n of [1, 2, 3]) writer.add(round(n), `h${n}`, () => store.log.push(`stored ${n}`));
    // Nothing is stored, and no event claims it, before the turn ends.
    expect(store.log).toEqual([]);
    await nextTurn();
    writer.add(round(4), 'h4', () => store.log.push('stored 4'));
    await nextTurn();
    expect(store.log).toEqual(['commit 1:h1,2:h2,3:h3', 'stored 1', 'stored 2', 'stored 3', 'commit 4:h4', 'stored 4']);
  });

  it('commits at once when `max` rounds are queued, and flush() commits the rest', () => {
    const store = fakeStore();
    const writer = new RoundWriter(store, 1, 2);
    for (const n of [1, 2, 3]) writer.add(round(n), `h${n}`, () => store.log.push(`stored ${n}`));
    expect(store.log).toEqual(['commit 1:h1,2:h2', 'stored 1', 'stored 2']);
    writer.flush();
    expect(store.log).toEqual(['commit 1:h1,2:h2', 'stored 1', 'stored 2', 'commit 3:h3', 'stored 3']);
    // Nothing queued: no empty commit.
    writer.flush();
    expect(store.log).toHaveLength(5);
  });

  it('a commit that fails at the end of a turn is kept as the failure, and its rounds never claim to be stored', async () => {
    const store = fakeStore(2);
    const writer = new RoundWriter(store, 1);
    writer.add(round(1), 'h1', () => store.log.push('stored 1'));
    writer.add(round(2), 'h2', () => store.log.push('stored 2'));
    await nextTurn();
    expect(store.log).toEqual([]);
    expect(String((writer.failure?.error as Error).message)).toBe('disk full at round 2');
  });

  it('a commit that fails when `max` are queued throws to the caller', () => {
    const writer = new RoundWriter(fakeStore(1), 1, 1);
    expect(() => writer.add(round(1), 'h1', () => {})).toThrow('disk full at round 1');
  });
});
