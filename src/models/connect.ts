/**
 * Turns a config entry into a policy-wrapped ChatModel. Host limits are shared per run: every
 * model built with the same ModelContext draws on the same HostPool.
 */
import type { z } from 'zod';
import { TEXT_PLACEHOLDER, type HttpGuardSchema, type OllamaModelSchema, type OpenAIModelSchema } from '../config/schemas.js';
import type { ChatModel } from './chat.js';
import { createHttpGuardTransport, resolveHeaders } from './http-guard.js';
import { createOllamaTransport, ollamaHosts } from './ollama.js';
import { createOpenAITransport, DEFAULT_OPENAI_BASE_URL, resolveApiKey } from './openai.js';
import { HostPool, withPolicy, type PolicyOptions } from './policy.js';
import { withTokenEstimates } from './usage.js';

export type OllamaEntry = z.infer<typeof OllamaModelSchema>;
export type OpenAIEntry = z.infer<typeof OpenAIModelSchema>;
export type LlmEntry = OllamaEntry | OpenAIEntry;
export type HttpGuardEntry = z.infer<typeof HttpGuardSchema>;

/** What connecting needs from the run: the environment, and optionally policy overrides and a host pool. */
export interface ConnectContext {
  env: NodeJS.ProcessEnv;
  /** Overrides for every model of the run (tests shorten backoffs here). */
  policy?: Partial<PolicyOptions> | undefined;
  hosts?: HostPool | undefined;
}

/** One pool per context object, so a run's models share host limits without a global. */
const pools = new WeakMap<object, HostPool>();
function poolFor(ctx: ConnectContext): HostPool {
  if (ctx.hosts) return ctx.hosts;
  let pool = pools.get(ctx);
  if (!pool) pools.set(ctx, (pool = new HostPool()));
  return pool;
}

type PolicyKeys = Pick<LlmEntry, 'timeout_ms' | 'retries' | 'backoff_ms'>;

/** The entry's call policy: its own timeout_ms / retries / backoff_ms over the run's overrides. */
export function policyFor(entry: PolicyKeys, ctx: ConnectContext): Partial<PolicyOptions> {
  return {
    ...ctx.policy,
    ...(entry.timeout_ms !== undefined ? { timeoutMs: entry.timeout_ms } : {}),
    ...(entry.retries !== undefined ? { retries: entry.retries } : {}),
    ...(entry.backoff_ms !== undefined ? { backoffMs: entry.backoff_ms } : {}),
  };
}

export function openAIBaseUrl(entry: OpenAIEntry): string {
  return (entry.base_url ?? DEFAULT_OPENAI_BASE_URL).replace(/\/+$/, '');
}

export function hostsOf(entry: LlmEntry, env: NodeJS.ProcessEnv): string[] {
  return entry.provider === 'ollama' ? ollamaHosts(entry.host, env) : [openAIBaseUrl(entry)];
}

/**
 * Builds the model; `who` (e.g. "defender guardian") prefixes configuration errors. A missing key
 * fails here, before any run starts. Counts a server leaves out are estimated (usage.ts).
 */
export function connectChatModel(entry: LlmEntry, ctx: ConnectContext, who: string): ChatModel {
  const pool = poolFor(ctx);
  const targets = hostsOf(entry, ctx.env).map((url) => ({ url, slot: pool.slot(url, entry.provider, entry.max_concurrency) }));
  const apiKey = resolveApiKey(entry.api_key_env, ctx.env, who);
  const transport =
    entry.provider === 'ollama'
      ? createOllamaTransport({ model: entry.model, keepAlive: entry.keep_alive, numCtx: entry.num_ctx, apiKey })
      : createOpenAITransport({ model: entry.model, apiKey, apiKeyEnv: entry.api_key_env, structuredOutput: entry.structured_output ?? true });
  return withTokenEstimates(withPolicy(transport, targets, policyFor(entry, ctx)));
}

/** A guard API behind the same policy; a header variable that is unset fails here, before any run starts. */
export function connectHttpGuard(entry: HttpGuardEntry, ctx: ConnectContext, who: string): ChatModel {
  resolveHeaders(entry.headers, ctx.env, who);
  const slot = poolFor(ctx).slot(entry.url, 'http', entry.max_concurrency);
  const transport = createHttpGuardTransport({ who, url: entry.url, method: entry.method, headers: entry.headers, body: entry.body, placeholder: TEXT_PLACEHOLDER, env: ctx.env });
  return withPolicy(transport, [{ url: entry.url, slot }], policyFor(entry, ctx));
}

/** The answer cap an entry asks for, else `fallback` (Ollama's num_predict is an alias of max_tokens). */
export function maxTokensOf(entry: LlmEntry, fallback: number): number;
export function maxTokensOf(entry: LlmEntry, fallback: number | undefined): number | undefined;
export function maxTokensOf(entry: LlmEntry, fallback: number | undefined): number | undefined {
  if (entry.max_tokens !== undefined) return entry.max_tokens;
  if (entry.provider === 'ollama' && entry.num_predict !== undefined) return entry.num_predict;
  return fallback;
}
