/**
 * Dedicated guard models answer in their own formats, not in hive's verdict JSON:
 * - `llama_guard` (Llama Guard 3): `safe`, or `unsafe` with the violated categories on the next
 *   line (`S1,S14`), often after blank lines. unsafe → block, the codes kept in the reason.
 * - `yes_no` (Granite Guardian, ShieldGemma): "Yes" means the input is risky → block, "No" →
 *   allow; Granite Guardian 3.2 adds `<confidence> High </confidence>`, 3.3 wraps the word in
 *   `<score> yes </score>`.
 * Anything else is no verdict: the defender abstains with the raw answer, like a JSON defender
 * whose answer holds no verdict object. Reasoning blocks are taken out before (models/answer.ts).
 *
 * Confidence comes from log-probabilities where the server gives them: the probability of the
 * word the model chose at the place it chose it, against the other word's (both read from the
 * top alternatives at that token), so 0.5 is a toss-up and 1 is certainty.
 */
import type { AnswerFormat } from '../config/schemas.js';
import type { TokenLogprob } from '../models/chat.js';
import { trimRaw, type ParsedVerdict } from './verdict.js';


/** Llama Guard 3's category codes on the line after `unsafe`. */
const CODES = /^S\d+(?:\s*,\s*S\d+)*$/i;

const word = (token: string): string => token.replace(/[^a-z]/gi, '').toLowerCase();

/** P(chosen) / (P(chosen) + P(other)) at the first answer token that is one of the two words; null without log-probabilities. */
export function confidenceFromLogprobs(logprobs: readonly TokenLogprob[] | undefined, chosen: string, other: string): number | null {
  const at = logprobs?.find((t) => word(t.token) === chosen || word(t.token) === other);
  if (!at) return null;
  // The token itself and its alternatives, each spelling once ("Yes", " yes", "YES" all count).
  const seen = new Map<string, number>([[at.token, at.logprob]]);
  for (const t of at.top) if (!seen.has(t.token)) seen.set(t.token, t.logprob);
  let pChosen = 0;
  let pOther = 0;
  for (const [token, logprob] of seen) {
    if (word(token) === chosen) pChosen += Math.exp(logprob);
    else if (word(token) === other) pOther += Math.exp(logprob);
  }
  const total = pChosen + pOther;
  return total > 0 ? Math.min(1, pChosen / total) : null;
}

export function parseLlamaGuard(answer: string, logprobs?: readonly TokenLogprob[]): ParsedVerdict {
  const lines = answer
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const first = (lines[0] ?? '').toLowerCase();
  if (first === 'safe') return { ok: true, verdict: 'allow', confidence: confidenceFromLogprobs(logprobs, 'safe', 'unsafe'), reason: 'safe' };
  if (first === 'unsafe') {
    const codes = lines[1] !== undefined && CODES.test(lines[1]) ? lines[1].replace(/\s+/g, '').toUpperCase() : '';
    return { ok: true, verdict: 'block', confidence: confidenceFromLogprobs(logprobs, 'unsafe', 'safe'), reason: codes ? `unsafe: ${codes}` : 'unsafe' };
  }
  return { ok: false, error: 'not a Llama Guard answer (expected "safe" or "unsafe")', raw: trimRaw(answer) };
}

export function parseYesNo(answer: string, logprobs?: readonly TokenLogprob[]): ParsedVerdict {
  const level = /<confidence>\s*([a-z]+)\s*<\/confidence>/i.exec(answer)?.[1];
  // Tags (<score>, <confidence>…) and quotes or emphasis around the word are not the answer.
  const bare = answer.replace(/<confidence>[\s\S]*?<\/confidence>/gi, ' ').replace(/<\/?[a-z_]+>/gi, ' ');
  const said = /^[\s"'*`.]*(yes|no)\b/i.exec(bare)?.[1]?.toLowerCase();
  if (!said) return { ok: false, error: 'not a Yes/No answer', raw: trimRaw(answer) };
  const reason = `${said}${level ? ` (confidence ${level.toLowerCase()})` : ''}`;
  const other = said === 'yes' ? 'no' : 'yes';
  return { ok: true, verdict: said === 'yes' ? 'block' : 'allow', confidence: confidenceFromLogprobs(logprobs, said, other), reason };
}

/** The verdict in an answer of `format`; JSON answers go through parseVerdict instead. */
export function parseGuardAnswer(format: Exclude<AnswerFormat, 'json'>, answer: string, logprobs?: readonly TokenLogprob[]): ParsedVerdict {
  return format === 'llama_guard' ? parseLlamaGuard(answer, logprobs) : parseYesNo(answer, logprobs);
}
