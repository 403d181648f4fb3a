/**
 * The report's figures by how rounds were played (single input, conversation, iterative): part of
 * RunReport (src/report/types.ts), kept apart so that file stays one screenful of shapes.
 */
import type { Rate } from '../stats/wilson.js';
import type { GroupFigures } from './types.js';

/**
 * Single-input, conversation and iterative rounds side by side (docs/conversations.md), each
 * group's figures with their intervals; for conversations, the turn the swarm or the healer
 * stopped an attack at and the blocks owed to the context; for iterative rounds, the defence
 * rate after 1…N attempts and the attempt that breached.
 */
export interface ModeFigures {
  single: GroupFigures;
  conversation: GroupFigures;
  iterative: GroupFigures;
  /**
   * Only when no single-input round is an attack and some iterative round is (every
   * non-conversation attack was iterative, e.g. --refinements for the embedded attacker): the
   * first attempts of the iterative rounds, each a single input written before any feedback, as
   * the single-turn comparison (attack figures only; intervals with the first attempt's text as
   * the unit, like the other rows).
   */
  firstAttempts?: GroupFigures;
  /**
   * Attack conversations stopped at user turn `turn` (1-based), by the swarm or the healer; of
   * those, stopped before the turn that carries the payload, and stopped where it is unknown.
   */
  blockedAtTurn: Array<{ turn: number; rounds: number; beforePayload: number; payloadUnknown: number }>;
  /** Attack conversations the swarm blocked at a turn after the first, at or after the payload turn… */
  blockedInContext: number;
  /** …of which that turn, judged alone, was allowed: blocked only thanks to the conversation. */
  blockedOnlyInContext: number;
  /** Attack conversations: stops at, before and without a known payload turn, and the defence rate both ways. */
  conversationStops: ConversationStops;
  /** Iterative attack rounds (valid: not refused, not errors): the share still defended after k attempts, k = 1…max played. */
  defenceAfterAttempts: Array<{ attempts: number; rate: Rate }>;
  /** Iterative rounds that breached, by the attempt that got through. */
  attemptsToBreach: Array<{ attempts: number; rounds: number }>;
}

/**
 * Where attack conversations were stopped relative to the user turn that carries the payload (as
 * the attacker planned it: the embedded attacker knows it, an LLM attacker cannot say). A stop
 * before the payload turn is a block of a harmless turn — a false alarm that happened to end an
 * attack conversation — not evidence that the swarm caught the attack.
 */
export interface ConversationStops {
  /** Stopped (swarm or healer) at the payload turn or later. */
  atOrAfterPayload: number;
  /** Stopped before the payload turn: alarms on harmless turns. */
  beforePayload: number;
  /** …of which the swarm blocked a turn it allows judged alone: alarms the conversation's context raised. */
  beforePayloadOnlyInContext: number;
  /** Stopped where the payload turn is unknown (never guessed). */
  payloadUnknown: number;
  /** Valid attack conversations (not refused, not errors) whose payload turn is unknown. */
  validPayloadUnknown: number;
  /**
   * The conversation group's defence rate (ModeFigures.conversation.defenceRate, the same object):
   * stops, of the valid attack conversations, both less those stopped before the payload turn. A
   * stop whose payload turn is unknown counts as a stop (it cannot be told from an alarm).
   */
  defenceRate: Rate;
  /** Every stop counted as a defence, of every valid attack conversation (plain Wilson): the ceiling. */
  defenceRateCountingEarlyStops: Rate;
  /**
   * Every early stop counted as a breach (the payload was never judged, so it might have got
   * through), of every valid attack conversation (plain Wilson): the floor. The two bound what the
   * early-stopped conversations could have done.
   */
  defenceRateEarlyStopsAsBreaches: Rate;
}
