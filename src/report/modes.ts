/**
 * The figures of conversation and iterative rounds (ModeFigures, src/report/types.ts) from the
 * store's grouped counts over `turns`: built only for runs that have turns, so a run without
 * --multi-turn or refinements reports exactly as before.
 */
import type { Outcome } from '../domain.js';
import { addOutcome, emptyCounts, type OutcomeCounts } from '../stats/outcomes.js';
import { rate } from '../stats/wilson.js';
import type { Store } from '../store/store.js';
import type { RoundMode } from '../store/turns.js';
import { conversationStopFigures } from './conversation-stops.js';
import { groupFigures, groupTextsByKey } from './group-figures.js';
import type { ModeFigures } from './mode-types.js';

/** The run's ModeFigures, or undefined when it has no conversation or iterative round. */
export function modeFigures(store: Store, runId: number): ModeFigures | undefined {
  if (store.turns.count(runId) === 0) return undefined;
  const counts: Record<RoundMode, OutcomeCounts> = { single: emptyCounts(), conversation: emptyCounts(), iterative: emptyCounts() };
  for (const row of store.turns.modeOutcomes(runId)) for (let i = 0; i < row.n; i++) addOutcome(counts[row.mode], row.kind, row.outcome as Outcome);
  const ends = store.turns.attemptsToBreach(runId);
  const valid = ends.reduce((sum, e) => sum + e.n, 0);
  const most = ends.reduce((m, e) => Math.max(m, e.attempts), 0);
  const texts = groupTextsByKey<RoundMode>(store.figures.textRepeats<RoundMode>(runId, 'mode'));
  const breachedBy = (k: number): number => ends.filter((e) => e.breached === 1 && e.attempts <= k).reduce((sum, e) => sum + e.n, 0);
  // A round defended after fewer than k attempts had no k-th attempt (its attacker's refinements
  // ran out): it says nothing about k attempts and leaves the denominator at k (censored).
  const stoppedBefore = (k: number): number => ends.filter((e) => e.breached === 0 && e.attempts < k).reduce((sum, e) => sum + e.n, 0);
  const atK = (k: number): number => valid - stoppedBefore(k);
  const conversation = groupFigures(counts.conversation, texts.get('conversation') ?? {});
  // No single-input attack to compare with: the iterative rounds' first attempts are single inputs.
  const firstAttempts = emptyCounts();
  if (counts.single.attacks === 0 && counts.iterative.attacks > 0)
    for (const row of store.turns.firstAttemptOutcomes(runId)) for (let i = 0; i < row.n; i++) addOutcome(firstAttempts, 'attack', row.outcome as Outcome);
  return {
    ...(firstAttempts.attacks > 0 ? { firstAttempts: groupFigures(firstAttempts) } : {}),
    // The text as the unit in each mode (a benign conversation dealt again is not new evidence).
    single: groupFigures(counts.single, texts.get('single') ?? {}),
    conversation,
    iterative: groupFigures(counts.iterative, texts.get('iterative') ?? {}),
    ...conversationStopFigures(store.turns.conversationEnds(runId), conversation.defenceRate),
    defenceAfterAttempts: Array.from({ length: most }, (_, i) => ({ attempts: i + 1, rate: rate(atK(i + 1) - breachedBy(i + 1), atK(i + 1)) })),
    attemptsToBreach: ends.filter((e) => e.breached === 1).map((e) => ({ attempts: e.attempts, rounds: e.n })),
  };
}
