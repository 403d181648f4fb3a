/**
 * What the providers' wire formats share once parsed: a token count that may be missing, and the
 * `{token, logprob, top_logprobs}` entries both Ollama and OpenAI use for log-probabilities.
 * Values come from a server, so every field is checked, never trusted.
 */
import type { TokenLogprob } from './chat.js';

/** A reported count, or undefined when the server gave none (or something that is not a count). */
function reportedCount(n: unknown): number | undefined {
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** The prompt and answer counts of a result, and which of them the server left out (usage.ts estimates those). */
export function counts(prompt: unknown, answer: unknown): { promptTokens: number; completionTokens: number; unreported?: { prompt: boolean; completion: boolean } } {
  const p = reportedCount(prompt);
  const a = reportedCount(answer);
  return {
    promptTokens: p ?? 0,
    completionTokens: a ?? 0,
    ...(p === undefined || a === undefined ? { unreported: { prompt: p === undefined, completion: a === undefined } } : {}),
  };
}

type Entry = { token?: unknown; logprob?: unknown; top_logprobs?: unknown };

const valid = (e: Entry | null | undefined): e is { token: string; logprob: number; top_logprobs?: unknown } =>
  typeof e?.token === 'string' && typeof e.logprob === 'number' && Number.isFinite(e.logprob);

/** Log-probability entries as TokenLogprobs, in order; malformed entries are skipped. */
export function tokenLogprobs(entries: readonly unknown[]): TokenLogprob[] {
  const out: TokenLogprob[] = [];
  for (const e of entries as Array<Entry | null>) {
    if (!valid(e)) continue;
    const top = Array.isArray(e.top_logprobs) ? (e.top_logprobs as Array<Entry | null>).filter(valid).map((t) => ({ token: t.token, logprob: t.logprob })) : [];
    out.push({ token: e.token, logprob: e.logprob, top });
  }
  return out;
}
