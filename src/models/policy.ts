/**
 * The one call policy every provider gets: per-host concurrency limits, a per-attempt timeout,
 * retries with exponential backoff and jitter (honouring `retry-after`), and abort that cancels
 * the HTTP request. Providers stay transport-only (see chat.ts `Transport`), so a fix here fixes
 * every provider at once.
 */
import { setMaxListeners } from 'node:events';
import pLimit, { type LimitFunction } from 'p-limit';
import { errorMessage, ModelError } from '../errors.js';
import type { ChatModel, ChatRequest, ChatResult, Transport, TransportResult } from './chat.js';

export interface PolicyOptions {
  /** Per attempt. A model that needed this long once will likely need it again, so timeouts are not retried. */
  timeoutMs: number;
  /** Further attempts after a retryable failure (429, 5xx, network). */
  retries: number;
  /** Base delay of the exponential backoff: attempt n waits about backoffMs * 2^n. */
  backoffMs: number;
  maxBackoffMs: number;
  /** A server asking to wait longer than this is treated as failing now (the round abstains). */
  maxRetryAfterMs: number;
  /** Jitter source; only timing depends on it, never an outcome. */
  random: () => number;
}

export const DEFAULT_POLICY: Readonly<PolicyOptions> = {
  timeoutMs: 60_000,
  retries: 3,
  backoffMs: 500,
  maxBackoffMs: 30_000,
  maxRetryAfterMs: 120_000,
  random: Math.random,
};

/**
 * Calls in flight when an entry gives no `max_concurrency`. Ollama answers OLLAMA_NUM_PARALLEL
 * requests at once (4 on most machines) and queues the rest itself; a cloud API, and a guard API
 * (`provider: http`), take more.
 */
export const DEFAULT_MAX_CONCURRENCY = { ollama: 4, openai: 8, http: 8 } as const;

/** The key hosts are limited by: scheme, host and port. Two base paths on one server share it. */
export function hostKey(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/**
 * The call slots of one host, shared by every model that calls it during a run. p-limit counts
 * the calls in flight and queues the rest in arrival order; this class adds what p-limit has no
 * notion of: a caller's abort while it waits.
 */
export class HostSlot {
  private readonly limit: LimitFunction;
  private declared: number | undefined;

  constructor(
    readonly key: string,
    fallbackLimit: number,
  ) {
    this.limit = pLimit(fallbackLimit);
  }

  /** An entry's `max_concurrency`. The smallest one declared for a host wins: it is the server's real capacity. */
  declare(maxConcurrency: number | undefined): void {
    if (maxConcurrency === undefined) return;
    this.declared = Math.min(this.declared ?? maxConcurrency, maxConcurrency);
    this.limit.concurrency = this.declared;
  }

  get maxConcurrency(): number {
    return this.limit.concurrency;
  }

  /** Calls holding a slot now. */
  get inFlight(): number {
    return this.limit.activeCount;
  }

  /**
   * Calls running or queued per unit of capacity: how busy this host is. A caller that aborted
   * while queued counts until its turn, which then passes at once (see `run`).
   */
  get load(): number {
    return (this.limit.activeCount + this.limit.pendingCount) / this.limit.concurrency;
  }

  /**
   * Runs `task` once it holds one of this host's slots and resolves to its result; the slot is
   * freed when `task` settles. The moment `task` starts is the one point where a call stops
   * waiting for its host (where queue wait, apart from service time, can be measured).
   * If `signal` aborts while the call is queued, the promise rejects at once with a
   * non-retryable "call aborted" ModelError, and when the queue reaches the call it returns
   * without running `task` (it never reaches the server). An abort after `task` started is
   * `task`'s to handle.
   */
  run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(abortedError());
    return new Promise<T>((resolve, reject) => {
      let abandoned = false;
      const stop = signal
        ? onAbort(signal, () => {
            abandoned = true;
            reject(abortedError());
          })
        : undefined;
      void this.limit(async () => {
        stop?.();
        if (abandoned) return;
        try {
          resolve(await task());
        } catch (err) {
          reject(err);
        }
      });
    });
  }
}

/** Every host slot of one run: models on the same host share one limit for the whole run. */
export class HostPool {
  private readonly slots = new Map<string, HostSlot>();

  slot(url: string, provider: keyof typeof DEFAULT_MAX_CONCURRENCY, maxConcurrency?: number): HostSlot {
    const key = hostKey(url);
    let slot = this.slots.get(key);
    if (!slot) this.slots.set(key, (slot = new HostSlot(key, DEFAULT_MAX_CONCURRENCY[provider])));
    slot.declare(maxConcurrency);
    return slot;
  }
}

/**
 * Adds an abort listener to a caller's signal. A run hands one signal to every call in flight
 * (rounds × defenders, plus queued ones), far past Node's default of 10 listeners, so the
 * leak warning is lifted for signals we listen to; every listener is removed when its call ends.
 */
const raised = new WeakSet<AbortSignal>();
export function onAbort(signal: AbortSignal, fn: () => void): () => void {
  if (!raised.has(signal)) {
    raised.add(signal);
    setMaxListeners(0, signal);
  }
  signal.addEventListener('abort', fn, { once: true });
  return () => signal.removeEventListener('abort', fn);
}

export interface PolicyTarget {
  /** What the transport is given: the host URL (Ollama) or base URL (OpenAI). */
  url: string;
  slot: HostSlot;
}

export function abortedError(): ModelError {
  return new ModelError('call aborted', { retryable: false });
}

/** Waits `ms`, or rejects as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortedError());
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop?.();
      resolve();
    }, ms);
    const stop = signal
      ? onAbort(signal, () => {
          clearTimeout(timer);
          reject(abortedError());
        })
      : undefined;
  });
}

/**
 * The wait before retry number `attempt + 1`: the server's `retry-after` when it gave one (plus a
 * little jitter so callers told the same time do not return in lockstep), else exponential
 * backoff with equal jitter. `undefined` when the server asks for longer than we will wait.
 */
export function backoffDelay(attempt: number, o: Pick<PolicyOptions, 'backoffMs' | 'maxBackoffMs' | 'maxRetryAfterMs' | 'random'>, retryAfterMs?: number): number | undefined {
  if (retryAfterMs !== undefined) {
    if (retryAfterMs > o.maxRetryAfterMs) return undefined;
    return retryAfterMs + (o.random() * Math.min(o.backoffMs, 1000)) / 2;
  }
  const ceiling = Math.min(o.maxBackoffMs, o.backoffMs * 2 ** attempt);
  return ceiling / 2 + (o.random() * ceiling) / 2;
}

/**
 * `retry-after-ms` (OpenAI's), else `retry-after` as seconds or an HTTP date. Values that do not
 * parse are ignored (the backoff applies).
 */
export function parseRetryAfter(get: (name: string) => string | null | undefined, now = Date.now()): number | undefined {
  const ms = get('retry-after-ms');
  if (ms && /^\d+(\.\d+)?$/.test(ms.trim())) return Number(ms.trim());
  const value = get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Least loaded first; ties go round-robin so idle hosts share the work. */
function pick(targets: readonly PolicyTarget[], turn: number): PolicyTarget {
  let best: PolicyTarget | undefined;
  for (let i = 0; i < targets.length; i++) {
    const t = targets[(turn + i) % targets.length] as PolicyTarget;
    if (!best || t.slot.load < best.slot.load) best = t;
  }
  return best as PolicyTarget;
}

/** A timeout signal linked to the caller's; `done()` clears the timer and the listener. */
function attemptSignal(timeoutMs: number, outer?: AbortSignal): { signal: AbortSignal; timedOut: () => boolean; done: () => void } {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error(`timed out after ${timeoutMs} ms`));
  }, timeoutMs);
  const stop = outer ? onAbort(outer, () => controller.abort(outer.reason)) : undefined;
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    done: () => {
      clearTimeout(timer);
      stop?.();
    },
  };
}

function asModelError(err: unknown): ModelError {
  if (err instanceof ModelError) return err;
  // An error a provider did not recognise is a bug or a protocol surprise; retrying will not help.
  return new ModelError(errorMessage(err), { retryable: false, cause: err });
}

/** Wraps a provider's transport in the policy. `targets` are the model's hosts (one or several). */
export function withPolicy(transport: Transport, targets: readonly PolicyTarget[], options: Partial<PolicyOptions> = {}): ChatModel {
  if (targets.length === 0) throw new Error('withPolicy needs at least one host');
  const o: PolicyOptions = { ...DEFAULT_POLICY, ...options };
  const id = `${transport.provider}:${transport.model}`;
  let turn = 0;

  /** One attempt on `url`, with its own timeout; never throws, so the slot is always freed by `run`. */
  async function attempt(url: string, req: ChatRequest, signal?: AbortSignal): Promise<{ result?: TransportResult; failure?: unknown; timedOut: boolean }> {
    const a = attemptSignal(o.timeoutMs, signal);
    try {
      return { result: await transport.send(url, req, a.signal), timedOut: false };
    } catch (failure) {
      return { failure, timedOut: a.timedOut() };
    } finally {
      a.done();
    }
  }

  async function chat(req: ChatRequest, signal?: AbortSignal): Promise<ChatResult> {
    const started = performance.now();
    // Time spent waiting for a host slot, apart from the service time: two models sharing a
    // host with room for one call each wait for the other, and that wait is the host's, not theirs.
    let queueMs = 0;
    for (let n = 0; ; n++) {
      if (signal?.aborted) throw abortedError();
      const target = pick(targets, turn++);
      const waitStarted = performance.now();
      // The timeout starts when the call holds a slot: time queued behind other calls is not the model's.
      const { result, failure, timedOut } = await target.slot.run(() => {
        queueMs += performance.now() - waitStarted;
        if (req.meter) req.meter.queueMs = queueMs;
        return attempt(target.url, req, signal);
      }, signal);
      if (result) return { ...result, latencyMs: performance.now() - started, queueMs, attempts: n + 1 };
      if (signal?.aborted) throw abortedError();
      if (timedOut) {
        throw new ModelError(`${id} on ${target.url}: no answer within ${o.timeoutMs} ms`, { retryable: false, cause: failure });
      }
      const error = asModelError(failure);
      const delay = error.retryable && n < o.retries ? backoffDelay(n, o, error.retryAfterMs) : undefined;
      if (delay === undefined) throw n === 0 ? error : afterAttempts(error, n + 1);
      await sleep(delay, signal);
    }
  }

  return { id, provider: transport.provider, model: transport.model, hosts: targets.map((t) => t.url), chat };
}

function afterAttempts(error: ModelError, attempts: number): ModelError {
  return new ModelError(`${error.message} (gave up after ${attempts} attempts)`, {
    retryable: false,
    ...(error.status !== undefined ? { status: error.status } : {}),
    cause: error,
  });
}
