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

describe('HostSlot', () => {
  it('queues beyond the limit and hands slots over in order', async () => {
    const slot = new HostSlot('h', 1);
    const r1 = await slot.acquire();
    const order: number[] = [];
    const p2 = slot.acquire().then((r) => (order.push(2), r));
    const p3 = slot.acquire().then((r) => (order.push(3), r));
    expect(slot.inFlight).toBe(1);
    r1();
    (await p2)();
    (await p3)();
    expect(order).toEqual([2, 3]);
    expect(slot.inFlight).toBe(0);
  });

  it('drops a queued caller that aborts', async () => {
    const slot = new HostSlot('h', 1);
    const r1 = await slot.acquire();
    const ac = new AbortController();
    const queued = slot.acquire(ac.signal);
    ac.abort();
    await expect(queued).rejects.toThrow('call aborted');
    r1();
    expect(slot.inFlight).toBe(0);
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
