import { describe, expect, it } from 'vitest';
import { runOrdered } from '../../src/engine/ordered-pool.js';
import { runAheadWindow } from '../../src/engine/wargame.js';

/** Event-loop turns until the pool has started nothing new for 50 turns in a row (it can go no further). */
async function settle(started: readonly number[]): Promise<void> {
  let seen = -1;
  while (started.length !== seen) {
    seen = started.length;
    for (let i = 0; i < 50; i++) await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('the ordered pool', () => {
  it('with the run-ahead window as its lag, a slow item holds back at most the window of later items, and all finish in order', async () => {
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const started: number[] = [];
    const finalised: number[] = [];
    const window = runAheadWindow(4);
    const run = runOrdered({
      items: Array.from({ length: 500 }, (_, i) => i + 1),
      position: (p) => p,
      concurrency: 4,
      lag: window,
      mayStart: () => true,
      mayFinalise: () => true,
      work: async (p) => {
        started.push(p);
        if (p === 2) await gate;
        return p;
      },
      finalise: (p) => void finalised.push(p),
    });
    await settle(started);
    // Item 1 is stored and item 2 is stuck: items up to 1 + window may start, none after.
    expect(Math.max(...started)).toBe(1 + window);
    expect(finalised).toEqual([1]);
    release();
    expect((await run).finalised).toBe(500);
    expect(finalised).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
  });

  it('the window grows with the concurrency', () => {
    expect(runAheadWindow(1)).toBe(64);
    expect(runAheadWindow(64)).toBe(256);
  });
});
