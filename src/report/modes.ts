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
import { groupFigures, groupTextsByKey } from './group-figures.js';
import type { ModeFigures } from './types.js';

/** The run's ModeFigures, or undefined when it has no conversation or iterative round. */
export function modeFigures(store: Store, runId: number): ModeFigures | undefined {
  if (store.turns.count(runId) === 0) return undefined;
  const counts: Record<RoundMode, OutcomeCounts> = { single: emptyCounts(), conversation: emptyCounts(), iterative: emptyCounts() };
  for (const row of store.turns.modeOutcomes(runId)) for (let i = 0; i < row.n; i++) addOutcome(counts[row.mode], row.kind, row.outcome as Outcome);
  const context = store.turns.blockedOnlyInContext(runId);
  const ends = store.turns.attemptsToBreach(runId);
  const valid = ends.reduce((sum, e) => sum + e.n, 0);
  const most = ends.reduce((m, e) => Math.max(m, e.attempts), 0);
  const texts = groupTextsByKey<RoundMode>(store.figures.textRepeats<RoundMode>(runId, 'mode'));
  const breachedBy = (k: number): number => ends.filter((e) => e.breached === 1 && e.attempts <= k).reduce((sum, e) => sum + e.n, 0);
  return {
    // The text as the unit in each mode (a benign conversation dealt again is not new evidence).
    single: groupFigures(counts.single, texts.get('single') ?? {}),
    conversation: groupFigures(counts.conversation, texts.get('conversation') ?? {}),
    iterative: groupFigures(counts.iterative, texts.get('iterative') ?? {}),
    blockedAtTurn: store.turns.blockedAtTurn(runId).map((r) => ({ turn: r.step, rounds: r.n })),
    blockedInContext: context.blocked,
    blockedOnlyInContext: context.onlyInContext,
    defenceAfterAttempts: Array.from({ length: most }, (_, i) => ({ attempts: i + 1, rate: rate(valid - breachedBy(i + 1), valid) })),
    attemptsToBreach: ends.filter((e) => e.breached === 1).map((e) => ({ attempts: e.attempts, rounds: e.n })),
  };
}
