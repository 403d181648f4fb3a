/**
 * The one shape every model call takes, whatever the provider. Providers (ollama.ts, openai.ts,
 * http-guard.ts) only move bytes; policy.ts adds timeout, retries, abort and per-host limits and
 * turns a provider's transport into a ChatModel; usage.ts fills in token counts a server left out.
 */

export type ChatRole = 'system' | 'user' | 'assistant';

export interface ChatMessage {
  role: ChatRole;
  content: string;
}

/** A JSON schema the answer must follow, for providers with structured output. */
export interface JsonSchemaSpec {
  /** Short identifier (OpenAI requires one: letters, digits, _ and -). */
  name: string;
  schema: Record<string, unknown>;
}

/** Filled by the policy while a call runs, so a caller can read it even when the call fails. */
export interface CallMeter {
  /** Milliseconds spent waiting for a host slot, summed over the call's attempts. */
  queueMs: number;
}

export type Provider = 'ollama' | 'openai' | 'http';

export interface ChatRequest {
  messages: readonly ChatMessage[];
  temperature?: number | undefined;
  seed?: number | undefined;
  /** Answer cap in tokens (Ollama num_predict, OpenAI max_tokens). */
  maxTokens?: number | undefined;
  /** Ask for an answer following this schema where the provider supports it (Ollama `format`, OpenAI `response_format`). */
  jsonSchema?: JsonSchemaSpec | undefined;
  /**
   * false: ask the server not to think first (Ollama `think`, OpenAI-compatible `reasoning_effort`
   * and `chat_template_kwargs.enable_thinking`); true: ask it to; undefined: the server's default.
   */
  think?: boolean | undefined;
  /** Ask for the log-probabilities of the answer's first tokens (guard models' confidence). */
  logprobs?: boolean | undefined;
  meter?: CallMeter | undefined;
}

/** A token of the answer with its log-probability and the most likely alternatives at its place. */
export interface TokenLogprob {
  token: string;
  logprob: number;
  top: Array<{ token: string; logprob: number }>;
}

/** What one successful call returned. Failed attempts before it are not counted in the tokens. */
export interface ChatResult {
  /** The answer's content, as the server sent it (reasoning blocks included: see answer.ts). */
  text: string;
  /** What the server put in a reasoning field (Ollama `thinking`, `reasoning_content`, `reasoning`). */
  reasoning?: string | undefined;
  promptTokens: number;
  completionTokens: number;
  /** Which counts the server left out (usage.ts then estimates them); absent when it gave both. */
  unreported?: { prompt: boolean; completion: boolean } | undefined;
  /** True when a count was estimated by hive's tokenizer (usage.ts), not reported by the server. */
  tokensEstimated?: boolean | undefined;
  /** Wall time of the whole call as the caller saw it: queueing, retries and backoff included. */
  latencyMs: number;
  /** Of latencyMs, the time spent waiting for a host slot. */
  queueMs?: number | undefined;
  /** Provider's stop reason when it gives one (`stop`, `length`…). */
  finishReason?: string | undefined;
  /** When asked for and given: the answer's tokens, in order. */
  logprobs?: TokenLogprob[] | undefined;
  /** HTTP requests made for this call (1 unless retried). */
  attempts?: number | undefined;
}

export interface ChatModel {
  /** `provider:model`, for messages. */
  readonly id: string;
  readonly provider: Provider;
  readonly model: string;
  readonly hosts: readonly string[];
  chat(req: ChatRequest, signal?: AbortSignal): Promise<ChatResult>;
}

/** What a provider returns for one HTTP exchange; the policy wrapper adds latency, queueing and attempts. */
export type TransportResult = Omit<ChatResult, 'latencyMs' | 'attempts' | 'queueMs' | 'tokensEstimated'>;

/**
 * A provider: one request to one host, no retries, no timers. It must pass `signal` to the HTTP
 * request so an abort cancels it, and throw ModelError (with `retryable`, `status`,
 * `retryAfterMs`) for failures it recognises.
 */
export interface Transport {
  readonly provider: Provider;
  readonly model: string;
  send(host: string, req: ChatRequest, signal: AbortSignal): Promise<TransportResult>;
}
