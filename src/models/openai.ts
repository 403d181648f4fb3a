/**
 * The OpenAI-compatible provider (cloud APIs, OpenRouter, vLLM, LM Studio, llama.cpp, LiteLLM):
 * transport only, through the official `openai` client with its own retries off (`maxRetries: 0`)
 * so the one policy wrapper decides every retry and every wait. The API key comes from the
 * environment variable the entry names; it never appears in an error, a log or the database.
 */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { ConfigError, errorMessage, ModelError } from '../errors.js';
import type { ChatRequest, Transport, TransportResult } from './chat.js';
import { Dialect, hasBounds, refusal, SCHEMA_BOUNDS_REFUSAL, unbounded, type Feature, type Refusal } from './dialect.js';
import { clip, isAbortError, networkError, redact, statusError } from './http.js';
import { foldSse, StreamError } from './streams.js';
import { counts, tokenLogprobs } from './wire.js';

export const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';

/** Our timer (policy.ts) ends calls; the client's must never fire first. */
const CLIENT_TIMEOUT_MS = 24 * 60 * 60 * 1000;

/** The fix line for a missing key, e.g. `export DEEPSEEK_API_KEY=…`. */
export function exportHint(name: string): string {
  return `export ${name}=…`;
}

/**
 * Reads the key named by `api_key_env`. A named variable that is unset or empty is a ConfigError
 * naming the variable (never its value). No `api_key_env` means a server without keys.
 */
export function resolveApiKey(apiKeyEnv: string | undefined, env: NodeJS.ProcessEnv, who: string): string | undefined {
  if (apiKeyEnv === undefined) return undefined;
  const key = env[apiKeyEnv];
  if (key === undefined || key.trim() === '') {
    throw new ConfigError(`${who}: environment variable ${apiKeyEnv} (api_key_env) is not set; run "${exportHint(apiKeyEnv)}" first.`);
  }
  return key.trim();
}

/**
 * Normalises what "compatible" servers send back before the client reads it:
 * - an error body without an `error` key (Mistral, FastAPI-based servers): the client would report
 *   "422 status code (no body)" and lose the reason (e.g. which parameter was refused), so it is
 *   wrapped as `{"error": {"message": …}}`;
 * - a stream sent for a request that asked for none (some servers and proxies do): folded into the
 *   one `chat.completion` the protocol promised (streams.ts); an error event in it becomes a 502.
 */
async function normalizingFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const res = await fetch(input, init);
  if (res.ok) {
    if (!(res.headers.get('content-type') ?? '').includes('text/event-stream') || askedToStream(init)) return res;
    const text = await res.text();
    try {
      return jsonResponse(200, foldSse(text), res);
    } catch (err) {
      if (!(err instanceof StreamError)) throw err;
      return jsonResponse(502, { error: { message: `the stream carried an error: ${err.message}` } }, res);
    }
  }
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const wrap = parsed !== null && typeof parsed === 'object' && !Object.hasOwn(parsed, 'error');
  if (wrap) return jsonResponse(res.status, { error: { message: text.slice(0, 2000) } }, res);
  const headers = new Headers(res.headers);
  headers.delete('content-length');
  headers.delete('content-encoding');
  return new Response(text, { status: res.status, statusText: res.statusText, headers });
}

function askedToStream(init: RequestInit | undefined): boolean {
  if (typeof init?.body !== 'string') return false;
  try {
    return (JSON.parse(init.body) as { stream?: unknown }).stream === true;
  } catch {
    return false;
  }
}

function jsonResponse(status: number, body: unknown, like: Response): Response {
  const headers = new Headers(like.headers);
  headers.delete('content-length');
  headers.delete('content-encoding');
  headers.set('content-type', 'application/json');
  return new Response(JSON.stringify(body), { status, statusText: like.statusText, headers });
}

export function openAIClient(baseUrl: string, apiKey: string | undefined): OpenAI {
  return new OpenAI({
    fetch: normalizingFetch,
    baseURL: baseUrl,
    // Always explicit: the client would otherwise pick up OPENAI_API_KEY and send it to any base_url.
    apiKey: apiKey ?? 'no-key',
    maxRetries: 0,
    timeout: CLIENT_TIMEOUT_MS,
    // The CLI prints, libraries do not.
    logLevel: 'off',
  });
}

/**
 * How this provider's servers say they refuse a feature (dialect.ts). Order matters: bounds
 * before the schema (a bounds error names response_format too), chat_template_kwargs before
 * reasoning_effort (Ollama's /v1 refuses the latter as a "think value").
 */
const REFUSALS: readonly Refusal[] = [
  SCHEMA_BOUNDS_REFUSAL,
  refusal('json_schema', /response_format|json_schema|structured/i),
  refusal('json_object', /response_format|json_object/i),
  refusal('seed', /\bseed\b/i),
  { feature: 'max_tokens', matches: (t) => /max_tokens/.test(t) && /max_completion_tokens/.test(t) },
  refusal('temperature', /\btemperature\b/i),
  refusal('chat_template_kwargs', /chat_template_kwargs|enable_thinking/i),
  refusal('reasoning_effort', /reasoning_effort|\bthink/i),
  refusal('logprobs', /logprobs/i),
];

/** How many top alternatives a guard's first tokens are asked for. */
const TOP_LOGPROBS = 5;

/** The text of a 400/422 that may name the parameter the server refused. */
function rejection(err: unknown): string | undefined {
  if (!(err instanceof APIError) || (err.status !== 400 && err.status !== 422)) return undefined;
  return `${err.param ?? ''} ${err.code ?? ''} ${err.message}`;
}

type Body = ChatCompletionCreateParamsNonStreaming & Record<string, unknown>;

/** The request body in the form `d` allows, with the refusable features it carries. */
function completionBody(model: string, req: ChatRequest, d: Dialect): { body: Body; sent: Set<Feature> } {
  const sent = new Set<Feature>();
  const body: Body = { model, messages: req.messages.map((m) => ({ role: m.role, content: m.content })) };
  const use = (f: Feature): boolean => d.allows(f) && (sent.add(f), true);
  if (req.temperature !== undefined && use('temperature')) body.temperature = req.temperature;
  if (req.seed !== undefined && use('seed')) body.seed = req.seed;
  if (req.maxTokens !== undefined) body[use('max_tokens') ? 'max_tokens' : 'max_completion_tokens'] = req.maxTokens;
  if (req.jsonSchema && use('json_schema')) {
    const bounded = hasBounds(req.jsonSchema.schema) && use('schema_bounds');
    const schema = bounded ? req.jsonSchema.schema : unbounded(req.jsonSchema.schema);
    body.response_format = { type: 'json_schema', json_schema: { name: req.jsonSchema.name, schema } };
  } else if (req.jsonSchema && use('json_object')) {
    body.response_format = { type: 'json_object' };
  }
  // No standard switch for thinking: Ollama's /v1 and OpenAI read reasoning_effort "none",
  // vLLM, SGLang and llama.cpp pass chat_template_kwargs to the model's template.
  if (req.think === false && use('reasoning_effort')) body.reasoning_effort = 'none';
  if (req.think !== undefined && use('chat_template_kwargs')) body.chat_template_kwargs = { enable_thinking: req.think };
  if (req.logprobs && use('logprobs')) {
    body.logprobs = true;
    body.top_logprobs = TOP_LOGPROBS;
  }
  return { body, sent };
}

interface ClassifyContext {
  where: string;
  model: string;
  apiKeyEnv: string | undefined;
  apiKey: string | undefined;
}

/** The server's own message without the client's "<status> " prefix, key-free. */
function serverMessage(err: APIError, c: ClassifyContext): string {
  return redact(err.message.replace(/^\d{3}\s+/, ''), [c.apiKey]);
}

function classify(err: unknown, c: ClassifyContext): unknown {
  if (err instanceof APIUserAbortError || isAbortError(err)) return err;
  if (err instanceof APIConnectionTimeoutError) return new ModelError(`${c.where} timed out`, { retryable: true });
  if (err instanceof APIConnectionError) return networkError(c.where, err.cause ?? err);
  if (err instanceof APIError && typeof err.status === 'number') {
    const status = err.status;
    if (status === 401 || status === 403) {
      // The server's text may quote part of the key: never pass it on.
      const which = c.apiKeyEnv ? `the key in ${c.apiKeyEnv}` : 'the request (no api_key_env is set for this entry)';
      return new ModelError(`${c.where} rejected ${which} (HTTP ${status}); check the key and its access to ${c.model}`, { retryable: false, status });
    }
    if (status === 404) {
      return new ModelError(`${c.where} has no model "${c.model}" (HTTP 404: ${clip(serverMessage(err, c))})`, { retryable: false, status });
    }
    return statusError(c.where, status, serverMessage(err, c), err.headers);
  }
  if (err instanceof SyntaxError) {
    return new ModelError(`${c.where} answered with something that is not the OpenAI protocol (${clip(err.message, 80)})`, { retryable: false, cause: err });
  }
  return new ModelError(`${c.where}: ${clip(redact(errorMessage(err), [c.apiKey]))}`, { retryable: false, cause: err });
}

export interface OpenAITransportOptions {
  model: string;
  apiKey: string | undefined;
  /** The variable's name, for messages. */
  apiKeyEnv: string | undefined;
  /** `structured_output` (default true): send response_format, falling back when the server rejects it. */
  structuredOutput: boolean;
}

export function createOpenAITransport(o: OpenAITransportOptions): Transport {
  const clients = new Map<string, OpenAI>();
  const clientFor = (baseUrl: string): OpenAI => {
    let c = clients.get(baseUrl);
    if (!c) clients.set(baseUrl, (c = openAIClient(baseUrl, o.apiKey)));
    return c;
  };
  // Sticky per model: once a server refused something, later calls do not send it again.
  const dialect = new Dialect(o.structuredOutput ? [] : ['json_schema', 'json_object']);

  return {
    provider: 'openai',
    model: o.model,
    async send(baseUrl: string, req: ChatRequest, signal: AbortSignal): Promise<TransportResult> {
      const c: ClassifyContext = { where: baseUrl, model: o.model, apiKeyEnv: o.apiKeyEnv, apiKey: o.apiKey };
      // Bounded: each adaptation removes one feature.
      for (;;) {
        const { body, sent } = completionBody(o.model, req, dialect);
        let completion: unknown;
        try {
          completion = await clientFor(baseUrl).chat.completions.create(body, { signal });
        } catch (err) {
          const text = rejection(err);
          // Not a retry: the same question, asked in a form this server accepts.
          if (text !== undefined && dialect.learn(text, sent, REFUSALS)) continue;
          throw classify(err, c);
        }
        return readCompletion(completion, baseUrl);
      }
    },
  };
}

type Choice = { message?: Record<string, unknown>; finish_reason?: unknown; logprobs?: { content?: unknown } | null };

/** Checks the shape instead of trusting it: a proxy can answer 200 with anything. */
function readCompletion(completion: unknown, where: string): TransportResult {
  const choices = (completion as { choices?: unknown } | null)?.choices;
  if (!Array.isArray(choices)) throw new ModelError(`${where} answered without choices; is this an OpenAI-compatible endpoint?`, { retryable: false });
  if (choices.length === 0) throw new ModelError(`${where} answered with no choices ("choices": [])`, { retryable: false });
  const choice = choices[0] as Choice;
  const message = choice.message ?? {};
  // A structured-output refusal arrives in `refusal` with no content: it is still the model's answer.
  const text = typeof message.content === 'string' ? message.content : typeof message.refusal === 'string' ? message.refusal : '';
  const reasoning = [message.reasoning_content, message.reasoning].filter((r): r is string => typeof r === 'string' && r !== '').join('\n\n');
  const usage = (completion as { usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } | null }).usage;
  return {
    text,
    ...(reasoning !== '' ? { reasoning } : {}),
    ...counts(usage?.prompt_tokens, usage?.completion_tokens),
    finishReason: typeof choice.finish_reason === 'string' ? choice.finish_reason : undefined,
    ...(Array.isArray(choice.logprobs?.content) ? { logprobs: tokenLogprobs(choice.logprobs.content) } : {}),
  };
}


export type ModelListing = { served: true; ids: string[] } | { served: false };

/** `GET /models` where the server has it (many OpenAI-compatible servers do, some do not). */
export async function listOpenAIModels(baseUrl: string, apiKey: string | undefined, apiKeyEnv: string | undefined, signal?: AbortSignal): Promise<ModelListing> {
  try {
    const page = await openAIClient(baseUrl, apiKey).models.list(signal ? { signal } : undefined);
    const data: unknown = (page as { data?: unknown }).data;
    if (!Array.isArray(data)) return { served: false };
    return { served: true, ids: data.map((m) => String((m as { id?: unknown }).id)) };
  } catch (err) {
    if (err instanceof APIError && (err.status === 404 || err.status === 405)) return { served: false };
    throw classify(err, { where: baseUrl, model: '(model list)', apiKeyEnv, apiKey });
  }
}
