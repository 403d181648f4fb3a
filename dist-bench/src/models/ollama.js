/**
 * The Ollama provider: transport only, through the official `ollama` client. The client never
 * retries and a non-streamed chat takes no abort signal, so every request goes through a `fetch`
 * bound to the call's signal (abort and timeout cancel the HTTP request); HTTP errors are read
 * there too, where the `retry-after` header is still visible.
 */
import { Ollama } from 'ollama';
import { errorMessage, ModelError } from '../errors.js';
import { clip, isAbortError, networkCode, networkError, statusError } from './http.js';
export const DEFAULT_OLLAMA_HOST = 'http://127.0.0.1:11434';
/**
 * OLLAMA_HOST is often set the way the server reads it (`0.0.0.0`, `gpu-box:11434`): without a
 * scheme it means http, and without a port Ollama's 11434, as the ollama CLI reads it.
 */
export function normalizeOllamaHost(host) {
    const h = host.trim().replace(/\/+$/, '');
    if (h.includes('://'))
        return h;
    const withScheme = `http://${h.startsWith(':') ? `127.0.0.1${h}` : h}`;
    try {
        const url = new URL(withScheme);
        if (!url.port)
            url.port = '11434';
        return url.href.replace(/\/+$/, '');
    }
    catch {
        return withScheme;
    }
}
/** The entry's host (one URL or a list), else OLLAMA_HOST, else the local default. */
export function ollamaHosts(host, env) {
    const list = host === undefined ? [env.OLLAMA_HOST?.trim() || DEFAULT_OLLAMA_HOST] : typeof host === 'string' ? [host] : [...host];
    return list.map(normalizeOllamaHost);
}
/** Ollama treats `qwen2.5` and `qwen2.5:latest` as the same model. */
export function ollamaName(model) {
    return model.includes(':') ? model : `${model}:latest`;
}
/** A fetch that carries `signal` and turns HTTP errors into ModelErrors (the client would drop the headers). */
function boundFetch(signal, where, model) {
    return async (input, init) => {
        const res = await fetch(input, { ...init, ...(signal ? { signal } : {}) });
        if (res.ok)
            return res;
        const body = await res.text().catch(() => '');
        let detail = body;
        try {
            const parsed = JSON.parse(body);
            if (parsed && typeof parsed === 'object' && typeof parsed.error === 'string')
                detail = parsed.error;
        }
        catch {
            // not JSON: keep the text
        }
        const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
        if (res.status === 404 && model && url.endsWith('/api/chat') && /not found/i.test(detail)) {
            throw new ModelError(`model "${model}" is not on ${where}; run "ollama pull ${model}" there`, { retryable: false, status: 404 });
        }
        throw statusError(where, res.status, detail, res.headers);
    };
}
function client(host, signal, model) {
    return new Ollama({ host, fetch: boundFetch(signal, host, model) });
}
/** Turns whatever the client threw into a ModelError; aborts pass through for the policy to judge. */
function classify(err, host) {
    if (err instanceof ModelError || isAbortError(err))
        return err;
    if (err instanceof SyntaxError) {
        return new ModelError(`${host} answered with something that is not the Ollama protocol (${clip(err.message, 80)})`, { retryable: false, cause: err });
    }
    if (err instanceof TypeError && (networkCode(err) || /fetch failed/i.test(err.message)))
        return networkError(host, err);
    return new ModelError(`${host}: ${clip(errorMessage(err))}`, { retryable: false, cause: err });
}
export function createOllamaTransport(o) {
    return {
        provider: 'ollama',
        model: o.model,
        async send(host, req, signal) {
            const options = {};
            if (req.temperature !== undefined)
                options.temperature = req.temperature;
            if (req.seed !== undefined)
                options.seed = req.seed;
            if (req.maxTokens !== undefined)
                options.num_predict = req.maxTokens;
            let res;
            try {
                res = await client(host, signal, o.model).chat({
                    model: o.model,
                    messages: req.messages.map((m) => ({ role: m.role, content: m.content })),
                    stream: false,
                    options,
                    ...(req.jsonSchema ? { format: req.jsonSchema.schema } : {}),
                    ...(o.keepAlive !== undefined ? { keep_alive: o.keepAlive } : {}),
                });
            }
            catch (err) {
                throw classify(err, host);
            }
            const content = res?.message?.content;
            if (typeof content !== 'string')
                throw new ModelError(`${host} answered without a message`, { retryable: false });
            return {
                text: content,
                promptTokens: count(res.prompt_eval_count),
                completionTokens: count(res.eval_count),
                finishReason: typeof res.done_reason === 'string' ? res.done_reason : undefined,
            };
        },
    };
}
function count(n) {
    return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : 0;
}
/** The models pulled on a host (`/api/tags`), for preflight and digests. */
export async function listOllamaModels(host, signal) {
    try {
        const list = await client(host, signal, '').list();
        if (!Array.isArray(list?.models))
            throw new ModelError(`${host}/api/tags did not list models; is this an Ollama server?`, { retryable: false });
        return list.models.map((m) => ({ name: String(m.name ?? m.model), digest: typeof m.digest === 'string' && m.digest ? m.digest : null }));
    }
    catch (err) {
        throw classify(err, host);
    }
}
//# sourceMappingURL=ollama.js.map