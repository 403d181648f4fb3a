/**
 * Waiting for a condition another party brings about (a server seeing a client leave, a child
 * process reaching a point): poll it until it holds, with a deadline far above what it takes on an
 * idle machine. vi.waitFor's own default (1 s) is not: on a loaded 2-core CI machine a process can
 * sit unscheduled for longer than that, and the test then fails although nothing is wrong.
 */
import { vi } from 'vitest';

/** Deadline of `eventually`, in ms: generous, yet well inside every test timeout (60 s and up). */
export const EVENTUALLY_MS = 20_000;

/**
 * Resolves with `check()`'s result once it stops throwing (an `expect` inside it) or returns true;
 * rejects with its last error after EVENTUALLY_MS. Polls every 10 ms.
 */
export async function eventually<T>(check: () => T): Promise<T> {
  return vi.waitFor(
    () => {
      const r = check();
      if (r === false) throw new Error(`still false: ${check.toString()}`);
      return r;
    },
    { timeout: EVENTUALLY_MS, interval: 10 },
  );
}
