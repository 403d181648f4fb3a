/**
 * The report's sections for conversation and iterative rounds (ModeFigures): the three ways of
 * playing a round side by side, where conversations were stopped, and the defence rate after
 * 1…N attempts. Shown by every format that shows sections (table, Markdown, HTML) and at the end
 * of a wargame, only for runs that have such rounds.
 */
import { pct, rateWithCi } from '../numbers.js';
import type { ModeFigures } from '../types.js';
import { groupsSection, RUN_END_COLUMNS, type Section } from './sections.js';

/** Single-input, conversation and iterative rounds side by side; `only`: a subset of the columns. */
export function modesSection(m: ModeFigures, only?: readonly string[]): Section {
  return groupsSection('Single-turn, multi-turn and iterative rounds', 'rounds played as', [
    ['single input', m.single],
    ['conversation', m.conversation],
    ['iterative', m.iterative],
  ], only);
}

/** Where the swarm or the healer stopped attack conversations, and the blocks owed to the context. */
export function blockedAtTurnSection(m: ModeFigures): Section {
  const total = m.blockedAtTurn.reduce((s, r) => s + r.rounds, 0);
  return {
    title: 'Conversations: the turn an attack was stopped at',
    head: ['user turn', 'attacks stopped', 'share'],
    numeric: [1, 2],
    rows: m.blockedAtTurn.map((r) => [String(r.turn), String(r.rounds), pct(total === 0 ? null : r.rounds / total)]),
    note: `Blocked by the swarm at a turn after the first: ${m.blockedInContext}; of those, blocked only thanks to the context (that turn, judged alone, was allowed): ${m.blockedOnlyInContext}.`,
  };
}

/** The defence rate of iterative rounds after 1, 2, … attempts, and the attempt that breached. */
export function attemptsSection(m: ModeFigures): Section {
  return {
    title: 'Iterative attackers: defence after each attempt',
    head: ['attempts', 'still defended % [95% CI]', 'breached at this attempt'],
    numeric: [1, 2, 3],
    rows: m.defenceAfterAttempts.map((d) => [String(d.attempts), rateWithCi(d.rate), String(m.attemptsToBreach.find((b) => b.attempts === d.attempts)?.rounds ?? 0)]),
    note: 'A round counts as defended after k attempts when none of its first k attempts got through (refused and errored rounds left out); a round whose attacker had fewer than k attempts and was defended is not counted at k. The first attempt is a single input: the rate after 1 attempt is the single-turn defence rate of these rounds.',
  };
}

/** Every mode section that has something to show. */
export function modeSections(m: ModeFigures | undefined, runEnd = false): Section[] {
  if (!m) return [];
  const out = [modesSection(m, runEnd ? RUN_END_COLUMNS : undefined)];
  if (m.blockedAtTurn.length > 0 || m.conversation.counts.attacks > 0) out.push(blockedAtTurnSection(m));
  if (m.defenceAfterAttempts.length > 0) out.push(attemptsSection(m));
  return out;
}
