/**
 * The figures of conversation and iterative rounds (ModeFigures, src/report/types.ts) from the
 * store's grouped counts over `turns`: built only for runs that have turns, so a run without
 * --multi-turn or refinements reports exactly as before.
 */
import type { RunConfig } from '../config/run-config.js';
import type { Outcome } from '../domain.js';
import { addOutcome, emptyCounts, type OutcomeCounts } from '../stats/outcomes.js';
import { rate } from '../stats/wilson.js';
import type { Store } from '../store/store.js';
import type { RoundMode } from '../store/turns.js';
import { conversationStopFigures } from './conversation-stops.js';
import { groupFigures, groupTextsByKey } from './group-figures.js';
import type { ModeFigures } from './mode-types.js';

/**
 * How many attempts each iterative round's attacker could make (refinements + 1), by round: as
 * stored with the round (rounds.attempts_allowed: a replay keeps its source's, so a round whose
 * recording ran out is RECORDING_ENDED, not censored). For rounds stored before that column: a
 * wargame's from its attacker entry (else --refinements), a replay's from the source round's
 * judged attempts; without a readable config, an attacker's most attempts played in the run.
 */
function attemptBudgets(store: Store, config: RunConfig | undefined, rounds: ReadonlyArray<{ round: number; attacker: string; attempts: number; allowed: number | null }>): Map<number, number> {
  if (rounds.every((r) => r.allowed !== null)) return new Map(rounds.map((r) => [r.round, r.allowed as number]));
  const most = new Map<string, number>();
  for (const r of rounds) most.set(r.attacker, Math.max(most.get(r.attacker) ?? 0, r.attempts));
  const replayed = config?.kind === 'replay' ? store.turns.judgedAttempts(config.options.replayOf) : undefined;
  const entry = config?.kind === 'wargame' ? new Map(config.attackers.attackers.map((a) => [a.name, (a.refinements ?? config.options.refinements ?? 0) + 1])) : undefined;
  return new Map(rounds.map((r) => [r.round, replayed?.get(r.round) ?? entry?.get(r.attacker) ?? (most.get(r.attacker) as number)]));
}

/**
 * The defence rate after k = 1…(most attempts any attacker could make) attempts: at k, only the
 * rounds whose attacker could make at least k attempts count, breached or not (a round defended
 * by a smaller budget says nothing about k attempts, and neither does one breached earlier by it:
 * both leave the denominator); of those, defended at k when none of the first k attempts breached.
 */
function defenceAfterAttempts(rounds: ReadonlyArray<{ round: number; attempts: number; breached: number; ended: number }>, budgets: ReadonlyMap<number, number>): ModeFigures['defenceAfterAttempts'] {
  const most = Math.max(0, ...budgets.values());
  // A replayed round whose recording ended is known up to its last recorded attempt (all blocked), no further.
  const budget = (r: (typeof rounds)[number]): number => (r.ended === 1 ? Math.min(r.attempts, budgets.get(r.round) ?? 0) : (budgets.get(r.round) ?? 0));
  return Array.from({ length: most }, (_, i) => {
    const k = i + 1;
    const able = rounds.filter((r) => budget(r) >= k);
    const defended = able.filter((r) => r.breached === 0 || r.attempts > k).length;
    return { attempts: k, rate: rate(defended, able.length) };
  });
}

/**
 * The run's ModeFigures, or undefined when it has no conversation or iterative round; `config`:
 * the run's stored config (undefined when unreadable), for the attackers' attempt budgets.
 */
export function modeFigures(store: Store, runId: number, config: RunConfig | undefined): ModeFigures | undefined {
  if (store.turns.count(runId) === 0) return undefined;
  // Attack conversations stopped before their payload turn are counted apart ('early_stop'): an
  // alarm on a harmless turn never showed the swarm the attack, so it is neither a defence nor a
  // breach, and every figure of the conversation group (JSON, tables, gates) leaves it out.
  const counts: Record<RoundMode | 'early_stop', OutcomeCounts> = { single: emptyCounts(), conversation: emptyCounts(), iterative: emptyCounts(), early_stop: emptyCounts() };
  const withEarlyStops = emptyCounts();
  for (const row of store.turns.modeOutcomes(runId)) {
    for (let i = 0; i < row.n; i++) {
      addOutcome(counts[row.earlyStop === 1 ? 'early_stop' : row.mode], row.kind, row.outcome as Outcome);
      if (row.mode === 'conversation' && row.kind === 'attack') addOutcome(withEarlyStops, row.kind, row.outcome as Outcome);
    }
  }
  const attemptRounds = store.turns.attemptRounds(runId);
  const texts = groupTextsByKey<RoundMode | 'early_stop'>(store.figures.textRepeats<RoundMode | 'early_stop'>(runId, 'mode'));
  const breachedAt = new Map<number, number>();
  for (const r of attemptRounds) if (r.breached === 1) breachedAt.set(r.attempts, (breachedAt.get(r.attempts) ?? 0) + 1);
  const conversation = groupFigures(counts.conversation, texts.get('conversation') ?? {});
  // The same attack conversations with every stop counted as a defence, for comparison only
  // (plain Wilson: the early stops' texts are grouped apart).
  const countingEarlyStops = groupFigures(withEarlyStops).defenceRate;
  // No single-input attack to compare with: the iterative rounds' first attempts are single inputs.
  const firstAttempts = emptyCounts();
  if (counts.single.attacks === 0 && counts.iterative.attacks > 0)
    for (const row of store.turns.firstAttemptOutcomes(runId)) for (let i = 0; i < row.n; i++) addOutcome(firstAttempts, 'attack', row.outcome as Outcome);
  return {
    ...(firstAttempts.attacks > 0 ? { firstAttempts: groupFigures(firstAttempts, groupTextsByKey(store.turns.firstAttemptTexts(runId)).get('first') ?? {}) } : {}),
    // The text as the unit in each mode (a benign conversation dealt again is not new evidence).
    single: groupFigures(counts.single, texts.get('single') ?? {}),
    conversation,
    iterative: groupFigures(counts.iterative, texts.get('iterative') ?? {}),
    ...conversationStopFigures(store.turns.conversationEnds(runId), conversation.defenceRate, countingEarlyStops),
    defenceAfterAttempts: attemptRounds.length === 0 ? [] : defenceAfterAttempts(attemptRounds, attemptBudgets(store, config, attemptRounds)),
    attemptsToBreach: [...breachedAt].sort(([a], [b]) => a - b).map(([attempts, rounds]) => ({ attempts, rounds })),
  };
}
