/**
 * A pool of workers that does items concurrently and finalises them strictly in order, with the
 * lag rule: the item at position p may start only once every item at a position <= p - lag is
 * finalised. Items at positions before the first one given (done in an earlier session) count as
 * finalised. Used for rounds (position = round number), so that what round r sees of history is
 * the same at any concurrency.
 *
 * A pool of `concurrency` workers taking items in order, not a promise per item: a 100,000-round
 * plan cost 130 MB with one queued closure and promise per round.
 */
import { setImmediate } from 'node:timers/promises';

/** Items by index: an array, or a view that builds each item when asked (a compact plan). */
export interface Indexed<T> {
  readonly length: number;
  at(index: number): T | undefined;
}

export interface OrderedPoolOptions<T, R> {
  /** In the order they are to be finalised; positions strictly increasing. Each is read once when it starts and kept only while in flight. */
  items: Indexed<T>;
  position: (item: T) => number;
  concurrency: number;
  /** Undefined: items never wait for history (nothing reads it). */
  lag: number | undefined;
  /** Checked before an item starts; false stops the pool (items in flight still finish). */
  mayStart: () => boolean;
  /** Checked when an item's work ends and before each finalisation; false drops what is not yet finalised. */
  mayFinalise: () => boolean;
  work: (item: T) => Promise<R>;
  /** Called strictly in order. A throw stops the pool; it is rethrown by `run`'s result. */
  finalise: (item: T, result: R) => void;
}

export interface OrderedPoolResult {
  /** Items finalised. */
  finalised: number;
  /** The first error a finalisation threw, if any (the pool stopped there). */
  error: unknown;
}

export async function runOrdered<T, R>(o: OrderedPoolOptions<T, R>): Promise<OrderedPoolResult> {
  const order = o.items;
  // Items started and not yet finalised, by position: `order` may build a new object per read.
  const started = new Map<number, T>();
  const ready = new Map<number, R>();
  let next = 0; // index into `order` of the next item to finalise
  let error: unknown;
  let failed = false;
  // The position of the last item finalised (before the first: one less than the first's).
  const first = order.at(0);
  let finalisedThrough = first !== undefined ? o.position(first) - 1 : 0;
  const through = (): number => finalisedThrough;
  /** Positions in order, so the next one to finalise is known without reading `order` again. */
  const positions: number[] = [];
  const waiters: Array<{ position: number; resolve: () => void }> = [];

  const drain = (): void => {
    while (next < order.length && o.mayFinalise()) {
      const p = positions[0];
      if (p === undefined || !ready.has(p)) break;
      const item = started.get(p) as T;
      const result = ready.get(p) as R;
      ready.delete(p);
      started.delete(p);
      positions.shift();
      try {
        o.finalise(item, result);
      } catch (err) {
        if (!failed) error = err;
        failed = true;
        break;
      }
      finalisedThrough = p;
      next += 1;
    }
    // Once nothing more will be finalised, every item waiting for history is let go (it then
    // sees why and does not start).
    const done = failed || !o.mayFinalise() ? Number.POSITIVE_INFINITY : through();
    for (let i = waiters.length - 1; i >= 0; i--) {
      const w = waiters[i] as { position: number; resolve: () => void };
      if (w.position <= done) {
        waiters.splice(i, 1);
        w.resolve();
      }
    }
  };

  const historyFor = (position: number): Promise<void> | undefined => {
    if (o.lag === undefined) return undefined;
    const needed = position - o.lag;
    if (needed <= through()) return undefined;
    return new Promise((resolve) => waiters.push({ position: needed, resolve }));
  };

  let cursor = 0;
  let stopped = false;
  const step = async (item: T): Promise<boolean> => {
    // In-process models (embedded) answer without any I/O, so a run would otherwise be one long
    // chain of promise callbacks that never lets the event loop turn: Ctrl-C, timers and
    // output would all wait for the end of the run. One turn per item costs microseconds.
    await setImmediate();
    if (stopped || failed || !o.mayStart()) {
      stopped = true;
      return false;
    }
    const wait = historyFor(o.position(item));
    if (wait) await wait;
    if (failed || !o.mayFinalise()) return false;
    const result = await o.work(item);
    if (!o.mayFinalise()) return false;
    ready.set(o.position(item), result);
    drain();
    return true;
  };
  const worker = async (): Promise<void> => {
    while (cursor < order.length) {
      const item = order.at(cursor++) as T;
      const p = o.position(item);
      started.set(p, item);
      positions.push(p);
      if (!(await step(item))) return;
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, o.concurrency), order.length) }, worker));
  // Items done after a gap (an item dropped earlier) cannot be finalised in order: they are dropped.
  ready.clear();
  started.clear();
  for (const w of waiters.splice(0)) w.resolve();
  return { finalised: next, error };
}
