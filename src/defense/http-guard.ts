/**
 * A guard API as a defender (`provider: http`): the input goes out in the entry's body template
 * (src/models/http-guard.ts), and the verdict is read from the JSON answer with JSON pointers:
 * `block_when: { pointer, equals }` blocks when the value there equals the given one,
 * `block_when: { pointer, at_least }` when it is a number at least that; the optional `score`
 * pointer gives how likely an attack it is (0..1), kept as the vote's confidence in its verdict
 * so per-defender ROC can be drawn. An answer that is not JSON, or lacks a pointer, abstains with
 * that error, like an LLM answer with no verdict object.
 */
import { isDeepStrictEqual } from 'node:util';
import type { BlockWhen, DefenderRole } from '../config/schemas.js';
import type { Defender, DefenseContext, Probe, VoteResult } from '../domain.js';
import type { ChatModel } from '../models/chat.js';
import { clip } from '../models/http.js';
import { resolvePointer } from '../util/json-pointer.js';
import { trimRaw } from './verdict.js';
import { callForVote, judgedText } from './vote-call.js';

export interface HttpGuardDefenderOptions {
  name: string;
  role: DefenderRole;
  chat: ChatModel;
  blockWhen: BlockWhen;
  score?: string | undefined;
  maxInputChars?: number | undefined;
}

type Read = { ok: true; verdict: 'block' | 'allow'; confidence: number | null; reason: string } | { ok: false; error: string };

/** The error of a vote whose answer lacks `pointer`. */
const missingPointerError = (pointer: string): string => `the answer has no ${pointer || '(root)'}`;

/** The pointer a vote's error says the answer lacked (block_when or score), or undefined for any other error. */
export function missingPointer(error: string | null | undefined): string | undefined {
  return /^the answer has no (\/\S*|\(root\))$/.exec(error ?? '')?.[1];
}

/** The verdict in a guard API's answer text. */
export function readGuardAnswer(answer: string, blockWhen: BlockWhen, score: string | undefined): Read {
  let doc: unknown;
  try {
    doc = JSON.parse(answer);
  } catch {
    return { ok: false, error: 'the answer is not JSON' };
  }
  const at = resolvePointer(doc, blockWhen.pointer);
  if (!at.found) return { ok: false, error: missingPointerError(blockWhen.pointer) };
  let block: boolean;
  if ('equals' in blockWhen) {
    block = isDeepStrictEqual(at.value, blockWhen.equals);
  } else {
    if (typeof at.value !== 'number' || !Number.isFinite(at.value)) return { ok: false, error: `${blockWhen.pointer} is not a number` };
    block = at.value >= blockWhen.at_least;
  }
  let confidence: number | null = null;
  if (score !== undefined) {
    const s = resolvePointer(doc, score);
    if (!s.found) return { ok: false, error: missingPointerError(score) };
    // A score outside 0..1 (a logit, a percentage) cannot be read as a probability: no confidence.
    if (typeof s.value === 'number' && s.value >= 0 && s.value <= 1) confidence = block ? s.value : 1 - s.value;
  }
  return { ok: true, verdict: block ? 'block' : 'allow', confidence, reason: clip(`${blockWhen.pointer} = ${JSON.stringify(at.value)}`, 120) };
}

export function createHttpGuardDefender(o: HttpGuardDefenderOptions): Defender {
  return {
    name: o.name,
    role: o.role,
    provider: o.chat.provider,
    model: o.chat.model,
    async vote(probe: Probe, _ctx: DefenseContext, signal?: AbortSignal): Promise<VoteResult> {
      const input = judgedText(probe.text, o.maxInputChars);
      const call = await callForVote(o.chat, { messages: [{ role: 'user', content: input.text }] }, signal, input.truncated);
      if (!call.ok) return call.vote;
      const res = call.res;
      const spent = { promptTokens: 0, completionTokens: 0, queueMs: call.queueMs, truncated: input.truncated };
      const read = readGuardAnswer(res.text, o.blockWhen, o.score);
      if (!read.ok) return { verdict: 'abstain', confidence: null, reason: '', error: read.error, raw: trimRaw(res.text), ...spent };
      return { verdict: read.verdict, confidence: read.confidence, reason: read.reason, ...spent };
    },
  };
}
