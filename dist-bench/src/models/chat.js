/**
 * The one shape every LLM call takes, whatever the provider. Providers (ollama.ts, openai.ts) only
 * move bytes; policy.ts adds timeout, retries, abort and per-host limits and turns a provider's
 * transport into a ChatModel.
 */
export {};
//# sourceMappingURL=chat.js.map