import { ConfigError, errorMessage, ModelError } from '../errors.js';
import { hostsOf, openAIBaseUrl } from './connect.js';
import { clip } from './http.js';
import { listOllamaModels, ollamaName } from './ollama.js';
import { exportHint, listOpenAIModels } from './openai.js';
import { onAbort } from './policy.js';
export const DEFAULT_PREFLIGHT_TIMEOUT_MS = 10_000;
function entriesOf(o) {
    return [
        ...(o.cast?.defenders ?? []).map((entry) => ({ role: 'defender', entry })),
        ...(o.pool?.attackers ?? []).map((entry) => ({ role: 'attacker', entry })),
    ];
}
/** Embedded models need no network: a run of only those skips the checks. */
export function needsPreflight(o) {
    return entriesOf(o).some((e) => e.entry.provider !== 'embedded');
}
/** A signal that aborts after `ms` or with `outer`; `done` releases the timer. */
function timed(ms, outer) {
    const c = new AbortController();
    const timer = setTimeout(() => c.abort(new Error(`no answer within ${ms} ms`)), ms);
    if (outer?.aborted)
        c.abort(outer.reason);
    const stop = outer ? onAbort(outer, () => c.abort(outer.reason)) : undefined;
    return {
        signal: c.signal,
        done: () => {
            clearTimeout(timer);
            stop?.();
        },
    };
}
async function probe(fn, o) {
    const t = timed(o.timeoutMs ?? DEFAULT_PREFLIGHT_TIMEOUT_MS, o.signal);
    try {
        return { ok: true, value: await fn(t.signal) };
    }
    catch (err) {
        const timedOut = t.signal.aborted && !o.signal?.aborted;
        const error = timedOut ? new Error(`no answer within ${o.timeoutMs ?? DEFAULT_PREFLIGHT_TIMEOUT_MS} ms`) : err instanceof Error ? err : new Error(errorMessage(err));
        return { ok: false, error };
    }
    finally {
        t.done();
    }
}
/** `OLLAMA_HOST=… ollama pull m` when the host is not the local default, so the fix runs where the model is missing. */
function pullHint(host, model) {
    const local = /^https?:\/\/(?:127\.0\.0\.1|localhost)(?::11434)?$/.test(host);
    return local ? `ollama pull ${model}` : `OLLAMA_HOST=${host} ollama pull ${model}`;
}
function base(e, host) {
    return { role: e.role, name: e.entry.name, provider: e.entry.provider, model: e.entry.model, host, reachable: '—', present: '—', key: '—' };
}
function ollamaRow(e, host, tags) {
    const row = base(e, host);
    if (!tags.ok) {
        return { ...row, reachable: 'unreachable', present: 'not checked', problem: `cannot reach Ollama at ${host}: ${clip(tags.error.message, 120)}`, fix: `start Ollama there ("ollama serve"), or fix host / OLLAMA_HOST` };
    }
    const want = ollamaName(e.entry.model);
    const tag = tags.value.find((t) => ollamaName(t.name) === want);
    if (!tag)
        return { ...row, reachable: 'ok', present: 'missing', problem: `model ${e.entry.model} is not pulled on ${host}`, fix: pullHint(host, e.entry.model) };
    return { ...row, reachable: 'ok', present: 'ok', ...(tag.digest ? { digest: tag.digest } : {}) };
}
function openAIRow(e, host, keySet, listing) {
    const keyEnv = e.entry.api_key_env;
    const row = { ...base(e, host), key: keyEnv === undefined ? '—' : keySet ? 'set' : 'unset' };
    const keyProblem = keyEnv !== undefined && !keySet ? { problem: `environment variable ${keyEnv} is not set`, fix: exportHint(keyEnv) } : {};
    if (!listing.ok) {
        const status = listing.error instanceof ModelError ? listing.error.status : undefined;
        if (status === 401 || status === 403) {
            return {
                ...row,
                reachable: 'ok',
                present: 'not checked',
                key: keyEnv === undefined ? '—' : keySet ? 'rejected' : 'unset',
                problem: keySet ? `${host} rejected the key in ${keyEnv}` : `${host} needs an API key (HTTP ${status})`,
                fix: keyEnv === undefined ? 'add api_key_env: <VARIABLE NAME> to the entry and export that variable' : keySet ? `check the key in ${keyEnv} and its access to ${e.entry.model}` : exportHint(keyEnv),
            };
        }
        return { ...row, reachable: 'unreachable', present: 'not checked', problem: `cannot reach ${host}: ${clip(listing.error.message, 120)}`, fix: 'check base_url and that the server is up' };
    }
    if (!listing.value.served)
        return { ...row, reachable: 'ok', present: 'not checked', ...keyProblem };
    if (!listing.value.ids.includes(e.entry.model)) {
        const some = listing.value.ids.slice(0, 5).join(', ');
        return { ...row, reachable: 'ok', present: 'missing', problem: `${host} does not list model ${e.entry.model}`, fix: some ? `use a listed model id, e.g. ${some}` : 'check the model id' };
    }
    return { ...row, reachable: 'ok', present: 'ok', ...keyProblem };
}
export async function preflight(o) {
    const rows = [];
    const digests = [];
    // Each host is asked once, however many models use it.
    const ollamaProbes = new Map();
    const openAIProbes = new Map();
    const checks = entriesOf(o).map(async (e) => {
        const entry = e.entry;
        if (entry.provider === 'embedded')
            return [{ ...base(e, ''), reachable: '—', present: 'ok' }];
        if (entry.provider === 'ollama') {
            const found = [];
            const out = [];
            for (const host of hostsOf(entry, o.env)) {
                let p = ollamaProbes.get(host);
                if (!p)
                    ollamaProbes.set(host, (p = probe((signal) => listOllamaModels(host, signal), o)));
                const { digest, ...row } = ollamaRow(e, host, await p);
                if (digest && !found.includes(digest))
                    found.push(digest);
                out.push(row);
            }
            // Several hosts with different builds of one tag would make results hard to compare: keep them all.
            if (found.length > 0)
                digests.push({ role: e.role, name: entry.name, digest: found.join(',') });
            return out;
        }
        const host = openAIBaseUrl(entry);
        const keyEnv = entry.api_key_env;
        const key = keyEnv ? o.env[keyEnv]?.trim() || undefined : undefined;
        const probeKey = `${host}\u0000${keyEnv ?? ''}`;
        let p = openAIProbes.get(probeKey);
        if (!p)
            openAIProbes.set(probeKey, (p = probe((signal) => listOpenAIModels(host, key, keyEnv, signal), o)));
        return [openAIRow({ role: e.role, entry }, host, key !== undefined, await p)];
    });
    for (const r of await Promise.all(checks))
        rows.push(...r);
    return { rows, problems: rows.filter((r) => r.problem !== undefined), digests };
}
/** One line for `hive wargame`: the first problem, its fix, and where to see the rest. */
export function preflightError(report, doctorCommand) {
    const first = report.problems[0];
    const more = report.problems.length > 1 ? ` (and ${report.problems.length - 1} more problem(s))` : '';
    return new ConfigError(`${first.role} ${first.name}: ${first.problem}; fix: ${first.fix ?? 'see hive doctor'}${more}. The run was not started; "${doctorCommand}" shows every check.`);
}
//# sourceMappingURL=preflight.js.map