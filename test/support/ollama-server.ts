/**
 * Loopback HTTP server that speaks the Ollama REST API (the subset hive uses),
 * so providers can be tested against the real `ollama` client without Ollama.
 *
 * Wire format follows ollama/docs/api.md: /api/chat streams NDJSON
 * (`application/x-ndjson`) unless `"stream": false`; errors are `{"error": "..."}`.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { countWords, FlightTracker, listen, parseObject, readBody, sendJson as sendAnyJson, sendRaw as sendAnyRaw, sleepUnlessClosed, splitPieces } from './loopback.js';

export { splitPieces };

/** Ollama's JSON answers carry a charset. */
const OLLAMA_JSON = 'application/json; charset=utf-8';
const sendJson = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => sendAnyJson(res, status, body, headers, OLLAMA_JSON);
const sendRaw = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => sendAnyRaw(res, status, body, headers, OLLAMA_JSON);

export interface OllamaMessage {
  role: string;
  content: string;
  images?: string[];
  [key: string]: unknown;
}

/** The /api/chat body as received (only `model` is validated). */
export interface OllamaChatBody {
  model: string;
  messages: OllamaMessage[];
  stream?: boolean;
  format?: string | Record<string, unknown>;
  options?: Record<string, unknown>;
  keep_alive?: string | number;
  [key: string]: unknown;
}

interface Delayed {
  /** Wait this long (after `latencyMs`) before answering. */
  delayMs?: number;
}
/** One token's log-probability as Ollama reports it (`logprobs: true`, `top_logprobs: n`). */
export interface OllamaLogprob {
  token: string;
  logprob: number;
  top_logprobs?: Array<{ token: string; logprob: number }>;
}
/**
 * A normal answer. `chunks` sets the streamed pieces (joined for stream:false). `thinking` goes in
 * `message.thinking` (streamed before the content), as Ollama answers a thinking model. A count
 * set to `null` is left out of the final object, as Ollama does when the whole prompt was cached.
 */
export interface OllamaAnswer extends Delayed {
  content?: string;
  chunks?: string[];
  thinking?: string;
  prompt_eval_count?: number | null;
  eval_count?: number | null;
  done_reason?: string;
  /** Sent at the top level when the request asked for `logprobs`. */
  logprobs?: OllamaLogprob[];
}
/** An HTTP error. Object bodies are sent as JSON, strings verbatim as text/plain. */
export interface OllamaHttpFault extends Delayed {
  status: number;
  /** Shortcut for body `{"error": message}`. */
  message?: string;
  body?: unknown;
  headers?: Record<string, string>;
}
/** Never finish. With `chunks` (stream mode) headers and those pieces are sent first. */
export interface OllamaHangFault extends Delayed {
  hang: true;
  chunks?: string[];
}
/** Raw bytes that are not the protocol, with a protocol-looking content type by default. */
export interface OllamaGarbageFault extends Delayed {
  garbage: string;
  status?: number;
  contentType?: string;
}
/** Stream `chunks`, then an `{"error": ...}` line (what Ollama does when a runner dies). 500 if stream:false. */
export interface OllamaStreamErrorFault extends Delayed {
  streamError: string;
  chunks?: string[];
}
export type OllamaReply =
  | string
  | OllamaAnswer
  | OllamaHttpFault
  | OllamaHangFault
  | OllamaGarbageFault
  | OllamaStreamErrorFault;

export interface ReplyContext {
  /** 0-based index of this chat request among those received since start (or the last resetStats()). */
  index: number;
  headers: IncomingHttpHeaders;
}
export type OllamaReplyFn = (req: OllamaChatBody, ctx: ReplyContext) => OllamaReply | Promise<OllamaReply>;

export interface OllamaModelSpec {
  name: string;
  /** 64 hex chars as in /api/tags; derived from the name when omitted. */
  digest?: string;
  size?: number;
  family?: string;
  parameter_size?: string;
  quantization_level?: string;
  context_length?: number;
}

export interface OllamaServerOptions {
  /** Installed models. A name without a tag means `:latest`. Default `['llama3.2:latest']`. */
  models?: Array<string | OllamaModelSpec>;
  /** What to answer to /api/chat. Default: `echo: <last message content>`. */
  reply?: OllamaReplyFn;
  /** Fixed simulated latency added to every chat request for a known model. */
  latencyMs?: number;
  /** Reported by /api/version. */
  version?: string;
  /**
   * `true`: answer every chat as an NDJSON stream, even one sent with `"stream": false`, as some
   * proxies in front of Ollama do. Default false: honour `stream`.
   */
  streamAlways?: boolean;
  /** `true`: refuse any request carrying `think` with Ollama's 400 "does not support thinking". */
  rejectThink?: boolean;
}

export interface ReceivedChat<B> {
  body: B;
  headers: IncomingHttpHeaders;
}
export interface LoopbackStats<B> {
  /** Requests per URL path (any method, any outcome). */
  requests: Record<string, number>;
  /** Chat requests per requested model name (unknown models included). */
  chatByModel: Record<string, number>;
  inFlight: number;
  maxInFlight: number;
  /** Chat requests whose client went away before the answer was complete. */
  aborted: number;
  chatLog: Array<ReceivedChat<B>>;
}

export interface OllamaServer {
  /** `http://127.0.0.1:<port>`: pass as `new Ollama({ host: url })`. */
  url: string;
  stats: LoopbackStats<OllamaChatBody>;
  setBehaviour(patch: Partial<OllamaServerOptions>): void;
  resetStats(): void;
  /** Closes every socket (hung requests included, counted as aborted) and resolves once stats have settled. */
  close(): Promise<void>;
}

interface ResolvedModel {
  name: string;
  digest: string;
  size: number;
  family: string;
  parameter_size: string;
  quantization_level: string;
  context_length: number;
}

const withTag = (name: string): string => (name.includes(':') ? name : `${name}:latest`);

function resolveModel(spec: string | OllamaModelSpec): ResolvedModel {
  const s = typeof spec === 'string' ? { name: spec } : spec;
  const name = withTag(s.name);
  return {
    name,
    digest: s.digest ?? createHash('sha256').update(name).digest('hex'),
    size: s.size ?? 2_019_393_189,
    family: s.family ?? 'llama',
    parameter_size: s.parameter_size ?? '3.2B',
    quantization_level: s.quantization_level ?? 'Q4_K_M',
    context_length: s.context_length ?? 8192,
  };
}

function lastContent(body: OllamaChatBody): string {
  return body.messages[body.messages.length - 1]?.content ?? '';
}

const MODIFIED_AT = '2025-01-01T00:00:00.000000000Z';

export async function startOllamaServer(opts: OllamaServerOptions = {}): Promise<OllamaServer> {
  let models: ResolvedModel[] = [];
  let reply: OllamaReplyFn = (body) => `echo: ${lastContent(body)}`;
  let latencyMs = 0;
  let version = '0.12.6';
  let streamAlways = false;
  let rejectThink = false;
  const setBehaviour = (patch: Partial<OllamaServerOptions>): void => {
    if (patch.models) models = patch.models.map(resolveModel);
    if (patch.reply) reply = patch.reply;
    if (patch.latencyMs !== undefined) latencyMs = patch.latencyMs;
    if (patch.version !== undefined) version = patch.version;
    if (patch.streamAlways !== undefined) streamAlways = patch.streamAlways;
    if (patch.rejectThink !== undefined) rejectThink = patch.rejectThink;
  };
  setBehaviour({ models: ['llama3.2:latest'], ...opts });

  const stats: LoopbackStats<OllamaChatBody> = {
    requests: {},
    chatByModel: {},
    inFlight: 0,
    maxInFlight: 0,
    aborted: 0,
    chatLog: [],
  };
  const flights = new FlightTracker(stats);
  let chatIndex = 0;
  const loaded = new Set<string>();
  const findModel = (name: string): ResolvedModel | undefined => models.find((m) => m.name === withTag(name));

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent && !res.destroyed) sendJson(res, 500, { error: String(err) });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://loopback').pathname;
    stats.requests[path] = (stats.requests[path] ?? 0) + 1;
    const route = `${req.method ?? 'GET'} ${path}`;
    switch (route) {
      case 'GET /':
      case 'HEAD /':
        res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('Ollama is running');
        return;
      case 'GET /api/version':
        return sendJson(res, 200, { version });
      case 'GET /api/tags':
        return sendJson(res, 200, { models: models.map(tagEntry) });
      case 'GET /api/ps':
        return sendJson(res, 200, {
          models: models.filter((m) => loaded.has(m.name)).map((m) => ({ ...tagEntry(m), expires_at: MODIFIED_AT, size_vram: m.size })),
        });
      case 'POST /api/show':
        return show(req, res);
      case 'POST /api/chat':
        return chat(req, res);
      default:
        // gin's answer for an unknown route
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        res.end('404 page not found');
    }
  }

  async function show(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = parseObject(await readBody(req));
    const name = typeof body?.model === 'string' ? body.model : typeof body?.name === 'string' ? body.name : '';
    const m = findModel(name);
    if (!m) return sendJson(res, 404, { error: `model '${name}' not found` });
    sendJson(res, 200, {
      license: '',
      modelfile: `# Modelfile generated by "ollama show"\nFROM ${m.name}\n`,
      parameters: 'stop                           "<|eot_id|>"',
      template: '{{ .Prompt }}',
      details: details(m),
      model_info: {
        'general.architecture': m.family,
        'general.parameter_count': 3_212_749_888,
        [`${m.family}.context_length`]: m.context_length,
      },
      capabilities: ['completion'],
      modified_at: MODIFIED_AT,
    });
  }

  async function chat(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = parseObject(await readBody(req));
    if (!raw) return sendJson(res, 400, { error: 'invalid request body' });
    if (typeof raw.model !== 'string' || raw.model === '') return sendJson(res, 400, { error: 'model is required' });
    const body = { ...raw, messages: Array.isArray(raw.messages) ? raw.messages : [] } as OllamaChatBody;
    const index = chatIndex++;
    stats.chatLog.push({ body, headers: req.headers });
    stats.chatByModel[body.model] = (stats.chatByModel[body.model] ?? 0) + 1;
    flights.track(res);

    const model = findModel(body.model);
    if (!model) return sendJson(res, 404, { error: `model "${body.model}" not found, try pulling it first` });
    if (rejectThink && body.think !== undefined && body.think !== null) {
      return sendJson(res, 400, { error: `"${model.name}" does not support thinking` });
    }
    loaded.add(model.name);
    const streaming = streamAlways || body.stream !== false;
    const started = process.hrtime.bigint();

    if (!(await sleepUnlessClosed(latencyMs, res))) return;
    let answer: OllamaReply;
    try {
      answer = await reply(body, { index, headers: req.headers });
    } catch (err) {
      return sendJson(res, 500, { error: `reply() threw: ${String(err)}` });
    }
    if (typeof answer === 'string') answer = { content: answer };
    if (!(await sleepUnlessClosed(answer.delayMs ?? 0, res))) return;

    if ('garbage' in answer) {
      res.writeHead(answer.status ?? 200, {
        'Content-Type': answer.contentType ?? (streaming ? 'application/x-ndjson' : 'application/json; charset=utf-8'),
      });
      res.end(answer.garbage);
      return;
    }
    if ('status' in answer) {
      const bodyOut = answer.body ?? { error: answer.message ?? defaultErrorMessage(answer.status) };
      return sendRaw(res, answer.status, bodyOut, answer.headers);
    }

    const createdAt = () => new Date().toISOString();
    const piece = (content: string, thinking?: string) => ({
      model: body.model,
      created_at: createdAt(),
      message: { role: 'assistant', content, ...(thinking !== undefined ? { thinking } : {}) },
      done: false,
    });
    if ('hang' in answer) {
      if (streaming && answer.chunks) await streamPieces(res, answer.chunks.map((c) => piece(c)));
      return; // the in-flight tracker counts the abort when the client gives up
    }
    if ('streamError' in answer) {
      if (!streaming) return sendJson(res, 500, { error: answer.streamError });
      await streamPieces(res, [...(answer.chunks ?? []).map((c) => piece(c)), { error: answer.streamError }]);
      res.end();
      return;
    }

    const chunks = answer.chunks ?? splitPieces(answer.content ?? '');
    const content = chunks.join('');
    const thinkingPieces = answer.thinking !== undefined ? splitPieces(answer.thinking) : [];
    const promptCount =
      answer.prompt_eval_count === null ? undefined : (answer.prompt_eval_count ?? Math.max(1, body.messages.reduce((n, m) => n + countWords(String(m.content ?? '')), 0)));
    const evalCount = answer.eval_count === null ? undefined : (answer.eval_count ?? thinkingPieces.length + chunks.length);
    const totalNs = Number(process.hrtime.bigint() - started);
    const final = {
      model: body.model,
      created_at: createdAt(),
      message: {
        role: 'assistant',
        content: streaming ? '' : content,
        ...(!streaming && answer.thinking !== undefined ? { thinking: answer.thinking } : {}),
      },
      done: true,
      done_reason: answer.done_reason ?? (body.messages.length === 0 ? 'load' : 'stop'),
      total_duration: totalNs,
      load_duration: Math.floor(totalNs / 10),
      ...(promptCount !== undefined ? { prompt_eval_count: promptCount } : {}),
      prompt_eval_duration: Math.floor(totalNs / 5),
      ...(evalCount !== undefined ? { eval_count: evalCount } : {}),
      eval_duration: Math.floor(totalNs / 2),
    };
    const logprobs = body.logprobs === true && answer.logprobs ? answer.logprobs : undefined;
    if (!streaming) return sendJson(res, 200, logprobs ? { ...final, logprobs } : final);
    // Streamed, the log-probabilities travel with the pieces they belong to: all on the first here.
    const lines = [...thinkingPieces.map((t) => piece('', t)), ...chunks.map((c, i) => (i === 0 && logprobs ? { ...piece(c), logprobs } : piece(c)))];
    if (!(await streamPieces(res, lines))) return;
    res.end(`${JSON.stringify(final)}\n`);
  }

  const resetStats = (): void => {
    Object.assign(stats, { requests: {}, chatByModel: {}, maxInFlight: stats.inFlight, aborted: 0, chatLog: [] });
    chatIndex = 0;
  };

  const { url, close } = await listen(server, flights);
  return { url, stats, setBehaviour, resetStats, close };
}

function tagEntry(m: ResolvedModel) {
  return { name: m.name, model: m.name, modified_at: MODIFIED_AT, size: m.size, digest: m.digest, details: details(m) };
}

function details(m: ResolvedModel) {
  return {
    parent_model: '',
    format: 'gguf',
    family: m.family,
    families: [m.family],
    parameter_size: m.parameter_size,
    quantization_level: m.quantization_level,
  };
}

function defaultErrorMessage(status: number): string {
  if (status === 429) return 'server busy, please try again.  maximum pending requests exceeded';
  if (status === 503) return 'server overloaded, please try again later';
  if (status >= 500) return 'llama runner process has terminated: exit status 2';
  return 'bad request';
}

/** Writes NDJSON lines one event-loop turn apart. Returns false if the client went away. */
async function streamPieces(res: ServerResponse, lines: unknown[]): Promise<boolean> {
  if (res.destroyed) return false;
  if (!res.headersSent) res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
  res.flushHeaders();
  for (const line of lines) {
    if (res.destroyed) return false;
    res.write(`${JSON.stringify(line)}\n`);
    await new Promise((r) => setImmediate(r));
  }
  return !res.destroyed;
}
