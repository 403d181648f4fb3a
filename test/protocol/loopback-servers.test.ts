/**
 * Drives the REAL `ollama` and `openai` clients against the loopback servers in
 * test/support, proving the servers speak the wire protocols the clients expect.
 * Assertions are on counts and content only, never on timings.
 */
import { Ollama } from 'ollama';
import OpenAI from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { eventually } from '../helpers/eventually.js';
import { startOllamaServer, type OllamaServer } from '../support/ollama-server.js';
import { startOpenAIServer, type OpenAIServer } from '../support/openai-server.js';

const user = (content: string) => [{ role: 'user', content }];

/** A gate that opens once `n` callers are waiting: proves concurrency without relying on timing. */
function barrier(n: number): () => Promise<void> {
  let arrived = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return () => {
    if (++arrived >= n) open();
    return opened;
  };
}

describe('ollama loopback server + real ollama client', () => {
  let server: OllamaServer;
  let client: Ollama;

  beforeEach(async () => {
    server = await startOllamaServer({
      models: ['llama3.2', { name: 'qwen2.5:7b', digest: 'a'.repeat(64), context_length: 32768 }],
    });
    client = new Ollama({ host: server.url });
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await server.close();
  });

  it('answers a non-streaming chat with content and token counts, and logs the body', async () => {
    server.setBehaviour({ reply: () => ({ content: '{"verdict":"safe"}', prompt_eval_count: 42, eval_count: 7 }) });
    const res = await client.chat({
      model: 'llama3.2',
      messages: [
        { role: 'system', content: 'judge' },
        { role: 'user', content: 'hi' },
      ],
      stream: false,
      format: 'json',
      options: { temperature: 0, seed: 7 },
      keep_alive: '5m',
    });
    expect(res.message).toEqual({ role: 'assistant', content: '{"verdict":"safe"}' });
    expect(res).toMatchObject({ done: true, done_reason: 'stop', prompt_eval_count: 42, eval_count: 7, model: 'llama3.2' });
    expect(res.total_duration).toBeGreaterThanOrEqual(0);

    expect(server.stats.requests['/api/chat']).toBe(1);
    expect(server.stats.chatByModel).toEqual({ 'llama3.2': 1 });
    const logged = server.stats.chatLog[0];
    expect(logged?.body).toMatchObject({
      model: 'llama3.2',
      stream: false,
      format: 'json',
      options: { temperature: 0, seed: 7 },
      keep_alive: '5m',
    });
    expect(logged?.body.messages).toHaveLength(2);
    expect(logged?.headers['user-agent']).toMatch(/^ollama-js\//);
  });

  it('streams NDJSON pieces and ends with a done line carrying the counts', async () => {
    server.setBehaviour({ reply: () => ({ chunks: ['Hel', 'lo', ' world'], prompt_eval_count: 3 }) });
    const stream = await client.chat({ model: 'qwen2.5:7b', messages: user('x'), stream: true });
    const parts: string[] = [];
    let last: { done: boolean; done_reason: string; eval_count: number; prompt_eval_count: number } | undefined;
    for await (const part of stream) {
      if (part.done) last = part;
      else parts.push(part.message.content);
    }
    expect(parts).toEqual(['Hel', 'lo', ' world']);
    expect(last).toMatchObject({ done: true, done_reason: 'stop', eval_count: 3, prompt_eval_count: 3 });
    expect(server.stats.chatLog[0]?.body.stream).toBe(true);
  });

  it('derives default token counts from the text', async () => {
    const res = await client.chat({ model: 'llama3.2', messages: user('one two three'), stream: false });
    expect(res.message.content).toBe('echo: one two three');
    expect(res.prompt_eval_count).toBe(3);
    expect(res.eval_count).toBe(4); // "echo: " "one " "two " "three"
  });

  it('lists, shows and versions models', async () => {
    const list = await client.list();
    expect(list.models.map((m) => m.name)).toEqual(['llama3.2:latest', 'qwen2.5:7b']);
    expect(list.models[1]?.digest).toBe('a'.repeat(64));
    expect(list.models[0]?.digest).toMatch(/^[0-9a-f]{64}$/);

    const show = await client.show({ model: 'qwen2.5:7b' });
    expect(show.details.family).toBe('llama');
    expect(show.model_info).toMatchObject({ 'llama.context_length': 32768 });
    await expect(client.show({ model: 'nope' })).rejects.toMatchObject({ name: 'ResponseError', status_code: 404 });

    expect((await client.version()).version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(server.stats.requests).toEqual({ '/api/tags': 1, '/api/show': 2, '/api/version': 1 });
  });

  it('answers 404 with Ollama\'s error body for an unknown model (stream and non-stream)', async () => {
    const error = { name: 'ResponseError', status_code: 404, error: 'model "ghost" not found, try pulling it first' };
    await expect(client.chat({ model: 'ghost', messages: user('x'), stream: false })).rejects.toMatchObject(error);
    await expect(client.chat({ model: 'ghost', messages: user('x'), stream: true })).rejects.toMatchObject(error);
    expect(server.stats.chatByModel).toEqual({ ghost: 2 });
    expect(server.stats.inFlight).toBe(0);
  });

  it('surfaces HTTP faults (500, 429 + retry-after) as ResponseError; the client never retries', async () => {
    server.setBehaviour({ reply: () => ({ status: 500, message: 'llama runner process has terminated' }) });
    await expect(client.chat({ model: 'llama3.2', messages: user('x'), stream: false })).rejects.toMatchObject({
      status_code: 500,
      message: 'llama runner process has terminated',
    });
    server.setBehaviour({ reply: () => ({ status: 429, headers: { 'retry-after': '1' } }) });
    await expect(client.chat({ model: 'llama3.2', messages: user('x'), stream: false })).rejects.toMatchObject({ status_code: 429 });
    expect(server.stats.requests['/api/chat']).toBe(2);
  });

  it('turns garbage into a client error in both modes', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined); // the client warns per bad line
    server.setBehaviour({ reply: () => ({ garbage: '<html>502 Bad Gateway</html>' }) });
    await expect(client.chat({ model: 'llama3.2', messages: user('x'), stream: false })).rejects.toThrow(SyntaxError);

    const stream = await client.chat({ model: 'llama3.2', messages: user('x'), stream: true });
    await expect(
      (async () => {
        for await (const _ of stream) void _;
      })(),
    ).rejects.toThrow('Did not receive done or success response in stream.');
    expect(warn).toHaveBeenCalledWith('invalid json: ', '<html>502 Bad Gateway</html>');
  });

  it('raises a mid-stream {"error"} line as an error after the first pieces', async () => {
    server.setBehaviour({ reply: () => ({ chunks: ['par', 'tial'], streamError: 'runner crashed' }) });
    const seen: string[] = [];
    const stream = await client.chat({ model: 'llama3.2', messages: user('x'), stream: true });
    await expect(
      (async () => {
        for await (const part of stream) seen.push(part.message.content);
      })(),
    ).rejects.toThrow('runner crashed');
    expect(seen).toEqual(['par', 'tial']);
  });

  it('counts a hung request aborted by the client (signal via custom fetch)', async () => {
    server.setBehaviour({ reply: () => ({ hang: true }) });
    const ac = new AbortController();
    // The client only takes a signal for streamed chats; a per-request timeout needs a wrapping fetch.
    const abortable = new Ollama({ host: server.url, fetch: (input, init) => fetch(input, { ...init, signal: ac.signal }) });
    const pending = abortable.chat({ model: 'llama3.2', messages: user('x'), stream: false });
    await eventually(() => expect(server.stats.inFlight).toBe(1));
    ac.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    await eventually(() => expect(server.stats.aborted).toBe(1));
    expect(server.stats.inFlight).toBe(0);
  });

  it('counts a stream stalled after some pieces and aborted via the iterator', async () => {
    server.setBehaviour({ reply: () => ({ hang: true, chunks: ['first'] }) });
    const stream = await client.chat({ model: 'llama3.2', messages: user('x'), stream: true });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const part of stream) {
          seen.push(part.message.content);
          stream.abort();
        }
      })(),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toEqual(['first']);
    await eventually(() => expect(server.stats.aborted).toBe(1));
  });

  it('tracks in-flight requests under a fixed simulated latency', async () => {
    server.setBehaviour({ latencyMs: 300 });
    const answers = await Promise.all(
      Array.from({ length: 5 }, (_, i) => client.chat({ model: 'llama3.2', messages: user(`q${i}`), stream: false })),
    );
    expect(answers.map((a) => a.message.content).sort()).toEqual(['echo: q0', 'echo: q1', 'echo: q2', 'echo: q3', 'echo: q4']);
    expect(server.stats.maxInFlight).toBe(5);
    expect(server.stats.inFlight).toBe(0);
    expect(server.stats.aborted).toBe(0);
    expect(server.stats.chatByModel).toEqual({ 'llama3.2': 5 });
  });

  it('passes the request index so a reply can fail first and then succeed', async () => {
    server.setBehaviour({ reply: (_req, { index }) => (index === 0 ? { status: 503 } : 'recovered') });
    await expect(client.chat({ model: 'llama3.2', messages: user('x'), stream: false })).rejects.toMatchObject({ status_code: 503 });
    const ok = await client.chat({ model: 'llama3.2', messages: user('x'), stream: false });
    expect(ok.message.content).toBe('recovered');
    server.resetStats();
    expect(server.stats).toMatchObject({ requests: {}, chatLog: [], aborted: 0 });
  });
});

describe('openai loopback server + real openai client', () => {
  const apiKey = 'sk-test-loopback-key';
  let server: OpenAIServer;
  let client: OpenAI;

  beforeEach(async () => {
    server = await startOpenAIServer({ apiKey, models: ['gpt-4o-mini', 'local-model'] });
    client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey, maxRetries: 0 });
  });
  afterEach(async () => {
    await server.close();
  });

  it('answers JSON chat completions with usage and logs body and headers', async () => {
    server.setBehaviour({ reply: () => ({ content: '{"ok":true}', prompt_tokens: 11, completion_tokens: 5 }) });
    const res = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'judge' },
        { role: 'user', content: 'hi' },
      ],
      temperature: 0,
      response_format: { type: 'json_object' },
    });
    expect(res.object).toBe('chat.completion');
    expect(res.choices[0]?.message.content).toBe('{"ok":true}');
    expect(res.choices[0]?.finish_reason).toBe('stop');
    expect(res.usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 5, total_tokens: 16 });
    expect(res._request_id).toMatch(/^req_/);

    const logged = server.stats.chatLog[0];
    expect(logged?.body).toMatchObject({ model: 'gpt-4o-mini', temperature: 0, response_format: { type: 'json_object' } });
    expect(logged?.headers.authorization).toBe(`Bearer ${apiKey}`);
    expect(logged?.headers['content-type']).toBe('application/json');
    expect(logged?.headers['x-stainless-retry-count']).toBe('0');
  });

  it('streams SSE chunks and a final usage chunk when include_usage is set', async () => {
    server.setBehaviour({ reply: () => ({ chunks: ['Hel', 'lo'], prompt_tokens: 4, finish_reason: 'length' }) });
    const stream = await client.chat.completions.create({
      model: 'local-model',
      messages: [{ role: 'user', content: 'x' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: ChatCompletionChunk[] = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Hello');
    expect(chunks.every((c) => c.object === 'chat.completion.chunk' && c.model === 'local-model')).toBe(true);
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('length');
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toMatchObject({ prompt_tokens: 4, completion_tokens: 2, total_tokens: 6 });
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
  });

  it('streams without a usage chunk when include_usage is not set', async () => {
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'a b' }], stream: true });
    const chunks: ChatCompletionChunk[] = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('echo: a b');
    expect(chunks.every((c) => c.choices.length === 1 && c.usage === undefined)).toBe(true);
  });

  it('lists and retrieves models', async () => {
    const page = await client.models.list();
    expect(page.data.map((m) => m.id)).toEqual(['gpt-4o-mini', 'local-model']);
    expect((await client.models.retrieve('local-model')).owned_by).toBe('system');
    await expect(client.models.retrieve('nope')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('rejects a wrong API key with 401 invalid_api_key (not retried)', async () => {
    const wrong = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'sk-wrong-key-123456', maxRetries: 2 });
    const err = await wrong.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(err).toMatchObject({ status: 401, code: 'invalid_api_key', type: 'invalid_request_error' });
    await expect(wrong.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    expect(server.stats.requests).toEqual({ '/v1/chat/completions': 1, '/v1/models': 1 });
  });

  it('answers 404 model_not_found for an unknown model', async () => {
    const err = await client.chat.completions.create({ model: 'gpt-9', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect(err).toMatchObject({ status: 404, code: 'model_not_found' });
    expect((err as Error).message).toContain('The model `gpt-9` does not exist');
    expect(server.stats.chatByModel).toEqual({ 'gpt-9': 1 });
  });

  it('429 with retry-after: no retry at maxRetries 0, retries at maxRetries 2', async () => {
    server.setBehaviour({ reply: () => ({ status: 429, headers: { 'retry-after': '0' } }) });
    const body = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'x' }] };

    const err = await client.chat.completions.create(body).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect(err).toMatchObject({ status: 429, code: 'rate_limit_exceeded' });
    expect((err as InstanceType<typeof OpenAI.RateLimitError>).headers?.get('retry-after')).toBe('0');
    expect(server.stats.requests['/v1/chat/completions']).toBe(1);

    server.resetStats();
    await expect(client.chat.completions.create(body, { maxRetries: 2 })).rejects.toBeInstanceOf(OpenAI.RateLimitError);
    expect(server.stats.requests['/v1/chat/completions']).toBe(3);
    expect(server.stats.chatLog.map((c) => c.headers['x-stainless-retry-count'])).toEqual(['0', '1', '2']);

    server.resetStats();
    server.setBehaviour({ reply: (_req, { index }) => (index === 0 ? { status: 429, headers: { 'retry-after': '0' } } : 'after retry') });
    const ok = await client.chat.completions.create(body, { maxRetries: 2 });
    expect(ok.choices[0]?.message.content).toBe('after retry');
    expect(server.stats.requests['/v1/chat/completions']).toBe(2);
  });

  it('500 surfaces as InternalServerError', async () => {
    server.setBehaviour({ reply: () => ({ status: 500 }) });
    const err = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    expect(err).toMatchObject({ status: 500, type: 'server_error' });
    expect(server.stats.requests['/v1/chat/completions']).toBe(1);
  });

  it('rejects response_format per configuration so a fallback can be tested', async () => {
    const messages = [{ role: 'user' as const, content: 'x' }];
    server.setBehaviour({ responseFormat: 'json_object_only' });
    const schema = { type: 'json_schema' as const, json_schema: { name: 'v', schema: { type: 'object' } } };
    const err = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, response_format: schema }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err).toMatchObject({ status: 400, param: 'response_format' });
    const fallback = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, response_format: { type: 'json_object' } });
    expect(fallback.choices[0]?.message.content).toBe('echo: x');

    server.setBehaviour({ responseFormat: 'reject' });
    await expect(
      client.chat.completions.create({ model: 'gpt-4o-mini', messages, response_format: { type: 'json_object' } }),
    ).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    const plain = await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    expect(plain.choices[0]?.message.content).toBe('echo: x');
    expect(server.stats.chatLog.map((c) => c.body.response_format?.type ?? null)).toEqual(['json_schema', 'json_object', 'json_object', null]);
  });

  it('turns garbage into a client error (JSON mode and malformed SSE data)', async () => {
    const messages = [{ role: 'user' as const, content: 'x' }];
    server.setBehaviour({ reply: () => ({ garbage: '<html>502 Bad Gateway</html>' }) });
    await expect(client.chat.completions.create({ model: 'gpt-4o-mini', messages })).rejects.toThrow(SyntaxError);

    server.setBehaviour({ reply: () => ({ garbage: 'data: {"id":\n\n' }) });
    const logger = { error: vi.fn(), warn: vi.fn(), info: vi.fn(), debug: vi.fn() }; // keeps the client's parse-error log quiet
    const quiet = new OpenAI({ baseURL: `${server.url}/v1`, apiKey, maxRetries: 0, logger });
    const stream = await quiet.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
    await expect(
      (async () => {
        for await (const _ of stream) void _;
      })(),
    ).rejects.toThrow(SyntaxError);
  });

  it('documents a client quirk: non-SSE garbage in a stream yields no chunks and no error', async () => {
    server.setBehaviour({ reply: () => ({ garbage: '<html>502 Bad Gateway</html>' }) });
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], stream: true });
    const chunks: ChatCompletionChunk[] = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks).toEqual([]); // providers must treat an empty stream as a failure themselves
  });

  it('raises a mid-stream error event as APIError after the first deltas', async () => {
    server.setBehaviour({ reply: () => ({ chunks: ['par'], streamError: 'upstream died' }) });
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], stream: true });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const c of stream) seen.push(c.choices[0]?.delta.content ?? '');
      })(),
    ).rejects.toThrow('upstream died');
    expect(seen.join('')).toBe('par');
  });

  it('counts a hung request aborted through the client signal', async () => {
    server.setBehaviour({ reply: () => ({ hang: true }) });
    const ac = new AbortController();
    const pending = client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }, { signal: ac.signal });
    await eventually(() => expect(server.stats.inFlight).toBe(1));
    ac.abort();
    await expect(pending).rejects.toBeInstanceOf(OpenAI.APIUserAbortError);
    await eventually(() => expect(server.stats.aborted).toBe(1));
    expect(server.stats.inFlight).toBe(0);
  });

  it('documents a client quirk: aborting a stalled stream ends iteration silently with partial content', async () => {
    server.setBehaviour({ reply: () => ({ hang: true, chunks: ['partial'] }) });
    const ac = new AbortController();
    const stream = await client.chat.completions.create(
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], stream: true },
      { signal: ac.signal },
    );
    let text = '';
    for await (const c of stream) {
      text += c.choices[0]?.delta.content ?? '';
      if (text === 'partial') ac.abort();
    }
    expect(text).toBe('partial'); // no throw: a provider must check finish_reason itself
    await eventually(() => expect(server.stats.aborted).toBe(1));
  });

  it('tracks in-flight requests: 5 concurrent requests held at a barrier', async () => {
    const arrive = barrier(5);
    server.setBehaviour({
      reply: async (req) => {
        await arrive();
        return { content: `done ${String(req.messages[0]?.content)}`, delayMs: 5 };
      },
    });
    const answers = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        client.chat.completions.create({ model: i % 2 ? 'local-model' : 'gpt-4o-mini', messages: [{ role: 'user', content: `q${i}` }] }),
      ),
    );
    expect(answers.map((a) => a.choices[0]?.message.content).sort()).toEqual(['done q0', 'done q1', 'done q2', 'done q3', 'done q4']);
    expect(server.stats.maxInFlight).toBe(5);
    expect(server.stats.inFlight).toBe(0);
    expect(server.stats.chatByModel).toEqual({ 'gpt-4o-mini': 3, 'local-model': 2 });
  });

  it('applies latencyMs to every chat request without breaking concurrency', async () => {
    server.setBehaviour({ latencyMs: 300 });
    await Promise.all(
      Array.from({ length: 5 }, () => client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] })),
    );
    expect(server.stats.maxInFlight).toBe(5);
    expect(server.stats.aborted).toBe(0);
  });
});

describe('shutdown', () => {
  it('close() drops hung requests on both servers and settles their stats', async () => {
    const ollama = await startOllamaServer({ reply: () => ({ hang: true }) });
    const openai = await startOpenAIServer({ reply: () => ({ hang: true, chunks: ['x'] }) });
    const o = new Ollama({ host: ollama.url }).chat({ model: 'llama3.2', messages: user('x'), stream: false });
    const stream = await new OpenAI({ baseURL: `${openai.url}/v1`, apiKey: 'k', maxRetries: 0 }).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'x' }],
      stream: true,
    });
    const drained = (async () => {
      for await (const _ of stream) void _;
    })();
    await eventually(() => expect(ollama.stats.inFlight + openai.stats.inFlight).toBe(2));

    await Promise.all([ollama.close(), openai.close()]);
    await expect(o).rejects.toThrow();
    await expect(drained).rejects.toThrow();
    expect([ollama.stats.inFlight, openai.stats.inFlight, ollama.stats.aborted, openai.stats.aborted]).toEqual([0, 0, 1, 1]);
  });
});
