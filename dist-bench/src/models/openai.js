/**
 * The OpenAI-compatible provider (cloud APIs, OpenRouter, vLLM, LM Studio, llama.cpp, LiteLLM):
 * transport only, through the official `openai` client with its own retries off (`maxRetries: 0`)
 * so the one policy wrapper decides every retry and every wait. The API key comes from the
 * environment variable the entry names; it never appears in an error, a log or the database.
 */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { ConfigError, errorMessage, ModelError } from '../errors.js';
import { clip, isAbortError, networkError, redact, statusError } from './http.js';
export const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';
/** Our timer (policy.ts) ends calls; the client's must never fire first. */
const CLIENT_TIMEOUT_MS = 24 * 60 * 60 * 1000;
/** The fix line for a missing key, e.g. `export DEEPSEEK_API_KEY=…`. */
export function exportHint(name) {
    return `export ${name}=…`;
}
/**
 * Reads the key named by `api_key_env`. A named variable that is unset or empty is a ConfigError
 * naming the variable (never its value). No `api_key_env` means a server without keys.
 */
export function resolveApiKey(apiKeyEnv, env, who) {
    if (apiKeyEnv === undefined)
        return undefined;
    const key = env[apiKeyEnv];
    if (key === undefined || key.trim() === '') {
        throw new ConfigError(`${who}: environment variable ${apiKeyEnv} (api_key_env) is not set; run "${exportHint(apiKeyEnv)}" first.`);
    }
    return key.trim();
}
/**
 * Some "compatible" servers (Mistral, FastAPI-based ones) answer errors with JSON that has no
 * `error` key; the client then reports "422 status code (no body)" and the reason (e.g. which
 * parameter was refused) is lost. Such bodies are wrapped as `{"error": {"message": …}}`.
 */
async function errorBodyFetch(input, init) {
    const res = await fetch(input, init);
    if (res.ok)
        return res;
    const text = await res.text();
    let parsed;
    try {
        parsed = JSON.parse(text);
    }
    catch {
        parsed = undefined;
    }
    const wrap = parsed !== null && typeof parsed === 'object' && !Object.hasOwn(parsed, 'error');
    const headers = new Headers(res.headers);
    headers.delete('content-length');
    headers.delete('content-encoding');
    if (wrap)
        headers.set('content-type', 'application/json');
    const body = wrap ? JSON.stringify({ error: { message: text.slice(0, 2000) } }) : text;
    return new Response(body, { status: res.status, statusText: res.statusText, headers });
}
export function openAIClient(baseUrl, apiKey) {
    return new OpenAI({
        fetch: errorBodyFetch,
        baseURL: baseUrl,
        // Always explicit: the client would otherwise pick up OPENAI_API_KEY and send it to any base_url.
        apiKey: apiKey ?? 'no-key',
        maxRetries: 0,
        timeout: CLIENT_TIMEOUT_MS,
        // The CLI prints, libraries do not.
        logLevel: 'off',
    });
}
const DOWNGRADE = { json_schema: 'json_object', json_object: 'none', none: 'none' };
/** Calls adapt concurrently: keep what each of them learnt. */
function merge(a, b) {
    const rank = { json_schema: 0, json_object: 1, none: 2 };
    return {
        structured: rank[a.structured] >= rank[b.structured] ? a.structured : b.structured,
        seed: a.seed && b.seed,
        temperature: a.temperature && b.temperature,
        maxTokensField: a.maxTokensField === 'max_completion_tokens' ? a.maxTokensField : b.maxTokensField,
    };
}
/** The text of a 400/422 that may name the parameter the server refused. */
function rejection(err) {
    if (!(err instanceof APIError) || (err.status !== 400 && err.status !== 422))
        return undefined;
    return `${err.param ?? ''} ${err.code ?? ''} ${err.message}`;
}
/** The dialect to try next after `err`, or undefined when the error is not about a parameter we can drop. */
export function adapt(d, err, req) {
    const text = rejection(err);
    if (text === undefined)
        return undefined;
    if (req.jsonSchema && d.structured !== 'none' && /response_format|json_schema|json_object|structured/i.test(text)) {
        return { ...d, structured: DOWNGRADE[d.structured] };
    }
    if (req.seed !== undefined && d.seed && /\bseed\b/i.test(text))
        return { ...d, seed: false };
    if (req.maxTokens !== undefined && d.maxTokensField === 'max_tokens' && /max_tokens/.test(text) && /max_completion_tokens/.test(text)) {
        return { ...d, maxTokensField: 'max_completion_tokens' };
    }
    if (req.temperature !== undefined && d.temperature && /\btemperature\b/i.test(text))
        return { ...d, temperature: false };
    return undefined;
}
/** The server's own message without the client's "<status> " prefix, key-free. */
function serverMessage(err, c) {
    return redact(err.message.replace(/^\d{3}\s+/, ''), [c.apiKey]);
}
function classify(err, c) {
    if (err instanceof APIUserAbortError || isAbortError(err))
        return err;
    if (err instanceof APIConnectionTimeoutError)
        return new ModelError(`${c.where} timed out`, { retryable: true });
    if (err instanceof APIConnectionError)
        return networkError(c.where, err.cause ?? err);
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
export function createOpenAITransport(o) {
    const clients = new Map();
    const clientFor = (baseUrl) => {
        let c = clients.get(baseUrl);
        if (!c)
            clients.set(baseUrl, (c = openAIClient(baseUrl, o.apiKey)));
        return c;
    };
    // Sticky per model: once a server rejected something, later calls do not send it again.
    let dialect = { structured: o.structuredOutput ? 'json_schema' : 'none', seed: true, temperature: true, maxTokensField: 'max_tokens' };
    function body(req, d) {
        const b = {
            model: o.model,
            messages: req.messages.map((m) => ({ role: m.role, content: m.content })),
        };
        if (req.temperature !== undefined && d.temperature)
            b.temperature = req.temperature;
        if (req.seed !== undefined && d.seed)
            b.seed = req.seed;
        if (req.maxTokens !== undefined)
            b[d.maxTokensField] = req.maxTokens;
        if (req.jsonSchema && d.structured === 'json_schema') {
            b.response_format = { type: 'json_schema', json_schema: { name: req.jsonSchema.name, schema: req.jsonSchema.schema } };
        }
        else if (req.jsonSchema && d.structured === 'json_object') {
            b.response_format = { type: 'json_object' };
        }
        return b;
    }
    return {
        provider: 'openai',
        model: o.model,
        async send(baseUrl, req, signal) {
            const c = { where: baseUrl, model: o.model, apiKeyEnv: o.apiKeyEnv, apiKey: o.apiKey };
            let d = dialect;
            // Bounded: each adaptation removes one option, so a handful of rounds at most.
            for (let tries = 0;; tries++) {
                let completion;
                try {
                    completion = await clientFor(baseUrl).chat.completions.create(body(req, d), { signal });
                }
                catch (err) {
                    const next = tries < 6 ? adapt(d, err, req) : undefined;
                    if (!next)
                        throw classify(err, c);
                    // Not a retry: the same question, asked in a form this server accepts.
                    dialect = merge(dialect, next);
                    d = dialect;
                    continue;
                }
                return readCompletion(completion, baseUrl);
            }
        },
    };
}
/** Checks the shape instead of trusting it: a proxy can answer 200 with anything. */
function readCompletion(completion, where) {
    const choices = completion?.choices;
    if (!Array.isArray(choices))
        throw new ModelError(`${where} answered without choices; is this an OpenAI-compatible endpoint?`, { retryable: false });
    const choice = choices[0];
    const content = choice?.message?.content;
    const refusal = choice?.message?.refusal;
    // A structured-output refusal arrives in `refusal` with no content: it is still the model's answer.
    const text = typeof content === 'string' ? content : typeof refusal === 'string' ? refusal : '';
    const usage = completion.usage;
    return {
        text,
        promptTokens: count(usage?.prompt_tokens),
        completionTokens: count(usage?.completion_tokens),
        finishReason: typeof choice?.finish_reason === 'string' ? choice.finish_reason : undefined,
    };
}
function count(n) {
    return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : 0;
}
/** `GET /models` where the server has it (many OpenAI-compatible servers do, some do not). */
export async function listOpenAIModels(baseUrl, apiKey, apiKeyEnv, signal) {
    try {
        const page = await openAIClient(baseUrl, apiKey).models.list(signal ? { signal } : undefined);
        const data = page.data;
        if (!Array.isArray(data))
            return { served: false };
        return { served: true, ids: data.map((m) => String(m.id)) };
    }
    catch (err) {
        if (err instanceof APIError && (err.status === 404 || err.status === 405))
            return { served: false };
        throw classify(err, { where: baseUrl, model: '(model list)', apiKeyEnv, apiKey });
    }
}
//# sourceMappingURL=openai.js.map