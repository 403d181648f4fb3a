import { describe, expect, it } from 'vitest';
import { ModelError } from '../../src/errors.js';
import type { ChatRequest, Transport } from '../../src/models/chat.js';
import { ollamaHosts } from '../../src/models/ollama.js';
import { backoffDelay, HostPool, HostSlot, parseRetryAfter, withPolicy } from '../../src/models/policy.js';

const opts = { backoffMs: 100, maxBackoffMs: 1000, maxRetryAfterMs: 5000 };

describe('backoffDelay', () => {
  it('doubles per attempt with equal jitter, capped', () => {
    expect(backoffDelay(0, { ...opts, random: () => 0 })).toBe(50);
    expect(backoffDelay(0, { ...opts, random: () => 1 })).toBe(100);
    expect(backoffDelay(3, { ...opts, random: () => 0 })).toBe(400);
    expect(backoffDelay(10, { ...opts, random: () => 1 })).toBe(1000);
  });

  it('honours retry-after, and gives up when it is longer than we will wait', () => {
    expect(backoffDelay(0, { ...opts, random: () => 0 }, 2000)).toBe(2000);
    expect(backoffDelay(0, { ...opts, random: () => 0 }, 60_000)).toBeUndefined();
  });
});

describe('parseRetryAfter', () => {
  const headers = (h: Record<string, string>) => (name: string) => h[name] ?? null;
  it('reads retry-after-ms, seconds and HTTP dates; ignores junk', () => {
    expect(parseRetryAfter(headers({ 'retry-after-ms': '250' }))).toBe(250);
    expect(parseRetryAfter(headers({ 'retry-after': '3' }))).toBe(3000);
    expect(parseRetryAfter(headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:10 GMT' }), Date.parse('Thu, 01 Jan 2026 00:00:00 GMT'))).toBe(10_000);
    expect(parseRetryAfter(headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(parseRetryAfter(headers({}))).toBeUndefined();
  });
});

/** A promise and its resolver, to hold a task in its slot until the test lets it go. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = (): void => {};
  const opened = new Promise<void>((r) => (open = r));
  return { opened, open };
}

/** Lets every pending promise callback run (p-limit frees a slot a few callbacks after the task settles). */
const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('HostSlot', () => {
  it('queues beyond the limit and runs the queue in arrival order', async () => {
    const slot = new HostSlot('h', 1);
    const first = gate();
    const order: number[] = [];
    const p1 = slot.run(async () => (order.push(1), first.opened));
    const p2 = slot.run(async () => order.push(2));
    const p3 = slot.run(async () => order.push(3));
    expect([slot.inFlight, slot.load]).toEqual([1, 3]);
    await Promise.resolve();
    expect(order).toEqual([1]);
    first.open();
    await Promise.all([p1, p2, p3]);
    await settle();
    expect(order).toEqual([1, 2, 3]);
    expect([slot.inFlight, slot.load]).toEqual([0, 0]);
  });

  it('passes the task\'s result and error through and frees the slot either way', async () => {
    const slot = new HostSlot('h', 1);
    await expect(slot.run(async () => 'answer')).resolves.toBe('answer');
    await expect(slot.run(async () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    await expect(slot.run(async () => 'again')).resolves.toBe('again');
    await settle();
    expect(slot.inFlight).toBe(0);
  });

  it('rejects a queued caller that aborts at once, and never runs its task', async () => {
    const slot = new HostSlot('h', 1);
    const first = gate();
    const held = slot.run(() => first.opened);
    const ac = new AbortController();
    let ran = 0;
    const queued = slot.run(async () => (ran += 1), ac.signal);
    ac.abort();
    // Rejected while the first task still holds the only slot.
    await expect(queued).rejects.toThrow('call aborted');
    expect(slot.inFlight).toBe(1);
    first.open();
    await held;
    // The queue runs in order: once a later task has run, the aborted one's turn has passed.
    await expect(slot.run(async () => 'after')).resolves.toBe('after');
    await settle();
    expect(ran).toBe(0);
    expect([slot.inFlight, slot.load]).toEqual([0, 0]);
  });

  it('rejects a caller whose signal is already aborted without queueing it', async () => {
    const slot = new HostSlot('h', 1);
    let ran = 0;
    await expect(slot.run(async () => (ran += 1), AbortSignal.abort())).rejects.toThrow('call aborted');
    expect([ran, slot.load]).toEqual([0, 0]);
  });

  it('leaves an abort after the task started to the task', async () => {
    const slot = new HostSlot('h', 1);
    const ac = new AbortController();
    const running = gate();
    const p = slot.run(async () => {
      ac.abort();
      await running.opened;
      return 'finished';
    }, ac.signal);
    await Promise.resolve();
    running.open();
    await expect(p).resolves.toBe('finished');
  });

  it('shares one slot per origin and keeps the smallest declared limit', () => {
    const pool = new HostPool();
    const a = pool.slot('http://gpu:11434', 'ollama', 8);
    const b = pool.slot('http://gpu:11434/', 'ollama', 2);
    const c = pool.slot('http://gpu:11434', 'ollama');
    expect(a).toBe(b);
    expect(c).toBe(a);
    expect(a.maxConcurrency).toBe(2);
    expect(pool.slot('http://other:11434', 'ollama').maxConcurrency).toBe(4);
  });
});

describe('withPolicy', () => {
  const req: ChatRequest = { messages: [{ role: 'user', content: 'x' }] };
  function scripted(failures: ModelError[]): Transport & { calls: number } {
    const t = {
      provider: 'ollama' as const,
      model: 'm',
      calls: 0,
      async send() {
        const f = failures[t.calls++];
        if (f) throw f;
        return { text: 'ok', promptTokens: 1, completionTokens: 2 };
      },
    };
    return t;
  }
  const target = () => [{ url: 'http://h', slot: new HostSlot('http://h', 4) }];

  it('retries retryable errors, not the others', async () => {
    const t = scripted([new ModelError('busy', { retryable: true, status: 503 }), new ModelError('busy', { retryable: true, status: 503 })]);
    const r = await withPolicy(t, target(), { backoffMs: 0 }).chat(req);
    expect(r).toMatchObject({ text: 'ok', attempts: 3, promptTokens: 1, completionTokens: 2 });

    const bad = scripted([new ModelError('bad request', { retryable: false, status: 400 })]);
    await expect(withPolicy(bad, target(), { backoffMs: 0 }).chat(req)).rejects.toThrow('bad request');
    expect(bad.calls).toBe(1);
  });

  /** A transport that notes each call (`note` says what of it) and holds the first one until `release()`. */
  function holdingFirst(note: (url: string, r: ChatRequest) => string): Transport & { sent: string[]; release: () => void } {
    const first = gate();
    const sent: string[] = [];
    return {
      provider: 'ollama',
      model: 'm',
      sent,
      release: first.open,
      async send(url, r) {
        sent.push(note(url, r));
        if (sent.length === 1) await first.opened;
        return { text: 'ok', promptTokens: 1, completionTokens: 1 };
      },
    };
  }

  it('sends nothing for a call aborted while it waits for its host', async () => {
    const t = holdingFirst((_url, r) => r.messages[0]?.content ?? '');
    const model = withPolicy(t, [{ url: 'http://h', slot: new HostSlot('http://h', 1) }], { backoffMs: 0 });
    const ask = (content: string, signal?: AbortSignal) => model.chat({ messages: [{ role: 'user', content }] }, signal);
    const one = ask('one');
    const ac = new AbortController();
    const two = ask('two', ac.signal);
    ac.abort();
    await expect(two).rejects.toThrow('call aborted');
    t.release();
    await one;
    await ask('three');
    expect(t.sent).toEqual(['one', 'three']);
  });

  it('sends each call to the least busy of its hosts', async () => {
    const t = holdingFirst((url) => url);
    // Host a has room for 4 calls and host b for 1, so b is busier per slot after one call.
    const a = { url: 'http://a', slot: new HostSlot('http://a', 4) };
    const b = { url: 'http://b', slot: new HostSlot('http://b', 1) };
    const model = withPolicy(t, [a, b], { backoffMs: 0 });
    const busy = model.chat(req);
    expect(a.slot.inFlight).toBe(1);
    await Promise.all([model.chat(req), model.chat(req), model.chat(req)]);
    // a holds 1 of 4 (load 0.25) while b is idle: b gets the next; then b at 1/1 loses to a.
    expect(t.sent).toEqual(['http://a', 'http://b', 'http://a', 'http://a']);
    t.release();
    await busy;
  });

  it('stops after `retries` further attempts and says so', async () => {
    const t = scripted(Array.from({ length: 9 }, () => new ModelError('HTTP 500', { retryable: true, status: 500 })));
    await expect(withPolicy(t, target(), { backoffMs: 0, retries: 2 }).chat(req)).rejects.toThrow('HTTP 500 (gave up after 3 attempts)');
    expect(t.calls).toBe(3);
  });
});

describe('ollama hosts', () => {
  it('takes the entry, else OLLAMA_HOST read as the ollama CLI reads it, else the local default', () => {
    expect(ollamaHosts('http://gpu:11434/', {})).toEqual(['http://gpu:11434']);
    expect(ollamaHosts(['https://t.example.org', 'http://a:1'], {})).toEqual(['https://t.example.org', 'http://a:1']);
    expect(ollamaHosts(undefined, { OLLAMA_HOST: 'gpu-box' })).toEqual(['http://gpu-box:11434']);
    expect(ollamaHosts(undefined, { OLLAMA_HOST: '0.0.0.0:8080' })).toEqual(['http://0.0.0.0:8080']);
    expect(ollamaHosts(undefined, { OLLAMA_HOST: ':11500' })).toEqual(['http://127.0.0.1:11500']);
    expect(ollamaHosts(undefined, {})).toEqual(['http://127.0.0.1:11434']);
  });
});
