/**
 * The one shape every LLM call takes, whatever the provider. Providers (ollama.ts, openai.ts) only
 * move bytes; policy.ts adds timeout, retries, abort and per-host limits and turns a provider's
 * transport into a ChatModel.
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

export interface ChatRequest {
  messages: readonly ChatMessage[];
  temperature?: number | undefined;
  seed?: number | undefined;
  /** Answer cap in tokens (Ollama num_predict, OpenAI max_tokens). */
  maxTokens?: number | undefined;
  /** Ask for an answer following this schema where the provider supports it (Ollama `format`, OpenAI `response_format`). */
  jsonSchema?: JsonSchemaSpec | undefined;
}

/** What one successful call returned. Failed attempts before it are not counted in the tokens. */
export interface ChatResult {
  text: string;
  promptTokens: number;
  completionTokens: number;
  /** Wall time of the whole call as the caller saw it: queueing, retries and backoff included. */
  latencyMs: number;
  /** Provider's stop reason when it gives one (`stop`, `length`…). */
  finishReason?: string | undefined;
  /** HTTP requests made for this call (1 unless retried). */
  attempts?: number | undefined;
}

export interface ChatModel {
  /** `provider:model`, for messages. */
  readonly id: string;
  readonly provider: 'ollama' | 'openai';
  readonly model: string;
  readonly hosts: readonly string[];
  chat(req: ChatRequest, signal?: AbortSignal): Promise<ChatResult>;
}

/** What a provider returns for one HTTP exchange; the policy wrapper adds latency and attempts. */
export type TransportResult = Omit<ChatResult, 'latencyMs' | 'attempts'>;

/**
 * A provider: one request to one host, no retries, no timers. It must pass `signal` to the HTTP
 * request so an abort cancels it, and throw ModelError (with `retryable`, `status`,
 * `retryAfterMs`) for failures it recognises.
 */
export interface Transport {
  readonly provider: 'ollama' | 'openai';
  readonly model: string;
  send(host: string, req: ChatRequest, signal: AbortSignal): Promise<TransportResult>;
}
