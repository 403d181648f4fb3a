import { createOllamaTransport, ollamaHosts } from './ollama.js';
import { createOpenAITransport, DEFAULT_OPENAI_BASE_URL, resolveApiKey } from './openai.js';
import { HostPool, withPolicy } from './policy.js';
/** One pool per context object, so a run's models share host limits without a global. */
const pools = new WeakMap();
function poolFor(ctx) {
    if (ctx.hosts)
        return ctx.hosts;
    let pool = pools.get(ctx);
    if (!pool)
        pools.set(ctx, (pool = new HostPool()));
    return pool;
}
/** The entry's call policy: its own timeout_ms / retries / backoff_ms over the run's overrides. */
export function policyFor(entry, ctx) {
    return {
        ...ctx.policy,
        ...(entry.timeout_ms !== undefined ? { timeoutMs: entry.timeout_ms } : {}),
        ...(entry.retries !== undefined ? { retries: entry.retries } : {}),
        ...(entry.backoff_ms !== undefined ? { backoffMs: entry.backoff_ms } : {}),
    };
}
export function openAIBaseUrl(entry) {
    return (entry.base_url ?? DEFAULT_OPENAI_BASE_URL).replace(/\/+$/, '');
}
export function hostsOf(entry, env) {
    return entry.provider === 'ollama' ? ollamaHosts(entry.host, env) : [openAIBaseUrl(entry)];
}
/**
 * Builds the model; `who` (e.g. "defender guardian") prefixes configuration errors. A missing key
 * fails here, before any run starts.
 */
export function connectChatModel(entry, ctx, who) {
    const pool = poolFor(ctx);
    const targets = hostsOf(entry, ctx.env).map((url) => ({ url, slot: pool.slot(url, entry.provider, entry.max_concurrency) }));
    const transport = entry.provider === 'ollama'
        ? createOllamaTransport({ model: entry.model, keepAlive: entry.keep_alive })
        : createOpenAITransport({
            model: entry.model,
            apiKey: resolveApiKey(entry.api_key_env, ctx.env, who),
            apiKeyEnv: entry.api_key_env,
            structuredOutput: entry.structured_output ?? true,
        });
    return withPolicy(transport, targets, policyFor(entry, ctx));
}
/** The answer cap an entry asks for, else `fallback` (Ollama's num_predict is an alias of max_tokens). */
export function maxTokensOf(entry, fallback) {
    if (entry.max_tokens !== undefined)
        return entry.max_tokens;
    if (entry.provider === 'ollama' && entry.num_predict !== undefined)
        return entry.num_predict;
    return fallback;
}
//# sourceMappingURL=connect.js.map