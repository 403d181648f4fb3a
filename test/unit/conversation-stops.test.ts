import { describe, expect, it } from 'vitest';
import { conversationStopFigures } from '../../src/report/conversation-stops.js';
import { rate } from '../../src/stats/wilson.js';
import type { ConversationEndRow } from '../../src/store/turns.js';

const row = (outcome: string, payloadTurn: number | null, stoppedAt: number | null, n: number, allowedAlone = 0, stoppedBy: ConversationEndRow['stoppedBy'] = stoppedAt === null ? null : 'block'): ConversationEndRow => ({ outcome, payloadTurn, stoppedAt, stoppedBy, allowedAlone, n });

describe('conversation stops relative to the payload turn', () => {
  it('counts stops before the payload turn apart, and never guesses an unknown payload turn', () => {
    const rows = [
      row('DEFENDED', 4, 2, 2), // alarms on a harmless turn…
      row('DEFENDED', 4, 2, 1, 1), // …one of them raised by the context (allowed alone)
      row('DEFENDED', 4, 4, 3), // caught at the payload…
      row('DEFENDED', 4, 4, 2, 1), // …2 of them only thanks to the context
      row('INSTANT_BLOCKED', 3, 3, 1, 0, 'healer'),
      row('BREACHED', 4, null, 6),
      row('DEFENDED', null, 3, 2, 1), // an LLM attacker: payload turn unknown
      row('BREACHED', null, null, 1),
      row('ERROR', 4, null, 4), // not valid: in no denominator
    ];
    // The rates come from the conversation group (report/modes.ts, counted in SQL): passed through as given.
    const f = conversationStopFigures(rows, rate(8, 15), rate(11, 18));
    expect(f.conversationStops).toMatchObject({ atOrAfterPayload: 6, beforePayload: 3, beforePayloadOnlyInContext: 1, payloadUnknown: 2, validPayloadUnknown: 3 });
    expect(f.conversationStops.defenceRate).toMatchObject({ k: 8, n: 15 });
    expect(f.conversationStops.defenceRateCountingEarlyStops).toMatchObject({ k: 11, n: 18 });
    // The floor: the conversations' own defences, every early stop a breach.
    expect(f.conversationStops.defenceRateEarlyStopsAsBreaches).toMatchObject({ k: 8, n: 18 });
    expect(f.blockedAtTurn).toEqual([
      { turn: 2, rounds: 3, beforePayload: 3, payloadUnknown: 0 },
      { turn: 3, rounds: 3, beforePayload: 0, payloadUnknown: 2 },
      { turn: 4, rounds: 5, beforePayload: 0, payloadUnknown: 0 },
    ]);
    // Only swarm blocks at the payload turn or later, after the first turn; the early and unknown ones are not counted.
    expect(f.blockedInContext).toBe(5);
    expect(f.blockedOnlyInContext).toBe(2);
  });
});
