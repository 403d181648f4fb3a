/**
 * The dialects the loopback servers answer in, checked with the REAL `ollama` and `openai`
 * clients (and `fetch` for the guard server): what each client hands a provider when a server
 * thinks out loud, leaves out counts, answers with no choices, streams unasked, refuses a
 * parameter or a schema bound. Providers are tested against these in test/integration.
 */
import { Ollama } from 'ollama';
import OpenAI from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.js';
import { startGuardServer, type GuardServer } from '../support/guard-server.js';
import { startOllamaServer, type OllamaServer } from '../support/ollama-server.js';
import { startOpenAIServer, type OpenAIServer } from '../support/openai-server.js';

const user = (content: string) => [{ role: 'user' as const, content }];

describe('ollama dialects', () => {
  let server: OllamaServer;
  let client: Ollama;
  beforeAll(async () => {
    server = await startOllamaServer({ models: ['qwen3:4b'] });
    client = new Ollama({ host: server.url });
  });
  afterAll(() => server.close());

  it('puts thinking in message.thinking, streamed before the content', async () => {
    server.setBehaviour({ reply: () => ({ thinking: 'Let me think. {"verdict": "allow"}', content: '{"verdict":"block"}' }) });
    const res = await client.chat({ model: 'qwen3:4b', messages: user('x'), stream: false, think: true });
    expect(res.message).toMatchObject({ content: '{"verdict":"block"}', thinking: 'Let me think. {"verdict": "allow"}' });
    const parts: Array<{ thinking?: string; content: string }> = [];
    for await (const p of await client.chat({ model: 'qwen3:4b', messages: user('x'), stream: true })) if (!p.done) parts.push(p.message);
    expect(parts.map((p) => p.thinking ?? '').join('')).toBe('Let me think. {"verdict": "allow"}');
    expect(parts.map((p) => p.content).join('')).toBe('{"verdict":"block"}');
    expect(parts.findIndex((p) => p.content !== '')).toBeGreaterThan(parts.findLastIndex((p) => (p.thinking ?? '') !== ''));
  });

  it('leaves out counts set to null, and gives logprobs only when asked', async () => {
    const logprobs = [{ token: 'unsafe', logprob: -0.1, top_logprobs: [{ token: 'unsafe', logprob: -0.1 }, { token: 'safe', logprob: -2.4 }] }];
    server.setBehaviour({ reply: () => ({ content: 'unsafe\nS1', prompt_eval_count: null, eval_count: null, logprobs }) });
    const plain = await client.chat({ model: 'qwen3:4b', messages: user('x'), stream: false });
    expect(plain.prompt_eval_count).toBeUndefined();
    expect(plain.eval_count).toBeUndefined();
    expect(plain.logprobs).toBeUndefined();
    const asked = await client.chat({ model: 'qwen3:4b', messages: user('x'), stream: false, logprobs: true, top_logprobs: 2 });
    expect(asked.logprobs).toEqual(logprobs);
  });

  it('answers a length cut with empty content and done_reason length', async () => {
    server.setBehaviour({ reply: () => ({ thinking: 'a very long thought', content: '', done_reason: 'length' }) });
    const res = await client.chat({ model: 'qwen3:4b', messages: user('x'), stream: false });
    expect(res).toMatchObject({ done_reason: 'length', message: { content: '', thinking: 'a very long thought' } });
  });

  it('refuses think with 400 when told to, as Ollama does for a model without thinking', async () => {
    server.setBehaviour({ rejectThink: true, reply: () => 'ok' });
    await expect(client.chat({ model: 'qwen3:4b', messages: user('x'), stream: false, think: false })).rejects.toMatchObject({ status_code: 400, error: expect.stringContaining('does not support thinking') });
    expect((await client.chat({ model: 'qwen3:4b', messages: user('x'), stream: false })).message.content).toBe('ok');
    server.setBehaviour({ rejectThink: false });
  });

  it('streams NDJSON unasked with streamAlways: the client cannot read it as one object', async () => {
    server.setBehaviour({ streamAlways: true, reply: () => 'hello there' });
    await expect(client.chat({ model: 'qwen3:4b', messages: user('x'), stream: false })).rejects.toThrow(SyntaxError);
    const raw = await fetch(`${server.url}/api/chat`, { method: 'POST', body: JSON.stringify({ model: 'qwen3:4b', messages: user('x'), stream: false }) });
    expect(raw.headers.get('content-type')).toBe('application/x-ndjson');
    const lines = (await raw.text()).trim().split('\n').map((l) => JSON.parse(l) as { done: boolean; message: { content: string } });
    expect(lines.map((l) => l.message.content).join('')).toBe('hello there');
    expect(lines.at(-1)?.done).toBe(true);
    server.setBehaviour({ streamAlways: false });
  });
});

describe('openai dialects', () => {
  let server: OpenAIServer;
  let client: OpenAI;
  beforeAll(async () => {
    server = await startOpenAIServer({ models: ['r1'] });
    client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'k', maxRetries: 0 });
  });
  afterAll(() => server.close());
  const ask = (extra: Record<string, unknown> = {}) => client.chat.completions.create({ model: 'r1', messages: user('x'), ...extra });

  it('carries reasoning in reasoning_content or reasoning, in JSON and in SSE deltas', async () => {
    server.setBehaviour({ reply: () => ({ reasoning_content: 'think think', content: 'answer' }) });
    const json = await ask();
    expect(json.choices[0]?.message).toMatchObject({ content: 'answer', reasoning_content: 'think think' });
    server.setBehaviour({ reply: () => ({ reasoning: 'hmm', content: 'answer' }) });
    const chunks: ChatCompletionChunk[] = [];
    for await (const c of await client.chat.completions.create({ model: 'r1', messages: user('x'), stream: true })) chunks.push(c);
    const deltas = chunks.map((c) => c.choices[0]?.delta as { reasoning?: string; content?: string } | undefined);
    expect(deltas.map((d) => d?.reasoning ?? '').join('')).toBe('hmm');
    expect(deltas.map((d) => d?.content ?? '').join('')).toBe('answer');
  });

  it('answers content null with the text only in a reasoning field, empty choices, and no usage', async () => {
    server.setBehaviour({ reply: () => ({ content: null, reasoning_content: 'only thoughts', finish_reason: 'length' }) });
    const cut = await ask();
    expect(cut.choices[0]).toMatchObject({ finish_reason: 'length', message: { content: null, reasoning_content: 'only thoughts' } });
    server.setBehaviour({ reply: () => ({ emptyChoices: true }) });
    expect((await ask()).choices).toEqual([]);
    server.setBehaviour({ reply: () => ({ content: 'x', usage: false }) });
    expect((await ask()).usage).toBeUndefined();
  });

  it('gives logprobs only when asked', async () => {
    const logprobs = [{ token: 'Yes', logprob: -0.05, top_logprobs: [{ token: 'Yes', logprob: -0.05 }, { token: 'No', logprob: -3.1 }] }];
    server.setBehaviour({ reply: () => ({ content: 'Yes', logprobs }) });
    expect((await ask()).choices[0]?.logprobs).toBeNull();
    expect((await ask({ logprobs: true, top_logprobs: 2 })).choices[0]?.logprobs?.content).toEqual(logprobs);
  });

  it('refuses named parameters and bounded schemas with 400s that name them', async () => {
    server.setBehaviour({ rejectParams: ['chat_template_kwargs'], schemaBounds: 'reject', reply: () => 'ok' });
    await expect(ask({ chat_template_kwargs: { enable_thinking: false } })).rejects.toMatchObject({ status: 400, message: expect.stringContaining('chat_template_kwargs') });
    const schema = { type: 'object', properties: { reason: { type: 'string', maxLength: 200 } } };
    await expect(ask({ response_format: { type: 'json_schema', json_schema: { name: 'v', schema } } })).rejects.toMatchObject({
      status: 400,
      param: 'response_format',
      message: expect.stringContaining("'maxLength' is not permitted"),
    });
    const unbounded = { type: 'object', properties: { reason: { type: 'string' } } };
    expect((await ask({ response_format: { type: 'json_schema', json_schema: { name: 'v', schema: unbounded } } })).choices[0]?.message.content).toBe('ok');
    server.setBehaviour({ rejectParams: [], schemaBounds: 'accept' });
  });

  it('answers SSE to a non-streaming request with streamAlways: the client hands back text, not a completion', async () => {
    server.setBehaviour({ streamAlways: true, reply: () => 'streamed anyway' });
    const res: unknown = await ask();
    expect(typeof res).toBe('string');
    expect(res as string).toContain('data: [DONE]');
    expect(res as string).toContain('"usage"');
    server.setBehaviour({ streamAlways: false });
  });

  it('serves only under /v1: the base without it answers 404', async () => {
    const bare = new OpenAI({ baseURL: server.url, apiKey: 'k', maxRetries: 0 });
    await expect(bare.models.list()).rejects.toMatchObject({ status: 404 });
    expect((await client.models.list()).data.map((m) => m.id)).toEqual(['r1']);
  });
});

describe('guard server', () => {
  let server: GuardServer;
  beforeAll(async () => {
    server = await startGuardServer();
  });
  afterAll(() => server.close());

  it('answers a JSON POST with the reply, logs the request, and 405 to HEAD', async () => {
    const res = await fetch(`${server.url}/v2/guard?api-version=1`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer t' }, body: JSON.stringify({ text: 'ATTACK now' }) });
    expect(await res.json()).toEqual({ flagged: true, scores: { injection: 0.97 } });
    expect(server.stats.log[0]).toMatchObject({ method: 'POST', path: '/v2/guard', query: '?api-version=1', body: { text: 'ATTACK now' }, headers: { authorization: 'Bearer t' } });
    expect((await fetch(`${server.url}/v2/guard`, { method: 'HEAD' })).status).toBe(405);
    expect(server.stats.requests).toEqual({ 'POST /v2/guard': 1, 'HEAD /v2/guard': 1 });
  });

  it('hangs until the client leaves, and counts it aborted', async () => {
    server.setBehaviour({ reply: () => ({ hang: true }) });
    const ac = new AbortController();
    const pending = fetch(`${server.url}/x`, { method: 'POST', body: '{}', signal: ac.signal });
    await eventually(() => expect(server.stats.inFlight).toBe(1));
    ac.abort();
    await expect(pending).rejects.toThrow();
    await eventually(() => expect(server.stats.aborted).toBe(1));
  });
});
