/**
 * Preflight: is every model of a cast and an attacker pool callable? Reaches every host once,
 * checks every model is there (Ollama `/api/tags`, OpenAI `/models` where the server has it, and
 * `/v1/models` when a base_url without /v1 serves none), every `api_key_env` and every variable a
 * guard API's headers name is set, and every known guard model has the answer format it writes.
 * `hive doctor` prints the rows; `hive wargame` refuses to start a run whose first call would fail.
 * Ollama digests come back too, so the run can record them. Key values are never put in a row:
 * only whether the variable is set.
 */
import { DEFAULT_PREFLIGHT_TIMEOUT_MS } from '../config/defaults.js';
import type { AttackerEntry, AttackerPool, Cast, DefenderEntry } from '../config/schemas.js';
import { ConfigError, errorMessage, ModelError } from '../errors.js';
import { hostsOf, openAIBaseUrl, type HttpGuardEntry, type OllamaEntry, type OpenAIEntry } from './connect.js';
import { guardFormatProblem } from './guards.js';
import { clip, networkCode } from './http.js';
import { headerVariables, reachGuard, unservedRoute, urlWithoutQuery, type GuardReach } from './http-guard.js';
import { listOllamaModels, ollamaName, type OllamaTag } from './ollama.js';
import { exportHint, listOpenAIModels, type ModelListing } from './openai.js';
import { hostKey, onAbort } from './policy.js';


export type Role = 'defender' | 'attacker';

export interface PreflightRow {
  role: Role;
  name: string;
  provider: string;
  model: string;
  /** The host or base URL checked; empty for embedded models. */
  host: string;
  reachable: 'ok' | 'unreachable' | '—';
  present: 'ok' | 'missing' | 'not checked' | '—';
  key: 'set' | 'unset' | 'rejected' | '—';
  /** Everything wrong with this model on this host (an unreachable host and an unset key are two), each with its fix. */
  problems: Finding[];
}

/** One thing wrong, in one line, and the command or change that fixes it. */
export interface Finding {
  problem: string;
  fix: string;
}

/** A finding and the model it was found for. */
export interface PreflightProblem extends Finding {
  role: Role;
  name: string;
  /** The host or base URL it concerns; empty for a problem of the entry itself (a key). */
  host: string;
}

export interface ModelDigest {
  role: Role;
  name: string;
  digest: string;
}

export interface PreflightReport {
  rows: PreflightRow[];
  /** Every problem of every row, in row order. */
  problems: PreflightProblem[];
  digests: ModelDigest[];
}

export interface PreflightOptions {
  cast?: Cast | undefined;
  pool?: AttackerPool | undefined;
  env: NodeJS.ProcessEnv;
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
}

type Entry = { role: Role; entry: DefenderEntry | AttackerEntry };

function entriesOf(o: Pick<PreflightOptions, 'cast' | 'pool'>): Entry[] {
  return [
    ...(o.cast?.defenders ?? []).map((entry) => ({ role: 'defender' as const, entry })),
    ...(o.pool?.attackers ?? []).map((entry) => ({ role: 'attacker' as const, entry })),
  ];
}

/** Embedded models need no network: a run of only those skips the checks. */
export function needsPreflight(o: Pick<PreflightOptions, 'cast' | 'pool'>): boolean {
  return entriesOf(o).some((e) => e.entry.provider !== 'embedded');
}

type Probe<T> = { ok: true; value: T } | { ok: false; error: ModelError | Error };

/** A signal that aborts after `ms` or with `outer`; `done` releases the timer. */
function timed(ms: number, outer?: AbortSignal): { signal: AbortSignal; done: () => void } {
  const c = new AbortController();
  const timer = setTimeout(() => c.abort(new Error(`no answer within ${ms} ms`)), ms);
  if (outer?.aborted) c.abort(outer.reason);
  const stop = outer ? onAbort(outer, () => c.abort(outer.reason)) : undefined;
  return {
    signal: c.signal,
    done: () => {
      clearTimeout(timer);
      stop?.();
    },
  };
}

async function probe<T>(fn: (signal: AbortSignal) => Promise<T>, o: PreflightOptions): Promise<Probe<T>> {
  const t = timed(o.timeoutMs ?? DEFAULT_PREFLIGHT_TIMEOUT_MS, o.signal);
  try {
    return { ok: true, value: await fn(t.signal) };
  } catch (err) {
    const timedOut = t.signal.aborted && !o.signal?.aborted;
    const error = timedOut ? new Error(`no answer within ${o.timeoutMs ?? DEFAULT_PREFLIGHT_TIMEOUT_MS} ms`) : err instanceof Error ? err : new Error(errorMessage(err));
    return { ok: false, error };
  } finally {
    t.done();
  }
}

/** `OLLAMA_HOST=… ollama pull m` when the host is not the local default, so the fix runs where the model is missing. */
function pullHint(host: string, model: string): string {
  const local = /^https?:\/\/(?:127\.0\.0\.1|localhost)(?::11434)?$/.test(host);
  return local ? `ollama pull ${model}` : `OLLAMA_HOST=${host} ollama pull ${model}`;
}

function base(e: Entry, model: string, host: string): PreflightRow {
  return { role: e.role, name: e.entry.name, provider: e.entry.provider, model, host, reachable: '—', present: '—', key: '—', problems: [] };
}

/** The key column of an entry whose key is named by `keyEnv`, and the finding when it is unset. */
function keyState(keyEnv: string | undefined, env: NodeJS.ProcessEnv): { key: PreflightRow['key']; value: string | undefined; problems: Finding[] } {
  if (keyEnv === undefined) return { key: '—', value: undefined, problems: [] };
  const value = env[keyEnv]?.trim() || undefined;
  return value ? { key: 'set', value, problems: [] } : { key: 'unset', value, problems: [{ problem: `environment variable ${keyEnv} is not set`, fix: exportHint(keyEnv) }] };
}

/** A server that answered 401 or 403: a key is missing, unset or rejected (named by its variable, never its value). */
function rejectedKey(row: PreflightRow, host: string, keyEnv: string | undefined, k: ReturnType<typeof keyState>, status: number, model: string): PreflightRow {
  const keySet = k.value !== undefined;
  const auth: Finding =
    keyEnv === undefined
      ? { problem: `${host} needs an API key (HTTP ${status})`, fix: 'add api_key_env: <VARIABLE NAME> to the entry and export that variable' }
      : { problem: `${host} rejected the key in ${keyEnv} (HTTP ${status})`, fix: `check the key in ${keyEnv} and its access to ${model}` };
  return { ...row, reachable: 'ok', present: 'not checked', key: keyEnv === undefined ? '—' : keySet ? 'rejected' : 'unset', problems: keySet || keyEnv === undefined ? [auth] : k.problems };
}

/** The HTTP status a failed request got, wherever the client put it (ModelError.status, ollama's status_code). */
function httpStatus(err: unknown): number | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e; depth++) {
    const s = (e as { status?: unknown; status_code?: unknown }).status ?? (e as { status_code?: unknown }).status_code;
    if (typeof s === 'number') return s;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Certificate and handshake failures, as Node and OpenSSL name them. */
const TLS_CODE = /^(CERT_|ERR_TLS_|ERR_SSL_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_(GET|VERIFY)_|EPROTO$)/;

/**
 * Why `host` could not be asked for its models, with the fix for that cause: a refused
 * connection, a name that does not resolve, TLS, no answer in time, a URL that is not the
 * server's API (HTTP 404), or anything else. The message never repeats the host twice.
 */
export function unreachableFinding(host: string, error: Error, provider: 'ollama' | 'openai' | 'http'): Finding {
  const where = provider === 'ollama' ? 'host (or OLLAMA_HOST)' : provider === 'openai' ? 'base_url' : 'url';
  const code = networkCode(error);
  if (code === 'ECONNREFUSED') {
    return { problem: `${host} refused the connection: nothing listens there`, fix: provider === 'ollama' ? `start Ollama there ("ollama serve"), or fix ${where}` : `start the server, or fix ${where}` };
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') {
    let name = host;
    try {
      name = new URL(host).hostname;
    } catch {
      // Not a URL: name the host as written.
    }
    return { problem: `the name ${name} does not resolve (DNS: ${code})`, fix: `check the spelling of ${where}, or the DNS and network of this machine` };
  }
  if (code !== undefined && TLS_CODE.test(code)) {
    return { problem: `TLS with ${host} failed (${code})`, fix: 'use http:// if the server speaks plain HTTP; for a private CA set NODE_EXTRA_CA_CERTS=<ca.pem>; otherwise fix the server\'s certificate' };
  }
  if (/^no answer within \d+ ms$/.test(error.message)) {
    return { problem: `${host} gave ${error.message}`, fix: `check that the server is up and reachable from here, or raise --timeout` };
  }
  const status = httpStatus(error);
  if (status === 404 && provider !== 'http') {
    return provider === 'ollama'
      ? { problem: `${host} answered HTTP 404 for /api/tags: not the root of an Ollama server`, fix: `set ${where} to the server's root URL, e.g. http://gpu1:11434 (an OpenAI-compatible server needs provider: openai)` }
      : { problem: `${host} answered HTTP 404 for /models: not an OpenAI-compatible API root`, fix: `set ${where} to the API root that serves /models (often ending in /v1)` };
  }
  // networkError says "cannot reach <host> (CODE)": keep the cause, not the host twice.
  const detail = clip(error.message.replace(`cannot reach ${host}`, '').replace(/^[:\s]+/, ''), 120) || 'no detail';
  return { problem: `cannot reach ${host}: ${detail}`, fix: `check that the server is up and ${where} is its URL` };
}

function ollamaRow(e: Entry & { entry: OllamaEntry }, host: string, tags: Probe<OllamaTag[]>, env: NodeJS.ProcessEnv): PreflightRow & { digest?: string } {
  const k = keyState(e.entry.api_key_env, env);
  const row = { ...base(e, e.entry.model, host), key: k.key };
  if (!tags.ok) {
    const status = httpStatus(tags.error);
    if (status === 401 || status === 403) return rejectedKey(row, host, e.entry.api_key_env, k, status, e.entry.model);
    return { ...row, reachable: 'unreachable', present: 'not checked', problems: [unreachableFinding(host, tags.error, 'ollama'), ...k.problems] };
  }
  const want = ollamaName(e.entry.model);
  const tag = tags.value.find((t) => ollamaName(t.name) === want);
  if (!tag) return { ...row, reachable: 'ok', present: 'missing', problems: [{ problem: `model ${e.entry.model} is not pulled on ${host}`, fix: pullHint(host, e.entry.model) }, ...k.problems] };
  return { ...row, reachable: 'ok', present: 'ok', problems: k.problems, ...(tag.digest ? { digest: tag.digest } : {}) };
}

/**
 * An OpenAI-compatible entry's row. `v1` is the listing under `{base}/v1`, asked when `{base}`
 * itself serves no model list: a server that serves only under /v1 (vLLM, LiteLLM, llama.cpp)
 * behind a base_url without it would fail every call.
 */
function openAIRow(e: Entry & { entry: OpenAIEntry }, host: string, env: NodeJS.ProcessEnv, listing: Probe<ModelListing>, v1: Probe<ModelListing> | undefined): PreflightRow {
  const keyEnv = e.entry.api_key_env;
  const k = keyState(keyEnv, env);
  const row: PreflightRow = { ...base(e, e.entry.model, host), key: k.key };
  if (!listing.ok) {
    const status = httpStatus(listing.error);
    if (status === 401 || status === 403) return rejectedKey(row, host, keyEnv, k, status, e.entry.model);
    return { ...row, reachable: 'unreachable', present: 'not checked', problems: [unreachableFinding(host, listing.error, 'openai'), ...k.problems] };
  }
  if (!listing.value.served) {
    if (v1?.ok && v1.value.served) {
      const needsV1: Finding = { problem: `base_url needs /v1: ${host}/models answers 404 and ${host}/v1/models lists models`, fix: `set base_url: "${host}/v1"` };
      return { ...row, reachable: 'ok', present: 'not checked', problems: [needsV1, ...k.problems] };
    }
    return { ...row, reachable: 'ok', present: 'not checked', problems: k.problems };
  }
  if (!listing.value.ids.includes(e.entry.model)) {
    const some = listing.value.ids.slice(0, 5).join(', ');
    const missing: Finding = { problem: `${host} does not list model ${e.entry.model}`, fix: some ? `use a listed model id, e.g. ${some}` : 'check the model id' };
    return { ...row, reachable: 'ok', present: 'missing', problems: [missing, ...k.problems] };
  }
  return { ...row, reachable: 'ok', present: 'ok', problems: k.problems };
}

/** A guard API's row: reachable, its route served for its method (not 404/405/410), and every variable its headers name set. */
function httpRow(e: Entry & { entry: HttpGuardEntry }, reach: Probe<GuardReach>, env: NodeJS.ProcessEnv): PreflightRow {
  const where = urlWithoutQuery(e.entry.url);
  const variables = headerVariables(e.entry.headers);
  const unset = variables.filter((v) => !env[v]?.trim());
  const row: PreflightRow = { ...base(e, where, hostKey(e.entry.url)), key: variables.length === 0 ? '—' : unset.length > 0 ? 'unset' : 'set' };
  const keyProblems: Finding[] = unset.map((v) => ({ problem: `environment variable ${v} (named in headers) is not set`, fix: exportHint(v) }));
  if (!reach.ok) return { ...row, reachable: 'unreachable', present: '—', problems: [unreachableFinding(where, reach.error, 'http'), ...keyProblems] };
  const unserved = unservedRoute(where, e.entry.method, reach.value);
  if (unserved) return { ...row, reachable: 'ok', present: 'missing', problems: [unserved, ...keyProblems] };
  return { ...row, reachable: 'ok', present: '—', problems: keyProblems };
}

/** A defender row gets the guard check when nothing else is wrong with it. */
function withGuardCheck(e: Entry, row: PreflightRow): PreflightRow {
  const entry = e.entry;
  if (e.role !== 'defender' || row.problems.length > 0 || !('answer_format' in entry)) return row;
  const mismatch = guardFormatProblem(entry.model, entry.answer_format);
  return mismatch ? { ...row, problems: [mismatch] } : row;
}

export async function preflight(o: PreflightOptions): Promise<PreflightReport> {
  const rows: PreflightRow[] = [];
  const digests: ModelDigest[] = [];
  // Each host is asked once, however many models use it.
  const probes = new Map<string, Promise<Probe<unknown>>>();
  const once = <T>(key: string, fn: (signal: AbortSignal) => Promise<T>): Promise<Probe<T>> => {
    let p = probes.get(key);
    if (!p) probes.set(key, (p = probe(fn, o)));
    return p as Promise<Probe<T>>;
  };

  const checks = entriesOf(o).map(async (e): Promise<PreflightRow[]> => {
    const entry = e.entry;
    if (entry.provider === 'embedded') return [{ ...base(e, entry.model, ''), present: 'ok' }];
    if (entry.provider === 'http') return [httpRow({ ...e, entry }, await once(`http ${entry.method} ${entry.url}`, (signal) => reachGuard(entry.url, entry.method, signal)), o.env)];
    if (entry.provider === 'ollama') {
      const found: string[] = [];
      const out: PreflightRow[] = [];
      const key = keyState(entry.api_key_env, o.env).value;
      for (const host of hostsOf(entry, o.env)) {
        const tags = await once(`ollama ${host}\u0000${entry.api_key_env ?? ''}`, (signal) => listOllamaModels(host, signal, key));
        const { digest, ...row } = ollamaRow({ ...e, entry }, host, tags, o.env);
        if (digest && !found.includes(digest)) found.push(digest);
        out.push(withGuardCheck(e, row));
      }
      // Several hosts with different builds of one tag would make results hard to compare: keep them all.
      if (found.length > 0) digests.push({ role: e.role, name: entry.name, digest: found.join(',') });
      return out;
    }
    const host = openAIBaseUrl(entry);
    const keyEnv = entry.api_key_env;
    const key = keyState(keyEnv, o.env).value;
    const list = (base: string) => once(`openai ${base}\u0000${keyEnv ?? ''}`, (signal) => listOpenAIModels(base, key, keyEnv, signal));
    const listing = await list(host);
    const v1 = listing.ok && !listing.value.served && !/\/v1$/.test(host) ? await list(`${host}/v1`) : undefined;
    return [withGuardCheck(e, openAIRow({ ...e, entry }, host, o.env, listing, v1))];
  });
  for (const r of await Promise.all(checks)) rows.push(...r);
  const problems = rows.flatMap((r) => r.problems.map((f) => ({ role: r.role, name: r.name, host: r.host, ...f })));
  return { rows, problems, digests };
}

/** One line for `hive wargame`: the first problem, its fix, and where to see the rest. */
export function preflightError(report: PreflightReport, doctorCommand: string): ConfigError {
  const first = report.problems[0] as PreflightProblem;
  const others = report.problems.length - 1;
  const more = others > 0 ? ` (and ${others} more problem${others === 1 ? '' : 's'})` : '';
  return new ConfigError(`${first.role} ${first.name}: ${first.problem}; fix: ${first.fix}${more}. The run was not started; "${doctorCommand}" shows every check.`);
}
