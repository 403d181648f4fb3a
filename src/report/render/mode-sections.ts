/**
 * The report's sections for conversation and iterative rounds (ModeFigures): the three ways of
 * playing a round side by side, where conversations were stopped, and the defence rate after
 * 1…N attempts. Shown by every format that shows sections (table, Markdown, HTML) and at the end
 * of a wargame, only for runs that have such rounds.
 */
import { pct, plural, rateWithCi } from '../numbers.js';
import type { ModeFigures } from '../mode-types.js';
import { balancedAccuracyInterval } from '../../stats/balanced.js';
import { balancedAccuracyOf } from '../../stats/outcomes.js';
import type { Rate } from '../../stats/wilson.js';
import type { GroupFigures } from '../types.js';
import { groupsSection, rateRow, RUN_END_COLUMNS, type Section } from './sections.js';

/**
 * Single-input, conversation and iterative rounds side by side; `only`: a subset of the columns.
 * When every non-conversation attack was iterative, the first attempts stand as the single-turn
 * row. A mode no round was played in is left out. The conversation row's defence rate is the one
 * at the payload turn (early stops left out) when some payload turn is known.
 */
export function modesSection(m: ModeFigures, only?: readonly string[]): Section {
  const stops = m.conversationStops;
  const rows: Array<[string, GroupFigures]> = [
    ['single input', m.single],
    ...(m.firstAttempts ? [['first attempts', m.firstAttempts] as [string, GroupFigures]] : []),
    ['conversation', m.conversation],
    ['iterative', m.iterative],
  ];
  const section = groupsSection('Single-turn, multi-turn and iterative rounds', 'rounds played as', rows.filter(([, g]) => g.counts.rounds > 0), only);
  const notes = [
    ...(m.firstAttempts
      ? [
          'No attack was played as a single input (every one outside conversations was iterative): "first attempts" are the first attempts of the iterative rounds — each a single input, written before any feedback — as the single-turn comparison. They are the same rounds as "iterative" (the rows overlap), judged at their first attempt.',
          // The healer learned from the refined attempts' breaches too, so it stops more first
          // attempts than it would in a run of single inputs: the swarm defence rate (no instant blocks) compares cleanly.
          `Their instant blocks (${m.firstAttempts.counts.INSTANT_BLOCKED}) come from patterns the healer also learned from refined attempts' breaches, more than a run of single inputs would teach it; the swarm defence rate (with antibodies) on the first attempts it judged: ${rateWithCi(m.firstAttempts.swarmDefenceRate)}.`,
        ]
      : []),
    ...(stops.beforePayload > 0 || stops.validPayloadUnknown > 0
      ? [
          `"conversation" figures leave out the ${plural(stops.beforePayload, 'attack conversation')} stopped before the payload turn (alarms on harmless turns): defence ${stops.defenceRate.k}/${stops.defenceRate.n}${stops.validPayloadUnknown > 0 ? `, of which ${plural(stops.validPayloadUnknown, 'valid conversation')} whose payload turn is unknown, where any stop counts as a defence` : ''}. Their payload was never judged: counting them as defences ${rateWithCi(stops.defenceRateCountingEarlyStops)}, as breaches ${rateWithCi(stops.defenceRateEarlyStopsAsBreaches)} (below).`,
        ]
      : []),
  ];
  if (notes.length > 0) section.note = notes.join(' ');
  return section;
}

/**
 * Where the swarm or the healer stopped attack conversations, each turn's stops split by where
 * they fell relative to the payload turn, and the blocks owed to the context.
 */
export function blockedAtTurnSection(m: ModeFigures): Section {
  const total = m.blockedAtTurn.reduce((s, r) => s + r.rounds, 0);
  const unknown = m.conversationStops.payloadUnknown > 0;
  return {
    title: 'Conversations: the turn an attack was stopped at',
    head: ['user turn', 'attacks stopped', 'share', 'before the payload turn', ...(unknown ? ['payload turn unknown'] : [])],
    numeric: unknown ? [1, 2, 3, 4] : [1, 2, 3],
    rows: m.blockedAtTurn.map((r) => [String(r.turn), String(r.rounds), pct(total === 0 ? null : r.rounds / total), String(r.beforePayload), ...(unknown ? [String(r.payloadUnknown)] : [])]),
    note:
      'A stop before the payload turn blocked a harmless turn (an opener, rapport, a reframing): an alarm that ended the conversation, not a caught attack. ' +
      `Blocked by the swarm at the payload turn or later, at a turn after the first: ${m.blockedInContext}; of those, blocked only thanks to the context (that turn, judged alone, was allowed): ${m.blockedOnlyInContext}.` +
      (unknown ? ` Payload turn unknown (the attacker cannot say which turn carries it) for ${plural(m.conversationStops.payloadUnknown, 'stopped conversation')}: not counted there.` : ''),
  };
}

/** The multi-turn defence rate both ways: blocks at the payload turn or later, and every stop counted as a defence. */
export function payloadTurnSection(m: ModeFigures): Section {
  const s = m.conversationStops;
  const ended = m.conversation.counts.RECORDING_ENDED;
  // What the rate's denominator leaves out, said only where there is some.
  const left = [
    ...(s.beforePayload > 0 ? [`${plural(s.beforePayload, 'early stop')} left out`] : []),
    ...(ended > 0 ? [`${ended} whose recording ended left out`] : []),
    ...(s.validPayloadUnknown > 0 ? [`payload turn unknown for ${plural(s.validPayloadUnknown, 'valid conversation')}: any stop counts`] : []),
  ];
  return {
    title: 'Conversations: defence at the payload turn',
    head: ['figure', 'value', '95% CI', 'counts'],
    numeric: [1, 2],
    rows: [
      ['defended at or after the payload turn', String(s.atOrAfterPayload), '', 'attack conversations stopped by the swarm or the healer'],
      ['stopped before the payload turn', String(s.beforePayload), '', 'alarms on harmless turns, counted apart'],
      ['…of them only in context', String(s.beforePayloadOnlyInContext), '', 'that turn, judged alone, was allowed: alarms the context raised'],
      ...(s.payloadUnknown > 0 ? [['payload turn unknown', String(s.payloadUnknown), '', 'stopped conversations whose attacker cannot say its payload turn']] : []),
      rateRow('defence rate (blocks at the payload turn or later)', s.defenceRate, left.length > 0 ? ` (${left.join('; ')})` : ''),
      rateRow('defence rate counting early stops as defences', s.defenceRateCountingEarlyStops, ' (the ceiling)'),
      rateRow('defence rate counting early stops as breaches', s.defenceRateEarlyStopsAsBreaches, ' (the floor)'),
    ],
  };
}

/** The defence rate of iterative rounds after 1, 2, … attempts (with its counts), and the attempt that breached. */
export function attemptsSection(m: ModeFigures): Section {
  return {
    title: 'Iterative attackers: defence after each attempt',
    head: ['attempts', 'still defended % [95% CI]', 'defended/n', 'breached at this attempt'],
    numeric: [1, 2, 3, 4],
    rows: m.defenceAfterAttempts.map((d) => [String(d.attempts), rateWithCi(d.rate), `${d.rate.k}/${d.rate.n}`, String(m.attemptsToBreach.find((b) => b.attempts === d.attempts)?.rounds ?? 0)]),
    note:
      'At k attempts, only rounds whose attacker could make at least k attempts (its refinements + 1) count, breached or not; of those, a round is defended when none of its first k attempts got through. Refused and errored rounds are left out; a replayed round whose recording ended counts up to its last recorded attempt. ' +
      'The first attempt is a single input: the rate after 1 attempt is the single-turn defence rate of these rounds.',
  };
}

/**
 * What a replay's conversation and iterative figures measure, and the rounds whose recording ended
 * (RECORDING_ENDED: left out of every defence rate), for the note under the modes table.
 */
export function recordedPressureNote(m: ModeFigures, replayOf: number): string {
  const ended = m.conversation.counts.RECORDING_ENDED + m.iterative.counts.RECORDING_ENDED;
  return (
    `Replay of run ${replayOf}: conversation and iterative figures come from recorded pressure — the source's turns and attempts, adapted to its cast's verdicts, judged in order by this cast. ` +
    `Recording ended: ${plural(ended, 'attack round')} this cast stopped at the last recorded turn or attempt where the source's sequence went on (or let every recorded turn through where the source had stopped before the payload turn) — what came next was never recorded, so they are neither defences nor breaches and are left out of every defence rate.`
  );
}

/** Every mode section that has something to show; `replayOf`: the source run of a replay (its figures come from recorded pressure). */
export function modeSections(m: ModeFigures | undefined, runEnd = false, replayOf: number | null = null): Section[] {
  if (!m) return [];
  const out = [modesSection(m, runEnd ? RUN_END_COLUMNS : undefined)];
  const first = out[0] as Section;
  if (replayOf !== null) first.note = [first.note, recordedPressureNote(m, replayOf)].filter(Boolean).join(' ');
  if (m.blockedAtTurn.length > 0 || m.conversation.counts.attacks > 0) out.push(blockedAtTurnSection(m), payloadTurnSection(m));
  if (m.defenceAfterAttempts.length > 0) out.push(attemptsSection(m));
  return out;
}
