/**
 * What the loopback servers of test/support share: reading and answering HTTP bodies, waiting
 * without outliving a socket, counting requests in flight, and listening on an ephemeral port
 * with a close() that drops hung sockets and waits for their stats to settle.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Splits text into word-ish pieces that concatenate back to the original. */
export function splitPieces(text: string): string[] {
  return text.match(/^\s+|\S+\s*/g) ?? [];
}

export const countWords = (text: string): number => text.split(/\s+/).filter(Boolean).length;

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

export function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** `jsonType` is the content type the imitated server puts on JSON (Ollama adds a charset, OpenAI does not). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}, jsonType = 'application/json'): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'Content-Type': jsonType, ...headers });
  res.end(JSON.stringify(body));
}

/** Objects as JSON, strings verbatim (text/plain unless `headers` says otherwise). */
export function sendRaw(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}, jsonType = 'application/json'): void {
  if (typeof body !== 'string') return sendJson(res, status, body, headers, jsonType);
  if (res.destroyed) return;
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
  res.end(body);
}

/** Resolves true after `ms`, or false as soon as the client disconnects (so no timer outlives a socket). */
export function sleepUnlessClosed(ms: number, res: ServerResponse): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onClose = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(true);
    }, ms);
    res.once('close', onClose);
  });
}

/** The in-flight part of every server's stats. */
export interface FlightStats {
  inFlight: number;
  maxInFlight: number;
  /** Requests whose client went away before the answer was complete. */
  aborted: number;
}

/** Counts a response in flight until it closes; an unfinished close is an abort. */
export class FlightTracker {
  readonly open = new Set<ServerResponse>();
  constructor(private readonly stats: FlightStats) {}

  track(res: ServerResponse): void {
    this.open.add(res);
    this.stats.inFlight++;
    this.stats.maxInFlight = Math.max(this.stats.maxInFlight, this.stats.inFlight);
    res.once('close', () => {
      this.open.delete(res);
      this.stats.inFlight--;
      if (!res.writableFinished) this.stats.aborted++;
    });
  }
}

/**
 * Listens on 127.0.0.1:<ephemeral>; `close` destroys every socket (hung requests included) and
 * resolves once their 'close' events (which fire a little after the server's own) have settled stats.
 */
export async function listen(server: Server, tracker: FlightTracker): Promise<{ url: string; close: () => Promise<void> }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      const settled = [...tracker.open].map((res) => new Promise((resolve) => res.once('close', resolve)));
      await new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
      await Promise.all(settled);
    },
  };
}
