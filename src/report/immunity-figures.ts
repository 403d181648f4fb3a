/**
 * Honest accounting of what the healer did in a run, from the database: per batch, what the
 * healer's blocklist stopped beside what the swarm stopped (the learning curve) and the healer's
 * false positives beside its blocks; what the instant blocks were (exact, near or same-payload
 * repeats, or new variants: src/healer/repeats.ts); the
 * figures of the held-out phase after `--freeze-healer-after`; and what antibodies cost in prompt
 * tokens.
 */
import { OUTCOMES } from '../domain.js';
import { classifyRepeats } from '../healer/repeats.js';
import { emptyCounts } from '../stats/outcomes.js';
import type { Store } from '../store/store.js';
import { groupFigures, groupTextsByKey } from './group-figures.js';
import type { FrozenPhase, ImmunityFigures, LearningCurveRow } from './types.js';

/**
 * `freezeAfter`: the run's --freeze-healer-after, or null. `promptReaders`: the defenders whose
 * prompts show antibodies (null: not known, every call counted): the antibodies' token cost is
 * counted over their calls only.
 */
export function immunityFigures(store: Store, runId: number, freezeAfter: number | null, promptReaders: readonly string[] | null = null): ImmunityFigures {
  const learningCurve = curve(store, runId);
  const cost = store.figures.antibodyCost(runId, promptReaders);
  return {
    healerBlocked: learningCurve.reduce((n, b) => n + b.healerBlocked, 0),
    healerFalsePositives: learningCurve.reduce((n, b) => n + b.healerFalsePositives, 0),
    learningCurve,
    repeats: classifyRepeats(store.rounds.breachesAndBlocks(runId), store.knownBreaches.list(runId)),
    frozen: freezeAfter === null ? null : frozen(store, runId, freezeAfter),
    antibodyTokens: { rounds: cost.rounds, meanPerPrompt: cost.mean, maxPerPrompt: cost.max, total: cost.total, promptReaders: promptReaders === null ? null : promptReaders.length },
  };
}

function curve(store: Store, runId: number): LearningCurveRow[] {
  const learnedIn = store.healerEvents.learnedByBatch(runId);
  return store.figures.learningCurve(runId).map((r) => ({ ...r, patternsLearned: learnedIn.get(r.batch) ?? 0 }));
}

function frozen(store: Store, runId: number, after: number): FrozenPhase {
  const counts = emptyCounts();
  let healerBlocked = 0;
  let healerFalsePositives = 0;
  for (const r of store.figures.countsAfter(runId, after)) {
    if (!(OUTCOMES as readonly string[]).includes(r.outcome)) continue;
    counts.rounds += r.n;
    if (r.kind === 'attack') counts.attacks += r.n;
    else counts.benign += r.n;
    counts[r.outcome] += r.n;
    if (r.outcome === 'INSTANT_BLOCKED') healerBlocked += r.n;
    if (r.outcome === 'FALSE_POSITIVE' && r.healer === 1) healerFalsePositives += r.n;
  }
  const texts = groupTextsByKey<number>(store.figures.textRepeats<number>(runId, 'run', { first: after + 1, last: Number.MAX_SAFE_INTEGER })).get(0) ?? {};
  return { afterRound: after, ...groupFigures(counts, texts), healerBlocked, healerFalsePositives, patternsLearned: store.healerEvents.learnedAfter(runId, after) };
}
