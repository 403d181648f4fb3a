/**
 * The guard API provider (`provider: http`): one JSON request to one URL, transport only, like
 * ollama.ts and openai.ts, so the policy wrapper (policy.ts) gives it the same timeout, retries,
 * per-host limit and abort. The request body is the entry's template with the input in place of
 * the string "{{text}}"; the answer's text is handed back as it came, and the defender
 * (src/defense/http-guard.ts) reads the verdict from it with JSON pointers.
 *
 * Header values may name environment variables as `${NAME}`: they are read when each request is
 * made, sent only to this URL, and never stored, printed or put in an error (a server that
 * quotes a key back has its text redacted).
 */
import { ConfigError, ModelError } from '../errors.js';
import type { ChatRequest, Transport, TransportResult } from './chat.js';
import { isAbortError, networkError, redact, statusError } from './http.js';

/** `${NAME}` in a header value. A fixed pattern over the config's own text. */
const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** The environment variables a set of header templates names, in order, each once. */
export function headerVariables(headers: Readonly<Record<string, string>>): string[] {
  const names: string[] = [];
  for (const value of Object.values(headers)) for (const m of value.matchAll(VARIABLE)) if (!names.includes(m[1] as string)) names.push(m[1] as string);
  return names;
}

/** The header values with their variables filled in; a variable that is unset or empty is a ConfigError naming it. */
export function resolveHeaders(headers: Readonly<Record<string, string>>, env: NodeJS.ProcessEnv, who: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = value.replace(VARIABLE, (_, variable: string) => {
      const v = env[variable];
      if (v === undefined || v.trim() === '') throw new ConfigError(`${who}: environment variable ${variable} (named in headers.${name}) is not set; run "export ${variable}=…" first.`);
      return v.trim();
    });
  }
  return out;
}

/** The body template with every string value that is exactly `placeholder` replaced by `text`. */
function fillBody(template: unknown, placeholder: string, text: string): unknown {
  if (template === placeholder) return text;
  if (Array.isArray(template)) return template.map((v) => fillBody(v, placeholder, text));
  if (template !== null && typeof template === 'object') {
    return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, fillBody(v, placeholder, text)]));
  }
  return template;
}

/** The URL without its query and fragment: what messages and the models table show. */
export function urlWithoutQuery(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return url.replace(/[?#].*$/, '');
  }
}

export interface HttpGuardTransportOptions {
  /** Who, for messages: `defender lakera`. */
  who: string;
  method: 'POST' | 'PUT';
  headers: Readonly<Record<string, string>>;
  body: unknown;
  placeholder: string;
  env: NodeJS.ProcessEnv;
}

export function createHttpGuardTransport(o: HttpGuardTransportOptions & { url: string }): Transport {
  const where = urlWithoutQuery(o.url);
  const variables = headerVariables(o.headers);
  return {
    provider: 'http',
    model: where,
    async send(url: string, req: ChatRequest, signal: AbortSignal): Promise<TransportResult> {
      const headers = resolveHeaders(o.headers, o.env, o.who);
      const secrets = variables.map((v) => o.env[v]?.trim());
      const text = req.messages.at(-1)?.content ?? '';
      let res: Response;
      try {
        res = await fetch(url, {
          method: o.method,
          headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
          body: JSON.stringify(fillBody(o.body, o.placeholder, text)),
          signal,
        });
      } catch (err) {
        if (isAbortError(err)) throw err;
        throw networkError(where, err);
      }
      const answer = await res.text().catch((err: unknown) => {
        if (isAbortError(err)) throw err;
        throw networkError(where, err);
      });
      if (res.status === 401 || res.status === 403) {
        // The server's text may quote part of the key: never pass it on.
        const named = variables.length > 0 ? `the key in ${variables.join(', ')}` : 'the request (no header names a key variable)';
        throw new ModelError(`${where} rejected ${named} (HTTP ${res.status}); check the key and the headers of ${o.who}`, { retryable: false, status: res.status });
      }
      if (!res.ok) throw statusError(where, res.status, redact(answer, secrets), res.headers);
      return { text: answer, promptTokens: 0, completionTokens: 0 };
    },
  };
}

/** What a guard API's URL answered to the checks of `reachGuard`. */
export interface GuardReach {
  /** The status of the HEAD request. */
  head: number;
  /** The status of the request with the entry's method (no body, no key), when HEAD could not tell. */
  method?: number;
}

/** Statuses that say no such route or method is served there: the url or the method is wrong. */
const NOT_SERVED = new Set([404, 405, 410]);

/**
 * Whether a guard API's URL answers, and serves the entry's method there. First a HEAD request,
 * which costs no classification and sends no key: 405 (a POST-only route, as most such endpoints)
 * or any success says the route exists. Otherwise (404 also comes from servers that answer HEAD
 * on a POST-only route with 404) one request with the entry's `method`, without body or key, asks
 * the route itself: a served route answers 400, 401, 415 or 422 without classifying anything, a
 * wrong url 404 or 410, a wrong method 405. Network failures throw (networkError).
 */
export async function reachGuard(url: string, method: 'POST' | 'PUT', signal?: AbortSignal): Promise<GuardReach> {
  const where = urlWithoutQuery(url);
  const ask = async (m: string): Promise<number> => {
    try {
      const res = await fetch(url, { method: m, ...(signal ? { signal } : {}) });
      await res.arrayBuffer().catch(() => undefined);
      return res.status;
    } catch (err) {
      if (isAbortError(err)) throw err;
      throw networkError(where, err);
    }
  };
  const head = await ask('HEAD');
  if (head === 405 || head < 400) return { head };
  return { head, method: await ask(method) };
}

/** Why a guard API's route looks wrong from what `reachGuard` saw, or undefined when it is served. */
export function unservedRoute(where: string, method: string, reach: GuardReach): { problem: string; fix: string } | undefined {
  if (reach.method === undefined || !NOT_SERVED.has(reach.method)) return undefined;
  if (reach.method === 405) return { problem: `${where} answers HTTP 405 to ${method}: the method is probably wrong`, fix: `set method: ${method === 'POST' ? 'PUT' : 'POST'} if the API's documentation says so, or check url` };
  return { problem: `${where} answers HTTP ${reach.method} to ${method} (and ${reach.head} to HEAD): the url is probably wrong`, fix: "check url (its path) against the API's documentation" };
}
