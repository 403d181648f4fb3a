/**
 * Loopback HTTP server that speaks the OpenAI Chat Completions API (the subset hive
 * uses), so providers can be tested against the real `openai` client offline.
 *
 * Routes live under /v1: pass `new OpenAI({ baseURL: url + '/v1', apiKey })`.
 * JSON answers carry `usage`; `stream: true` answers are SSE `data: {chunk}\n\n`
 * lines ending with `data: [DONE]`, plus a usage chunk (empty `choices`) when
 * `stream_options.include_usage` is set. Errors are `{"error":{message,type,param,code}}`.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { countWords, FlightTracker, listen, parseObject, readBody, sendJson, sendRaw, sleepUnlessClosed, splitPieces } from './loopback.js';

export { splitPieces };

export type OpenAIContent = string | null | Array<{ type: string; text?: string; [key: string]: unknown }>;
export interface OpenAIMessage {
  role: string;
  content?: OpenAIContent;
  [key: string]: unknown;
}

/** The /v1/chat/completions body as received (only `model` and `messages` are validated). */
export interface OpenAIChatBody {
  model: string;
  messages: OpenAIMessage[];
  stream?: boolean | null;
  stream_options?: { include_usage?: boolean } | null;
  response_format?: { type: string; json_schema?: unknown } | null;
  temperature?: number | null;
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  seed?: number | null;
  [key: string]: unknown;
}

interface Delayed {
  /** Wait this long (after `latencyMs`) before answering. */
  delayMs?: number;
}
/** One token's log-probability as OpenAI reports it (`logprobs: true`, `top_logprobs: n`). */
export interface OpenAILogprob {
  token: string;
  logprob: number;
  top_logprobs?: Array<{ token: string; logprob: number }>;
}
/**
 * A normal answer. `chunks` sets the streamed deltas (joined for JSON mode). The dialects real
 * "compatible" servers answer in: `content: null`; reasoning in `reasoning_content` (DeepSeek,
 * llama.cpp, older vLLM) or `reasoning` (newer vLLM, OpenRouter, Ollama's /v1), streamed before
 * the content; `usage: false` leaves usage out (as several proxies do); `emptyChoices` answers
 * 200 with `choices: []`.
 */
export interface OpenAIAnswer extends Delayed {
  content?: string | null;
  chunks?: string[];
  reasoning_content?: string;
  reasoning?: string;
  prompt_tokens?: number;
  completion_tokens?: number;
  usage?: false;
  emptyChoices?: true;
  finish_reason?: 'stop' | 'length' | 'content_filter' | 'tool_calls';
  /** Sent (on the first content delta when streaming) when the request asked for `logprobs`. */
  logprobs?: OpenAILogprob[];
}
/** An HTTP error, e.g. `{ status: 429, headers: { 'retry-after': '0' } }`. Object bodies go out as JSON, strings verbatim. */
export interface OpenAIHttpFault extends Delayed {
  status: number;
  /** Message for the default OpenAI error body. */
  message?: string;
  body?: unknown;
  headers?: Record<string, string>;
}
/** Never finish. With `chunks` (stream mode) headers and those deltas are sent first. */
export interface OpenAIHangFault extends Delayed {
  hang: true;
  chunks?: string[];
}
/** Raw non-protocol bytes, with a protocol-looking content type by default. */
export interface OpenAIGarbageFault extends Delayed {
  garbage: string;
  status?: number;
  contentType?: string;
}
/** Stream `chunks`, then an SSE `data: {"error":{...}}` event. 500 in JSON mode. */
export interface OpenAIStreamErrorFault extends Delayed {
  streamError: string;
  chunks?: string[];
}
export type OpenAIReply =
  | string
  | OpenAIAnswer
  | OpenAIHttpFault
  | OpenAIHangFault
  | OpenAIGarbageFault
  | OpenAIStreamErrorFault;

export interface ReplyContext {
  /** 0-based index of this chat request among those received since start (or the last resetStats()). */
  index: number;
  headers: IncomingHttpHeaders;
}
export type OpenAIReplyFn = (req: OpenAIChatBody, ctx: ReplyContext) => OpenAIReply | Promise<OpenAIReply>;

/**
 * - `accept`: any response_format is fine.
 * - `reject`: any response_format → 400 "Unrecognized request argument supplied: response_format".
 * - `json_object_only`: `json_schema` → 400, `json_object`/`text` accepted.
 */
export type ResponseFormatSupport = 'accept' | 'reject' | 'json_object_only';

export interface OpenAIServerOptions {
  /** Served by /v1/models; chat for any other model → 404 model_not_found. Default `['gpt-4o-mini']`. */
  models?: string[];
  /** When set, every /v1 request needs `Authorization: Bearer <apiKey>` (else 401). */
  apiKey?: string;
  reply?: OpenAIReplyFn;
  /** Fixed simulated latency added to every chat request that passes validation. */
  latencyMs?: number;
  responseFormat?: ResponseFormatSupport;
  /**
   * `reject`: a json_schema with bounds (maxLength, minimum, maximum…) → 400 naming the keyword,
   * as strict structured-output implementations answer. Default `accept`.
   */
  schemaBounds?: 'accept' | 'reject';
  /** Top-level body parameters refused with OpenAI's 400 "Unrecognized request argument supplied: <name>". */
  rejectParams?: string[];
  /** `true`: answer SSE even to a request without `stream: true`, as some proxies do. */
  streamAlways?: boolean;
}

const BOUND_KEYWORDS = ['maxLength', 'minLength', 'maximum', 'minimum', 'maxItems', 'minItems'];

/** The first bound keyword anywhere in a JSON schema, with the property path it sits under. */
function firstBound(schema: unknown, path: string[] = []): { keyword: string; path: string[] } | undefined {
  if (schema === null || typeof schema !== 'object') return undefined;
  for (const [k, v] of Object.entries(schema)) {
    if (BOUND_KEYWORDS.includes(k)) return { keyword: k, path };
    const found = firstBound(v, [...path, k]);
    if (found) return found;
  }
  return undefined;
}

export interface ReceivedChat<B> {
  body: B;
  headers: IncomingHttpHeaders;
}
export interface LoopbackStats<B> {
  /** Requests per URL path (any method, any outcome, auth failures included). */
  requests: Record<string, number>;
  /** Chat requests per requested model name (rejected ones included). */
  chatByModel: Record<string, number>;
  inFlight: number;
  maxInFlight: number;
  /** Chat requests whose client went away before the answer was complete. */
  aborted: number;
  /** Every chat request that got past JSON parsing, with its headers. */
  chatLog: Array<ReceivedChat<B>>;
}

export interface OpenAIServer {
  /** `http://127.0.0.1:<port>` (no /v1). */
  url: string;
  stats: LoopbackStats<OpenAIChatBody>;
  setBehaviour(patch: Partial<OpenAIServerOptions>): void;
  resetStats(): void;
  /** Closes every socket (hung requests included, counted as aborted) and resolves once stats have settled. */
  close(): Promise<void>;
}

/** OpenAI's error body; `type` is e.g. invalid_request_error, server_error, requests, tokens. */
export function openAIError(message: string, type: string, code: string | null = null, param: string | null = null) {
  return { error: { message, type, param, code } };
}

function defaultFault(status: number, message?: string) {
  if (status === 429)
    return openAIError(message ?? 'Rate limit reached for requests. Please try again later.', 'requests', 'rate_limit_exceeded');
  if (status === 503) return openAIError(message ?? 'The engine is currently overloaded, please try again later', 'server_error');
  if (status >= 500)
    return openAIError(message ?? 'The server had an error while processing your request. Sorry about that!', 'server_error');
  return openAIError(message ?? `Request failed with status ${status}`, 'invalid_request_error');
}

function contentText(content: OpenAIContent | undefined): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p) => p.text ?? '').join(' ');
  return '';
}

const MODEL_CREATED = 1_721_172_741;

export async function startOpenAIServer(opts: OpenAIServerOptions = {}): Promise<OpenAIServer> {
  let models: string[] = ['gpt-4o-mini'];
  let apiKey: string | undefined;
  let reply: OpenAIReplyFn = (body) => `echo: ${contentText(body.messages[body.messages.length - 1]?.content)}`;
  let latencyMs = 0;
  let responseFormat: ResponseFormatSupport = 'accept';
  let schemaBounds: 'accept' | 'reject' = 'accept';
  let rejectParams: string[] = [];
  let streamAlways = false;
  const setBehaviour = (patch: Partial<OpenAIServerOptions>): void => {
    if (patch.models) models = [...patch.models];
    if ('apiKey' in patch) apiKey = patch.apiKey;
    if (patch.reply) reply = patch.reply;
    if (patch.latencyMs !== undefined) latencyMs = patch.latencyMs;
    if (patch.responseFormat) responseFormat = patch.responseFormat;
    if (patch.schemaBounds) schemaBounds = patch.schemaBounds;
    if (patch.rejectParams) rejectParams = [...patch.rejectParams];
    if (patch.streamAlways !== undefined) streamAlways = patch.streamAlways;
  };
  setBehaviour(opts);

  const stats: LoopbackStats<OpenAIChatBody> = {
    requests: {},
    chatByModel: {},
    inFlight: 0,
    maxInFlight: 0,
    aborted: 0,
    chatLog: [],
  };
  const flights = new FlightTracker(stats);
  let chatIndex = 0;

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent && !res.destroyed) sendJson(res, 500, openAIError(String(err), 'server_error'));
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://loopback').pathname;
    stats.requests[path] = (stats.requests[path] ?? 0) + 1;
    const method = req.method ?? 'GET';

    if (apiKey !== undefined) {
      const auth = req.headers.authorization;
      if (!auth)
        return sendJson(
          res,
          401,
          openAIError(
            "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
            'invalid_request_error',
          ),
        );
      if (auth !== `Bearer ${apiKey}`) {
        const given = auth.replace(/^Bearer\s+/i, '');
        const masked = given.length > 8 ? `${given.slice(0, 3)}${'*'.repeat(given.length - 7)}${given.slice(-4)}` : '****';
        return sendJson(
          res,
          401,
          openAIError(`Incorrect API key provided: ${masked}.`, 'invalid_request_error', 'invalid_api_key'),
        );
      }
    }

    if (method === 'GET' && path === '/v1/models') {
      return sendJson(res, 200, { object: 'list', data: models.map(modelObject) });
    }
    const one = /^\/v1\/models\/(.+)$/.exec(path);
    if (method === 'GET' && one?.[1]) {
      const id = decodeURIComponent(one[1]);
      if (models.includes(id)) return sendJson(res, 200, modelObject(id));
      return sendJson(res, 404, openAIError(`The model '${id}' does not exist`, 'invalid_request_error', 'model_not_found', 'model'));
    }
    if (method === 'POST' && path === '/v1/chat/completions') return chat(req, res);
    sendJson(res, 404, openAIError(`Invalid URL (${method} ${path})`, 'invalid_request_error'));
  }

  async function chat(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = parseObject(await readBody(req));
    if (!raw)
      return sendJson(
        res,
        400,
        openAIError('We could not parse the JSON body of your request. (HINT: This likely means you aren\'t using your HTTP library correctly.)', 'invalid_request_error'),
      );
    const body = raw as OpenAIChatBody;
    const index = chatIndex++;
    stats.chatLog.push({ body, headers: req.headers });
    if (typeof body.model === 'string') stats.chatByModel[body.model] = (stats.chatByModel[body.model] ?? 0) + 1;
    flights.track(res);

    if (typeof body.model !== 'string' || body.model === '')
      return sendJson(res, 400, openAIError('you must provide a model parameter', 'invalid_request_error', null, 'model'));
    if (!Array.isArray(body.messages))
      return sendJson(res, 400, openAIError("Missing required parameter: 'messages'.", 'invalid_request_error', 'missing_required_parameter', 'messages'));
    if (!models.includes(body.model))
      return sendJson(
        res,
        404,
        openAIError(`The model \`${body.model}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found'),
      );
    const rf = body.response_format?.type;
    if (rf && responseFormat === 'reject')
      return sendJson(res, 400, openAIError('Unrecognized request argument supplied: response_format', 'invalid_request_error'));
    if (rf === 'json_schema' && responseFormat === 'json_object_only')
      return sendJson(
        res,
        400,
        openAIError(
          "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.",
          'invalid_request_error',
          null,
          'response_format',
        ),
      );

    const refused = rejectParams.find((p) => Object.hasOwn(body, p));
    if (refused) return sendJson(res, 400, openAIError(`Unrecognized request argument supplied: ${refused}`, 'invalid_request_error'));
    const schema = (body.response_format?.json_schema as { name?: string; schema?: unknown } | undefined) ?? undefined;
    const bound = rf === 'json_schema' && schemaBounds === 'reject' ? firstBound(schema?.schema) : undefined;
    if (bound) {
      const where = bound.path.filter((p) => p !== 'properties').join("', '");
      return sendJson(
        res,
        400,
        openAIError(
          `Invalid schema for response_format '${schema?.name ?? ''}': In context=('properties', '${where}'), '${bound.keyword}' is not permitted.`,
          'invalid_request_error',
          'invalid_json_schema',
          'response_format',
        ),
      );
    }

    const streaming = streamAlways || body.stream === true;
    // A proxy that streams what was asked as one answer sends the usage chunk unasked, as OpenAI's final chunk would.
    const includeUsage = (streaming && body.stream_options?.include_usage === true) || (streamAlways && body.stream !== true);
    if (!(await sleepUnlessClosed(latencyMs, res))) return;
    let answer: OpenAIReply;
    try {
      answer = await reply(body, { index, headers: req.headers });
    } catch (err) {
      return sendJson(res, 500, openAIError(`reply() threw: ${String(err)}`, 'server_error'));
    }
    if (typeof answer === 'string') answer = { content: answer };
    if (!(await sleepUnlessClosed(answer.delayMs ?? 0, res))) return;

    if ('garbage' in answer) {
      res.writeHead(answer.status ?? 200, {
        'Content-Type': answer.contentType ?? (streaming ? 'text/event-stream; charset=utf-8' : 'application/json'),
      });
      res.end(answer.garbage);
      return;
    }
    if ('status' in answer) return sendRaw(res, answer.status, answer.body ?? defaultFault(answer.status, answer.message), answer.headers);

    const id = `chatcmpl-${randomBytes(12).toString('hex')}`;
    const created = Math.floor(Date.now() / 1000);
    const requestId = { 'x-request-id': `req_${randomBytes(16).toString('hex')}` };
    const chunk = (delta: Record<string, unknown>, finish: string | null) => ({
      id,
      object: 'chat.completion.chunk',
      created,
      model: body.model,
      system_fingerprint: 'fp_loopback',
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...(includeUsage ? { usage: null } : {}),
    });
    const deltas = (pieces: string[], reasoning: { field: string; pieces: string[] } | undefined = undefined, logprobs?: OpenAILogprob[]) => [
      chunk({ role: 'assistant', content: '', refusal: null }, null),
      ...(reasoning?.pieces ?? []).map((p) => chunk({ [reasoning?.field ?? 'reasoning']: p }, null)),
      ...pieces.map((p, i) => {
        const c = chunk({ content: p }, null);
        if (i === 0 && logprobs) (c.choices[0] as Record<string, unknown>).logprobs = { content: logprobs, refusal: null };
        return c;
      }),
    ];

    if ('hang' in answer) {
      if (streaming && answer.chunks) await streamEvents(res, deltas(answer.chunks), requestId);
      return; // the in-flight tracker counts the abort when the client gives up
    }
    if ('streamError' in answer) {
      const err = openAIError(answer.streamError, 'server_error');
      if (!streaming) return sendJson(res, 500, err, requestId);
      await streamEvents(res, [...deltas(answer.chunks ?? []), err], requestId);
      res.end();
      return;
    }

    const pieces = answer.chunks ?? splitPieces(answer.content ?? '');
    const reasoningField = answer.reasoning_content !== undefined ? 'reasoning_content' : answer.reasoning !== undefined ? 'reasoning' : undefined;
    const reasoningText = answer.reasoning_content ?? answer.reasoning;
    const reasoning = reasoningField && reasoningText !== undefined ? { field: reasoningField, pieces: splitPieces(reasoningText) } : undefined;
    const logprobs = body.logprobs === true ? answer.logprobs : undefined;
    const promptTokens =
      answer.prompt_tokens ?? Math.max(1, body.messages.reduce((n, m) => n + countWords(contentText(m.content)), 0));
    const completionTokens = answer.completion_tokens ?? (reasoning?.pieces.length ?? 0) + pieces.length;
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    };
    const finish = answer.finish_reason ?? 'stop';
    const withUsage = answer.usage !== false;

    if (!streaming) {
      const message: Record<string, unknown> = { role: 'assistant', content: answer.content === null ? null : pieces.join(''), refusal: null, annotations: [] };
      if (reasoningField && reasoningText !== undefined) message[reasoningField] = reasoningText;
      return sendJson(
        res,
        200,
        {
          id,
          object: 'chat.completion',
          created,
          model: body.model,
          choices: answer.emptyChoices
            ? []
            : [{ index: 0, message, logprobs: logprobs ? { content: logprobs, refusal: null } : null, finish_reason: finish }],
          ...(withUsage ? { usage } : {}),
          service_tier: 'default',
          system_fingerprint: 'fp_loopback',
        },
        requestId,
      );
    }
    const events: unknown[] = answer.emptyChoices ? [{ ...chunk({}, null), choices: [] }] : [...deltas(pieces, reasoning, logprobs), chunk({}, finish)];
    if (includeUsage && withUsage) events.push({ ...chunk({}, null), choices: [], usage });
    if (!(await streamEvents(res, events, requestId))) return;
    res.end('data: [DONE]\n\n');
  }

  const resetStats = (): void => {
    Object.assign(stats, { requests: {}, chatByModel: {}, maxInFlight: stats.inFlight, aborted: 0, chatLog: [] });
    chatIndex = 0;
  };

  const { url, close } = await listen(server, flights);
  return { url, stats, setBehaviour, resetStats, close };
}

function modelObject(id: string) {
  return { id, object: 'model', created: MODEL_CREATED, owned_by: 'system' };
}

/** Writes SSE `data:` events one event-loop turn apart. Returns false if the client went away. */
async function streamEvents(res: ServerResponse, events: unknown[], headers: Record<string, string>): Promise<boolean> {
  if (res.destroyed) return false;
  if (!res.headersSent)
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache', ...headers });
  res.flushHeaders();
  for (const event of events) {
    if (res.destroyed) return false;
    res.write(`data: ${JSON.stringify(event)}\n\n`);
    await new Promise((r) => setImmediate(r));
  }
  return !res.destroyed;
}
