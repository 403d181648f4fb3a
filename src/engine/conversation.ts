/**
 * Playing a conversation round (--multi-turn): up to `maxTurns` user turns, each written given the
 * conversation so far (an attacker's `converse`, a benign conversation from its pool, or a replay's
 * stored turns), each screened by the healer and judged by the swarm with the conversation as
 * context. The round ends at the first stopped turn (DEFENDED, INSTANT_BLOCKED, or a
 * FALSE_POSITIVE control), an attacker refusal (ATTACKER_REFUSED), an error (ERROR), or when the
 * last turn got through (BREACHED, TRUE_NEGATIVE). A turn the swarm blocked after the first is
 * judged once more alone (role `alone`), so the report can count blocks owed to the context.
 * Between turns the protected assistant (the pool's `assistant`) replies, or a neutral canned reply.
 * Everything is played inside the round: the lag rule and determinism hold as for single inputs.
 */
import type { ConversationParts } from '../config/conversations.js';
import type { Scenario } from '../config/schemas.js';
import type { Assistant, AttackText, ConversationTurn, Outcome, TurnText } from '../domain.js';
import { errorMessage, UnusableAnswerError } from '../errors.js';
import type { RoundRecord, TurnRecord } from '../store/records.js';
import { keepEnds, MAX_STORED_TEXT } from '../store/text.js';
import { deriveSeed, Rng } from '../util/random.js';
import { attackBrief, decidingFields, judgedTurn, judgeTurn, sequenceScore, stopped, type TurnJudgement } from './judge-turn.js';
import type { PlannedRound } from './plan.js';
import type { JudgedRound, RoundPlayers } from './round.js';

/** What conversation rounds are played with. */
export interface ConversationSetup {
  /** The most user turns of a conversation (--max-turns). */
  maxTurns: number;
  /** The folder's conversation parts, read on first use. */
  parts: () => ConversationParts;
  /** The protected assistant; undefined: neutral canned replies from the parts. */
  assistant?: Assistant | undefined;
}

export const DEFAULT_MAX_TURNS = 5;

type Spent = { promptTokens: number; completionTokens: number; latencyMs: number };

/** The next user turn, or why there is none. */
type NextTurn = { text: string; final: boolean; written?: TurnText } | { error: string; spent?: Partial<Spent> };

/** Plays conversation round `plan`. Never throws for a model failure. */
export async function playConversation(
  s: RoundPlayers,
  plan: PlannedRound,
  scenario: Scenario | undefined,
  recentBlocked: string[],
  base: (attack: AttackText, ended: Outcome, decidedBy: RoundRecord['decidedBy'], error: string | null) => Omit<RoundRecord, 'healerEvents'>,
): Promise<JudgedRound> {
  const setup = s.conversations;
  const maxTurns = plan.turns ? Number.MAX_SAFE_INTEGER : (setup?.maxTurns ?? DEFAULT_MAX_TURNS);
  const turns: TurnRecord[] = [];
  const context: ConversationTurn[] = [];
  const spent: Spent = { promptTokens: 0, completionTokens: 0, latencyMs: 0 };
  const strategy: string[] = [];
  let payload: string | undefined;
  // The turn the attacker planned the payload for (a replay keeps the source's); unknown stays null.
  let payloadTurn: number | null = plan.payloadTurn ?? null;
  const replies = new Rng(deriveSeed(s.seed, plan.round, 'replies'));
  const userTurns = plan.turns?.filter((t) => t.role === 'user') ?? [];
  const storedReplies = plan.turns?.filter((t) => t.role === 'assistant') ?? [];

  const attackOf = (text: string): AttackText => ({ text, refused: false, attempts: turns.filter((t) => t.role === 'user').length, strategy: strategy.join(' '), payload, ...spent });
  const end = (text: string, ended: Outcome, decidedBy: RoundRecord['decidedBy'], error: string | null, j?: TurnJudgement): JudgedRound => {
    const decisive = [...turns].reverse().find((t) => t.role === 'user');
    if (decisive && j) decisive.decisive = true;
    const record = base(attackOf(text), ended, decidedBy, error);
    if (plan.kind === 'attack') record.payloadTurn = payloadTurn;
    // A recording that ran out has no sequence score: what came next was never judged (not ranked in the ROC).
    if (j?.by === 'swarm') Object.assign(record, decidingFields(j), { score: ended === 'RECORDING_ENDED' ? null : sequenceScore(turns, 'user') });
    if (j?.by === 'healer') record.patternId = j.match.patternId;
    return { plan, match: j?.by === 'healer' ? j.match : undefined, record: Object.assign(record, { turns }) };
  };

  const next = async (t: number): Promise<NextTurn> => {
    if (plan.turns) {
      const u = userTurns[t - 1];
      return u ? { text: u.text, final: t >= userTurns.length } : { error: 'replay: no stored turn' };
    }
    if (!scenario) return { error: `no scenario for category ${plan.category}` };
    if (plan.kind === 'benign') {
      const pool = setup?.parts().categories.get(scenario.id)?.benign_conversations ?? [];
      const convo = pool[(plan.benignIndex ?? 0) % Math.max(1, pool.length)] ?? [];
      if (t === 1) strategy.push(`benign-conversation#${plan.benignIndex ?? 0}`);
      return { text: convo[t - 1] ?? '', final: t >= Math.min(convo.length, maxTurns) };
    }
    const attacker = s.attackers.get(plan.attacker);
    if (!attacker) return { error: `no attacker named ${plan.attacker}` };
    if (!attacker.converse) return { error: `attacker ${plan.attacker} does not write conversations` };
    try {
      const w = await attacker.converse({ ...attackBrief(s, plan, scenario, recentBlocked), conversation: [...context], turn: t, maxTurns }, s.abort);
      return { text: w.text, final: w.final || t >= maxTurns, written: w };
    } catch (err) {
      return { error: `attacker: ${errorMessage(err)}`, ...(err instanceof UnusableAnswerError ? { spent: err.spent } : {}) };
    }
  };

  for (let t = 1; ; t++) {
    const n = await next(t);
    if ('error' in n) {
      spent.promptTokens += n.spent?.promptTokens ?? 0;
      spent.completionTokens += n.spent?.completionTokens ?? 0;
      return end(turns.at(-1)?.text ?? '', 'ERROR', 'error', n.error);
    }
    const w = n.written;
    if (w) {
      spent.promptTokens += w.promptTokens;
      spent.completionTokens += w.completionTokens;
      spent.latencyMs += w.latencyMs;
      if (t === 1 || strategy.length === 0) strategy.push(w.strategy);
      payload ??= w.payload;
      payloadTurn ??= w.payloadTurn ?? null;
    }
    // Judged as stored: cut to the store's cap, start and end kept (as single inputs are).
    const text = n.text.length > MAX_STORED_TEXT ? keepEnds(n.text, MAX_STORED_TEXT).text : n.text;
    const tokens = { promptTokens: w?.promptTokens ?? 0, completionTokens: w?.completionTokens ?? 0 };
    if (w?.refused) {
      turns.push({ role: 'user', step: t, text, decision: null, decisive: false, votes: [], votesBlock: 0, votesAllow: 0, votesAbstain: 0, ...tokens });
      return end(text, 'ATTACKER_REFUSED', 'attacker', null);
    }
    const j = await judgeTurn(s, plan, text, context);
    turns.push(judgedTurn('user', t, text, j, tokens));
    if (j.by === 'healer') return end(text, plan.kind === 'attack' ? 'INSTANT_BLOCKED' : 'FALSE_POSITIVE', 'healer', null, j);
    const d = j.decision;
    if (d.decision === 'error') {
      const error = `quorum not met at turn ${t}: ${d.block + d.allow} of ${s.defenders.length} defenders answered, ${s.consensus.quorum} needed`;
      return end(text, 'ERROR', 'error', error, j);
    }
    if (stopped(j)) {
      const result = end(text, plan.kind === 'attack' ? 'DEFENDED' : 'FALSE_POSITIVE', 'consensus', null, j);
      // Blocked in context: also judged alone, so a block owed to the conversation can be told apart.
      if (context.length > 0) turns.push(judgedTurn('alone', t, text, await judgeTurn(s, plan, text, [], false)));
      return result;
    }
    if (n.final) return end(text, plan.kind === 'attack' ? (plan.recordingCut ? 'RECORDING_ENDED' : 'BREACHED') : 'TRUE_NEGATIVE', 'consensus', null, j);
    context.push({ role: 'user', text });
    const reply = await replyTo(setup, context, plan, storedReplies[t - 1]?.text, replies, s.abort);
    if ('error' in reply) return end(text, 'ERROR', 'error', `assistant: ${reply.error}`);
    turns.push({ role: 'assistant', step: t, text: reply.text, decision: null, decisive: false, votes: [], votesBlock: 0, votesAllow: 0, votesAbstain: 0, promptTokens: reply.promptTokens, completionTokens: reply.completionTokens });
    context.push({ role: 'assistant', text: reply.text });
  }
}

async function replyTo(
  setup: ConversationSetup | undefined,
  context: readonly ConversationTurn[],
  plan: PlannedRound,
  stored: string | undefined,
  rng: Rng,
  signal: AbortSignal | undefined,
): Promise<{ text: string; promptTokens: number; completionTokens: number } | { error: string }> {
  // A replay keeps the recorded replies: the same pressure as the source run.
  if (stored !== undefined) return { text: stored, promptTokens: 0, completionTokens: 0 };
  if (setup?.assistant) {
    try {
      return await setup.assistant.reply(context, deriveSeed(plan.round, context.length), signal);
    } catch (err) {
      return { error: errorMessage(err) };
    }
  }
  const canned = setup?.parts().replies ?? ['Understood.'];
  return { text: rng.pick(canned), promptTokens: 0, completionTokens: 0 };
}
