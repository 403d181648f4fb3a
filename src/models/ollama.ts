/**
 * The Ollama provider: transport only, through the official `ollama` client. The client never
 * retries and a non-streamed chat takes no abort signal, so every request goes through a `fetch`
 * bound to the call's signal (abort and timeout cancel the HTTP request); HTTP errors are read
 * there too, where the `retry-after` header is still visible, and a stream sent for a request
 * that asked for one object is folded into that object (streams.ts).
 */
import { Ollama } from 'ollama';
import { maskUrl, urlCredentials } from '../config/credentials.js';
import { ConfigError, errorMessage, ModelError } from '../errors.js';
import type { ChatRequest, Transport, TransportResult } from './chat.js';
import { Dialect, hasBounds, refusal, SCHEMA_BOUNDS_REFUSAL, unbounded, type Feature, type Refusal } from './dialect.js';
import { clip, isAbortError, networkCode, networkError, redact, statusError } from './http.js';
import { foldNdjson, StreamError } from './streams.js';
import { counts, tokenLogprobs } from './wire.js';

export const DEFAULT_OLLAMA_HOST = 'http://127.0.0.1:11434';

/**
 * OLLAMA_HOST is often set the way the server reads it (`0.0.0.0`, `gpu-box:11434`): without a
 * scheme it means http, and without a port Ollama's 11434, as the ollama CLI reads it.
 */
export function normalizeOllamaHost(host: string): string {
  const h = host.trim().replace(/\/+$/, '');
  if (h.includes('://')) return h;
  const withScheme = `http://${h.startsWith(':') ? `127.0.0.1${h}` : h}`;
  try {
    const url = new URL(withScheme);
    if (!url.port) url.port = '11434';
    return url.href.replace(/\/+$/, '');
  } catch {
    return withScheme;
  }
}

/**
 * The entry's host (one URL or a list), else OLLAMA_HOST, else the local default. A config's
 * hosts were checked for credentials when it loaded; OLLAMA_HOST is checked here (ConfigError).
 */
export function ollamaHosts(host: string | readonly string[] | undefined, env: NodeJS.ProcessEnv): string[] {
  const list = host === undefined ? [env.OLLAMA_HOST?.trim() || DEFAULT_OLLAMA_HOST] : typeof host === 'string' ? [host] : [...host];
  const hosts = list.map(normalizeOllamaHost);
  const carried = host === undefined ? urlCredentials(hosts[0] as string) : undefined;
  if (carried) {
    throw new ConfigError(`OLLAMA_HOST "${maskUrl(hosts[0] as string)}" carries ${carried}, and hosts are printed in messages; remove it and put the key in an environment variable named by api_key_env.`);
  }
  return hosts;
}

/** Ollama treats `qwen2.5` and `qwen2.5:latest` as the same model. */
export function ollamaName(model: string): string {
  return model.includes(':') ? model : `${model}:latest`;
}

/**
 * A fetch that carries `signal`, turns HTTP errors into ModelErrors (the client would drop the
 * headers) and folds an NDJSON stream sent for `"stream": false` into the one object asked for.
 */
function boundFetch(signal: AbortSignal | undefined, where: string, model: string, secret: string | undefined): typeof fetch {
  return async (input, init) => {
    const res = await fetch(input, { ...init, ...(signal ? { signal } : {}) });
    if (res.ok) return res.headers.get('content-type')?.includes('ndjson') && !askedToStream(init) ? folded(res, where) : res;
    const body = await res.text().catch(() => '');
    let detail = body;
    try {
      const parsed: unknown = JSON.parse(body);
      if (parsed && typeof parsed === 'object' && typeof (parsed as { error?: unknown }).error === 'string') detail = (parsed as { error: string }).error;
    } catch {
      // not JSON: keep the text
    }
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (res.status === 404 && model && url.endsWith('/api/chat') && /not found/i.test(detail)) {
      throw new ModelError(`model "${model}" is not on ${where}; run "ollama pull ${model}" there`, { retryable: false, status: 404 });
    }
    if (res.status === 401 || res.status === 403) {
      // A server or proxy that wants a key may quote it back: never pass its text on.
      throw new ModelError(`${where} refused the request (HTTP ${res.status}); check api_key_env and the key it names`, { retryable: false, status: res.status });
    }
    throw statusError(where, res.status, redact(detail, [secret]), res.headers);
  };
}

function askedToStream(init: RequestInit | undefined): boolean {
  if (typeof init?.body !== 'string') return true;
  try {
    return (JSON.parse(init.body) as { stream?: unknown }).stream !== false;
  } catch {
    return true;
  }
}

async function folded(res: Response, where: string): Promise<Response> {
  try {
    return new Response(JSON.stringify(foldNdjson(await res.text())), { status: 200, headers: { 'content-type': 'application/json' } });
  } catch (err) {
    if (err instanceof StreamError) throw new ModelError(`${where} streamed an error: ${clip(err.message)}`, { retryable: true, status: 502 });
    throw err;
  }
}

function client(host: string, signal: AbortSignal | undefined, model: string, apiKey?: string): Ollama {
  return new Ollama({ host, fetch: boundFetch(signal, host, model, apiKey), ...(apiKey ? { headers: { Authorization: `Bearer ${apiKey}` } } : {}) });
}

/** Turns whatever the client threw into a ModelError; aborts pass through for the policy to judge. */
function classify(err: unknown, host: string): unknown {
  if (err instanceof ModelError || isAbortError(err)) return err;
  if (err instanceof SyntaxError) {
    return new ModelError(`${host} answered with something that is not the Ollama protocol (${clip(err.message, 80)})`, { retryable: false, cause: err });
  }
  if (err instanceof TypeError && (networkCode(err) || /fetch failed/i.test(err.message))) return networkError(host, err);
  return new ModelError(`${host}: ${clip(errorMessage(err))}`, { retryable: false, cause: err });
}

export interface OllamaTransportOptions {
  model: string;
  keepAlive?: string | number | undefined;
  /** `num_ctx`: the context window the model is loaded with (Ollama's default is small). */
  numCtx?: number | undefined;
  /** Sent as `Authorization: Bearer` (Ollama's cloud API, or a proxy in front of a server). */
  apiKey?: string | undefined;
}

/** How Ollama says it refuses a feature (dialect.ts): bounds before the schema. */
const REFUSALS: readonly Refusal[] = [SCHEMA_BOUNDS_REFUSAL, refusal('json_schema', /\bformat\b|schema/i), refusal('think', /think/i), refusal('logprobs', /logprobs/i)];

/** How many top alternatives a guard's first tokens are asked for. */
const TOP_LOGPROBS = 5;

type ChatBody = Parameters<Ollama['chat']>[0] & { stream: false };

/** The request body in the form `d` allows, with the refusable features it carries. */
function ollamaChatBody(o: OllamaTransportOptions, req: ChatRequest, d: Dialect): { body: ChatBody; sent: Set<Feature> } {
  const sent = new Set<Feature>();
  const use = (f: Feature): boolean => d.allows(f) && (sent.add(f), true);
  const options: Record<string, number> = {};
  if (req.temperature !== undefined) options.temperature = req.temperature;
  if (req.seed !== undefined) options.seed = req.seed;
  if (req.maxTokens !== undefined) options.num_predict = req.maxTokens;
  if (o.numCtx !== undefined) options.num_ctx = o.numCtx;
  const body: ChatBody = { model: o.model, messages: req.messages.map((m) => ({ role: m.role, content: m.content })), stream: false, options };
  if (req.jsonSchema && use('json_schema')) body.format = hasBounds(req.jsonSchema.schema) && use('schema_bounds') ? req.jsonSchema.schema : unbounded(req.jsonSchema.schema);
  if (req.think !== undefined && use('think')) body.think = req.think;
  if (req.logprobs && use('logprobs')) {
    body.logprobs = true;
    body.top_logprobs = TOP_LOGPROBS;
  }
  if (o.keepAlive !== undefined) body.keep_alive = o.keepAlive;
  return { body, sent };
}

export function createOllamaTransport(o: OllamaTransportOptions): Transport {
  // Sticky per model: once the server refused something, later calls do not send it again.
  const dialect = new Dialect();
  return {
    provider: 'ollama',
    model: o.model,
    async send(host: string, req: ChatRequest, signal: AbortSignal): Promise<TransportResult> {
      // Bounded: each adaptation removes one feature.
      for (;;) {
        const { body, sent } = ollamaChatBody(o, req, dialect);
        let res: Awaited<ReturnType<Ollama['chat']>>;
        try {
          res = await client(host, signal, o.model, o.apiKey).chat(body);
        } catch (err) {
          const refused = err instanceof ModelError && (err.status === 400 || err.status === 422) && dialect.learn(err.message, sent, REFUSALS);
          // Not a retry: the same question, asked in a form this server accepts.
          if (refused) continue;
          throw classify(err, host);
        }
        return readChat(res, host);
      }
    },
  };
}

function readChat(res: unknown, host: string): TransportResult {
  const r = (res ?? {}) as { message?: { content?: unknown; thinking?: unknown }; prompt_eval_count?: unknown; eval_count?: unknown; done_reason?: unknown; logprobs?: unknown };
  const content = r.message?.content;
  if (typeof content !== 'string') throw new ModelError(`${host} answered without a message`, { retryable: false });
  return {
    text: content,
    ...(typeof r.message?.thinking === 'string' && r.message.thinking !== '' ? { reasoning: r.message.thinking } : {}),
    // Left out when the whole prompt came from Ollama's cache, or by servers that imitate the API.
    ...counts(r.prompt_eval_count, r.eval_count),
    finishReason: typeof r.done_reason === 'string' ? r.done_reason : undefined,
    ...(Array.isArray(r.logprobs) ? { logprobs: tokenLogprobs(r.logprobs) } : {}),
  };
}


export interface OllamaTag {
  name: string;
  digest: string | null;
}

/** The models pulled on a host (`/api/tags`), for preflight and digests. */
export async function listOllamaModels(host: string, signal?: AbortSignal, apiKey?: string): Promise<OllamaTag[]> {
  try {
    const list = await client(host, signal, '', apiKey).list();
    if (!Array.isArray(list?.models)) throw new ModelError(`${host}/api/tags did not list models; is this an Ollama server?`, { retryable: false });
    return list.models.map((m) => ({ name: String(m.name ?? m.model), digest: typeof m.digest === 'string' && m.digest ? m.digest : null }));
  } catch (err) {
    throw classify(err, host);
  }
}
