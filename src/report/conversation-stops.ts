/**
 * Where attack conversations were stopped relative to their payload turn (ConversationStops,
 * src/report/types.ts), from the store's grouped conversation ends. Pure. A stop before the
 * payload turn blocked a harmless turn: it is counted apart, never as a caught attack, and the
 * blocks "only thanks to the context" count only stops at the payload turn or later. A payload
 * turn the attacker could not say (an LLM attacker) is never guessed: those stops are counted as
 * unknown and left out of the payload-turn rate.
 */
import { rate, type Rate } from '../stats/wilson.js';
import type { ConversationEndRow } from '../store/turns.js';
import type { ConversationStops, ModeFigures } from './mode-types.js';

const VALID = new Set(['DEFENDED', 'INSTANT_BLOCKED', 'BREACHED']);

type StopFigures = Pick<ModeFigures, 'blockedAtTurn' | 'blockedInContext' | 'blockedOnlyInContext' | 'conversationStops'>;

/**
 * The stop figures of a run's attack conversations, from TurnsTable.conversationEnds rows;
 * `defenceRate`: the conversation group's defence rate (early stops left out: the one figure
 * every format and gate shows); `countingEarlyStops`: the same conversations with every stop
 * counted as a defence.
 */
export function conversationStopFigures(rows: readonly ConversationEndRow[], defenceRate: Rate, countingEarlyStops: Rate): StopFigures {
  const valid = rows.filter((r) => VALID.has(r.outcome));
  const stops = valid.filter((r) => r.stoppedAt !== null);
  const sum = (xs: readonly ConversationEndRow[]): number => xs.reduce((s, r) => s + r.n, 0);
  const known = (r: ConversationEndRow): r is ConversationEndRow & { payloadTurn: number } => r.payloadTurn !== null;
  const atOrAfter = stops.filter((r) => known(r) && (r.stoppedAt as number) >= r.payloadTurn);
  const before = stops.filter((r) => known(r) && (r.stoppedAt as number) < r.payloadTurn);
  const unknownStops = stops.filter((r) => !known(r));
  // Blocked in context: by the swarm, at a turn after the first (there was context), at the payload turn or later.
  const inContext = atOrAfter.filter((r) => r.stoppedBy === 'block' && (r.stoppedAt as number) > 1);
  const conversationStops: ConversationStops = {
    atOrAfterPayload: sum(atOrAfter),
    beforePayload: sum(before),
    beforePayloadOnlyInContext: sum(before.filter((r) => r.stoppedBy === 'block' && r.allowedAlone === 1)),
    payloadUnknown: sum(unknownStops),
    validPayloadUnknown: sum(valid.filter((r) => !known(r))),
    defenceRate,
    defenceRateCountingEarlyStops: countingEarlyStops,
    defenceRateEarlyStopsAsBreaches: rate(defenceRate.k, countingEarlyStops.n),
  };
  const turns = [...new Set(stops.map((r) => r.stoppedAt as number))].sort((a, b) => a - b);
  return {
    blockedAtTurn: turns.map((turn) => {
      const at = stops.filter((r) => r.stoppedAt === turn);
      return { turn, rounds: sum(at), beforePayload: sum(at.filter((r) => known(r) && turn < r.payloadTurn)), payloadUnknown: sum(at.filter((r) => !known(r))) };
    }),
    blockedInContext: sum(inContext),
    blockedOnlyInContext: sum(inContext.filter((r) => r.allowedAlone === 1)),
    conversationStops,
  };
}
