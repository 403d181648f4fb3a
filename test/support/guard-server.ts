/**
 * Loopback HTTP server that stands in for a guard API (an in-house classifier, Lakera Guard,
 * Azure Prompt Shields, LLM Guard's API): any path, a JSON request body, a JSON answer whose
 * shape the test chooses. So `provider: http` is tested over real HTTP with `fetch`, no mocks.
 *
 * HEAD and GET answer 405 with `Allow: POST, PUT`, as such endpoints do: what a reachability
 * check sees. With `routes`, any other path answers 404 to every method (a wrong `url`).
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { FlightTracker, listen, readBody, sendJson, sendRaw, sleepUnlessClosed, type FlightStats } from './loopback.js';

export interface GuardRequest {
  method: string;
  path: string;
  /** The query string as sent (`?api-version=…`). */
  query: string;
  headers: IncomingHttpHeaders;
  /** The body parsed as JSON, undefined when it is not JSON. */
  body: unknown;
  raw: string;
}

interface Delayed {
  delayMs?: number;
}
/** A 200 answer with this JSON. */
export interface GuardAnswer extends Delayed {
  json: unknown;
}
/** An HTTP error; object bodies go out as JSON, strings verbatim. */
export interface GuardHttpFault extends Delayed {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}
export interface GuardHangFault extends Delayed {
  hang: true;
}
export interface GuardGarbageFault extends Delayed {
  garbage: string;
  contentType?: string;
}
export type GuardReply = GuardAnswer | GuardHttpFault | GuardHangFault | GuardGarbageFault;
export type GuardReplyFn = (req: GuardRequest, ctx: { index: number }) => GuardReply | Promise<GuardReply>;

export interface GuardServerOptions {
  reply?: GuardReplyFn;
  latencyMs?: number;
  /** The only paths served (e.g. `['/v2/guard']`); unset: every path. */
  routes?: string[];
}

export interface GuardStats extends FlightStats {
  /** Requests per method and path, e.g. `POST /v2/guard`. */
  requests: Record<string, number>;
  /** Every POST/PUT, in arrival order. */
  log: GuardRequest[];
}

export interface GuardServer {
  url: string;
  stats: GuardStats;
  setBehaviour(patch: Partial<GuardServerOptions>): void;
  resetStats(): void;
  close(): Promise<void>;
}

/** The default: flags a text that mentions ATTACK, with an injection score. */
export const defaultGuardReply: GuardReplyFn = (req) => {
  const text = JSON.stringify(req.body ?? '');
  const attack = text.includes('ATTACK');
  return { json: { flagged: attack, scores: { injection: attack ? 0.97 : 0.02 } } };
};

export async function startGuardServer(opts: GuardServerOptions = {}): Promise<GuardServer> {
  let reply: GuardReplyFn = defaultGuardReply;
  let latencyMs = 0;
  let routes: string[] | undefined;
  const setBehaviour = (patch: Partial<GuardServerOptions>): void => {
    if (patch.reply) reply = patch.reply;
    if ('routes' in patch) routes = patch.routes;
    if (patch.latencyMs !== undefined) latencyMs = patch.latencyMs;
  };
  setBehaviour(opts);
  const stats: GuardStats = { requests: {}, log: [], inFlight: 0, maxInFlight: 0, aborted: 0 };
  const flights = new FlightTracker(stats);
  let index = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://loopback');
    const method = req.method ?? 'GET';
    const route = `${method} ${url.pathname}`;
    stats.requests[route] = (stats.requests[route] ?? 0) + 1;
    if (routes && !routes.includes(url.pathname)) {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(method === 'HEAD' ? undefined : JSON.stringify({ detail: 'Not Found' }));
      return;
    }
    if (method !== 'POST' && method !== 'PUT') {
      res.writeHead(405, { Allow: 'POST, PUT', 'Content-Type': 'application/json' });
      res.end(method === 'HEAD' ? undefined : JSON.stringify({ detail: 'Method Not Allowed' }));
      return;
    }
    const raw = await readBody(req);
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      body = undefined;
    }
    const received: GuardRequest = { method, path: url.pathname, query: url.search, headers: req.headers, body, raw };
    stats.log.push(received);
    flights.track(res);
    if (!(await sleepUnlessClosed(latencyMs, res))) return;
    let answer: GuardReply;
    try {
      answer = await reply(received, { index: index++ });
    } catch (err) {
      return sendJson(res, 500, { detail: `reply() threw: ${String(err)}` });
    }
    if (!(await sleepUnlessClosed(answer.delayMs ?? 0, res))) return;
    if ('hang' in answer) return;
    if ('garbage' in answer) {
      res.writeHead(200, { 'Content-Type': answer.contentType ?? 'application/json' });
      res.end(answer.garbage);
      return;
    }
    if ('status' in answer) return sendRaw(res, answer.status, answer.body ?? { detail: `HTTP ${answer.status}` }, answer.headers);
    sendJson(res, 200, answer.json);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent && !res.destroyed) sendJson(res, 500, { detail: String(err) });
      else res.destroy();
    });
  });
  const resetStats = (): void => {
    Object.assign(stats, { requests: {}, log: [], maxInFlight: stats.inFlight, aborted: 0 });
    index = 0;
  };
  const { url, close } = await listen(server, flights);
  return { url, stats, setBehaviour, resetStats, close };
}
