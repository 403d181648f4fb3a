/**
 * A defender backed by an LLM: a chat model that answers hive's verdict JSON (answer format
 * `json`), or a dedicated guard model that answers in its own format (`llama_guard`, `yes_no`:
 * guard-formats.ts). Temperature 0 and a bounded answer by default: a verdict needs a few dozen
 * tokens, and tokens per verdict is what a swarm costs. It never throws for a model failure: a
 * failed call, an unusable answer (empty, cut, only reasoning) or one that is not exactly one
 * verdict abstains here, keeping the error, the raw answer, the reasoning, the tokens it cost and
 * the time it waited for its host.
 */
import type { DefenderRole } from '../config/schemas.js';
import type { Defender, DefenseContext, Probe, VoteResult } from '../domain.js';
import { readAnswer } from '../models/answer.js';
import type { ChatModel } from '../models/chat.js';
import { proposeIndicatorsWith } from './druid.js';
import type { AnswerFormat } from '../config/schemas.js';
import { parseGuardAnswer } from './guard-formats.js';
import { defenderMessages, guardMessages } from './prompts.js';
import { MAX_REASON_CHARS, parseVerdict, VERDICT_JSON_SCHEMA } from './verdict.js';
import { callForVote, judgedText } from './vote-call.js';

/**
 * The bounded verdict object at its longest: a reason of MAX_REASON_CHARS characters is at most
 * that many tokens (a token holds at least one character), the number at most ~36 (grammars cap
 * its digits), keys, quotes and the verdict ~20. What is left is a margin for whitespace.
 */
export const DEFAULT_DEFENDER_MAX_TOKENS = MAX_REASON_CHARS + 120;
/** A guard model answers a word or two (and a line of category codes). */
const DEFAULT_GUARD_MAX_TOKENS = 64;

export interface LlmDefenderOptions {
  name: string;
  role: DefenderRole;
  vanguard: boolean;
  chat: ChatModel;
  temperature?: number | undefined;
  seed?: number | undefined;
  maxTokens?: number | undefined;
  /** `json` (default): hive's prompt and verdict object; the others: a guard model's own format. */
  answerFormat?: AnswerFormat | undefined;
  /** Guard formats: the system message (Granite Guardian reads the risk to judge from it). */
  system?: string | undefined;
  /** Ask the server to think first or not (undefined: not); null: send no thinking option. */
  think?: boolean | null | undefined;
  /** Longer inputs are judged cut to this many characters, start and end kept. */
  maxInputChars?: number | undefined;
}

export function createLlmDefender(o: LlmDefenderOptions): Defender {
  const format = o.answerFormat ?? 'json';
  // A verdict needs no essay and thoughts cost tokens: no thinking unless the entry says otherwise.
  const think = o.think === null ? undefined : (o.think ?? false);
  return {
    name: o.name,
    role: o.role,
    provider: o.chat.provider,
    model: o.chat.model,
    // A druid also writes indicator phrases after a breach (src/defense/druid.ts, issue 8).
    ...(o.role === 'druid'
      ? { proposeIndicators: (breach, limit, signal) => proposeIndicatorsWith(o.chat, breach, limit, { temperature: o.temperature, seed: o.seed, think }, signal) }
      : {}),
    async vote(probe: Probe, ctx: DefenseContext, signal?: AbortSignal): Promise<VoteResult> {
      const input = judgedText(probe.text, o.maxInputChars);
      // Only the text is shown: the round's category and kind are the labels being measured.
      const messages =
        format === 'json'
          ? defenderMessages({ role: o.role, vanguard: o.vanguard, antibodies: ctx.antibodies, nonce: ctx.nonce, text: input.text, context: probe.context })
          : guardMessages(input.text, o.system, probe.context);
      const call = await callForVote(
        o.chat,
        {
          messages,
          temperature: o.temperature ?? 0,
          seed: o.seed,
          maxTokens: o.maxTokens ?? (format === 'json' ? DEFAULT_DEFENDER_MAX_TOKENS : DEFAULT_GUARD_MAX_TOKENS),
          // The provider asks for structured output where it can; the prompt asks for JSON in any case.
          jsonSchema: format === 'json' ? VERDICT_JSON_SCHEMA : undefined,
          think,
          logprobs: format !== 'json',
        },
        signal,
        input.truncated,
      );
      if (!call.ok) return call.vote;
      const res = call.res;
      const spent = {
        promptTokens: res.promptTokens,
        completionTokens: res.completionTokens,
        tokensEstimated: res.tokensEstimated,
        finishReason: res.finishReason,
        queueMs: call.queueMs,
        truncated: input.truncated,
      };
      const answer = readAnswer(res);
      const reasoning = answer.reasoning === '' ? undefined : answer.reasoning;
      if (!answer.ok) return { verdict: 'abstain', confidence: null, reason: '', error: answer.error, raw: '', reasoning, ...spent };
      const parsed = format === 'json' ? parseVerdict(answer.text) : parseGuardAnswer(format, answer.text, res.logprobs);
      if (!parsed.ok) {
        const cut = res.finishReason === 'length' ? ' (answer cut at the token cap)' : '';
        return { verdict: 'abstain', confidence: null, reason: '', error: `${parsed.error}${cut}`, raw: parsed.raw, reasoning, ...spent };
      }
      return { verdict: parsed.verdict, confidence: parsed.confidence, reason: parsed.reason, reasoning, ...spent };
    },
  };
}
