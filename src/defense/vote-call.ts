/**
 * What every model-backed defender does around its one call (LLM defenders, guard models, guard
 * APIs): judge the input cut to its `max_input_chars` keeping both ends, and turn a failed call
 * into an abstention that keeps the error and the time the call waited for its host.
 */
import type { VoteResult } from '../domain.js';
import { errorMessage } from '../errors.js';
import type { CallMeter, ChatModel, ChatRequest, ChatResult } from '../models/chat.js';
import { keepEnds } from '../store/text.js';

/** The text a defender judges; `truncated` is set only when its limit cut it. */
export function judgedText(text: string, maxInputChars: number | undefined): { text: string; truncated: true | undefined } {
  if (maxInputChars === undefined) return { text, truncated: undefined };
  const kept = keepEnds(text, maxInputChars);
  return { text: kept.text, truncated: kept.cut || undefined };
}

export type VoteCall = { ok: true; res: ChatResult; queueMs: number } | { ok: false; vote: VoteResult };

/** The call, or the abstention it ends in (never throws for a model failure). */
export async function callForVote(chat: ChatModel, req: Omit<ChatRequest, 'meter'>, signal: AbortSignal | undefined, truncated: true | undefined): Promise<VoteCall> {
  const meter: CallMeter = { queueMs: 0 };
  try {
    const res = await chat.chat({ ...req, meter }, signal);
    return { ok: true, res, queueMs: res.queueMs ?? meter.queueMs };
  } catch (err) {
    return { ok: false, vote: { verdict: 'abstain', confidence: null, reason: '', error: errorMessage(err), queueMs: meter.queueMs, truncated } };
  }
}
