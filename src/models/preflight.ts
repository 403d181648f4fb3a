/**
 * Preflight: is every model of a cast and an attacker pool callable? Reaches every host once,
 * checks every model is there (Ollama `/api/tags`, OpenAI `/models` where the server has it, and
 * `/v1/models` when a base_url without /v1 serves none), every `api_key_env` and every variable a
 * guard API's headers name is set, and every known guard model has the answer format it writes.
 * `hive doctor` prints the rows; `hive wargame` refuses to start a run whose first call would fail.
 * Ollama digests come back too, so the run can record them. Key values are never put in a row:
 * only whether the variable is set.
 */
import type { AttackerEntry, AttackerPool, Cast, DefenderEntry } from '../config/schemas.js';
import { ConfigError, errorMessage, ModelError } from '../errors.js';
import { hostsOf, openAIBaseUrl, type HttpGuardEntry, type OllamaEntry, type OpenAIEntry } from './connect.js';
import { guardFormatProblem } from './guards.js';
import { clip } from './http.js';
import { headerVariables, reachGuard, urlWithoutQuery } from './http-guard.js';
import { listOllamaModels, ollamaName, type OllamaTag } from './ollama.js';
import { exportHint, listOpenAIModels, type ModelListing } from './openai.js';
import { hostKey, onAbort } from './policy.js';

export const DEFAULT_PREFLIGHT_TIMEOUT_MS = 10_000;

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
  /** One line saying what is wrong, when something is. */
  problem?: string;
  /** The command or change that fixes it. */
  fix?: string;
}

export interface ModelDigest {
  role: Role;
  name: string;
  digest: string;
}

export interface PreflightReport {
  rows: PreflightRow[];
  problems: PreflightRow[];
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
  return { role: e.role, name: e.entry.name, provider: e.entry.provider, model, host, reachable: '—', present: '—', key: '—' };
}

/** The key column of an entry whose key is named by `keyEnv`, with the problem when it is unset. */
function keyState(keyEnv: string | undefined, env: NodeJS.ProcessEnv): { key: PreflightRow['key']; value: string | undefined; problem?: Pick<PreflightRow, 'problem' | 'fix'> } {
  if (keyEnv === undefined) return { key: '—', value: undefined };
  const value = env[keyEnv]?.trim() || undefined;
  return value ? { key: 'set', value } : { key: 'unset', value, problem: { problem: `environment variable ${keyEnv} is not set`, fix: exportHint(keyEnv) } };
}

/** A rejected key, by the name of its variable (never its value). */
function rejectedKey(row: PreflightRow, host: string, keyEnv: string | undefined, keySet: boolean, status: number, model: string): PreflightRow {
  return {
    ...row,
    reachable: 'ok',
    present: 'not checked',
    key: keyEnv === undefined ? '—' : keySet ? 'rejected' : 'unset',
    problem: keySet ? `${host} rejected the key in ${keyEnv}` : `${host} needs an API key (HTTP ${status})`,
    fix: keyEnv === undefined ? 'add api_key_env: <VARIABLE NAME> to the entry and export that variable' : keySet ? `check the key in ${keyEnv} and its access to ${model}` : exportHint(keyEnv),
  };
}

const statusOf = (err: Error): number | undefined => (err instanceof ModelError ? err.status : undefined);

function ollamaRow(e: Entry & { entry: OllamaEntry }, host: string, tags: Probe<OllamaTag[]>, env: NodeJS.ProcessEnv): PreflightRow & { digest?: string } {
  const k = keyState(e.entry.api_key_env, env);
  const row = { ...base(e, e.entry.model, host), key: k.key };
  if (!tags.ok) {
    const status = statusOf(tags.error);
    if (status === 401 || status === 403) return rejectedKey(row, host, e.entry.api_key_env, k.value !== undefined, status, e.entry.model);
    return { ...row, reachable: 'unreachable', present: 'not checked', problem: `cannot reach Ollama at ${host}: ${clip(tags.error.message, 120)}`, fix: `start Ollama there ("ollama serve"), or fix host / OLLAMA_HOST` };
  }
  const want = ollamaName(e.entry.model);
  const tag = tags.value.find((t) => ollamaName(t.name) === want);
  if (!tag) return { ...row, reachable: 'ok', present: 'missing', problem: `model ${e.entry.model} is not pulled on ${host}`, fix: pullHint(host, e.entry.model) };
  return { ...row, reachable: 'ok', present: 'ok', ...k.problem, ...(tag.digest ? { digest: tag.digest } : {}) };
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
    const status = statusOf(listing.error);
    if (status === 401 || status === 403) return rejectedKey(row, host, keyEnv, k.value !== undefined, status, e.entry.model);
    return { ...row, reachable: 'unreachable', present: 'not checked', problem: `cannot reach ${host}: ${clip(listing.error.message, 120)}`, fix: 'check base_url and that the server is up' };
  }
  if (!listing.value.served) {
    if (v1?.ok && v1.value.served) {
      return { ...row, reachable: 'ok', present: 'not checked', problem: `base_url needs /v1: ${host}/models answers 404 and ${host}/v1/models lists models`, fix: `set base_url: "${host}/v1"` };
    }
    return { ...row, reachable: 'ok', present: 'not checked', ...k.problem };
  }
  if (!listing.value.ids.includes(e.entry.model)) {
    const some = listing.value.ids.slice(0, 5).join(', ');
    return { ...row, reachable: 'ok', present: 'missing', problem: `${host} does not list model ${e.entry.model}`, fix: some ? `use a listed model id, e.g. ${some}` : 'check the model id' };
  }
  return { ...row, reachable: 'ok', present: 'ok', ...k.problem };
}

/** A guard API's row: reachable (any HTTP answer to HEAD), and every variable its headers name set. */
function httpRow(e: Entry & { entry: HttpGuardEntry }, reach: Probe<number>, env: NodeJS.ProcessEnv): PreflightRow {
  const where = urlWithoutQuery(e.entry.url);
  const variables = headerVariables(e.entry.headers);
  const unset = variables.filter((v) => !env[v]?.trim());
  const row: PreflightRow = { ...base(e, where, hostKey(e.entry.url)), key: variables.length === 0 ? '—' : unset.length > 0 ? 'unset' : 'set' };
  if (!reach.ok) return { ...row, reachable: 'unreachable', present: '—', problem: `cannot reach ${where}: ${clip(reach.error.message, 120)}`, fix: 'check url and that the service is up' };
  const keyProblem = unset.length > 0 ? { problem: `environment variable ${unset.join(', ')} (named in headers) is not set`, fix: exportHint(unset[0] as string) } : {};
  return { ...row, reachable: 'ok', present: '—', ...keyProblem };
}

/** A defender row gets the guard check when nothing else is wrong with it. */
function withGuardCheck(e: Entry, row: PreflightRow): PreflightRow {
  const entry = e.entry;
  if (e.role !== 'defender' || row.problem !== undefined || !('answer_format' in entry)) return row;
  const mismatch = guardFormatProblem(entry.model, entry.answer_format);
  return mismatch ? { ...row, ...mismatch } : row;
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
    if (entry.provider === 'embedded') return [{ ...base(e, entry.model, ''), reachable: '—', present: 'ok' }];
    if (entry.provider === 'http') return [httpRow({ ...e, entry }, await once(`http ${entry.url}`, (signal) => reachGuard(entry.url, signal)), o.env)];
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
  return { rows, problems: rows.filter((r) => r.problem !== undefined), digests };
}

/** One line for `hive wargame`: the first problem, its fix, and where to see the rest. */
export function preflightError(report: PreflightReport, doctorCommand: string): ConfigError {
  const first = report.problems[0] as PreflightRow;
  const more = report.problems.length > 1 ? ` (and ${report.problems.length - 1} more problem(s))` : '';
  return new ConfigError(
    `${first.role} ${first.name}: ${first.problem}; fix: ${first.fix ?? 'see hive doctor'}${more}. The run was not started; "${doctorCommand}" shows every check.`,
  );
}
