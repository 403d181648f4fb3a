import type { Outcome, RoundKind } from '../domain.js';
import { addOutcome, emptyCounts, figures, type OutcomeCounts } from '../stats/outcomes.js';
import { rateByText, repeatsOf } from '../stats/text-unit.js';
import type { Rate } from '../stats/wilson.js';
import { planRounds, type Plan, type PlannedRound } from './plan.js';

/** A batch whose every planned round is stored: what its table row holds. */
export interface CompletedBatch {
  batch: number;
  firstRound: number;
  lastRound: number;
  counts: OutcomeCounts;
  /** Defence rate with the text as the unit: the same figure `hive report` gives the batch. */
  defenceRate: Rate;
}

interface BatchState {
  planned: number;
  done: number;
  first: number;
  last: number;
  counts: OutcomeCounts;
  /** Rounds per text (SHA-256 of the input) among the batch's valid attacks: the defence rate's repeats. */
  attackTexts: Map<string, number>;
}

const VALID_ATTACK = new Set<Outcome>(['DEFENDED', 'INSTANT_BLOCKED', 'BREACHED']);

/** The planned round numbered `round`: at index round − 1 in every plan hive draws, else found by bisection (rounds increase). */
function roundAt(plan: Plan, round: number): PlannedRound | undefined {
  const guess = plan.at(round - 1);
  if (guess?.round === round) return guess;
  let lo = 0;
  let hi = plan.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const p = plan.at(mid) as PlannedRound;
    if (p.round === round) return p;
    if (p.round < round) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

/**
 * Counts outcomes per batch of a plan as rounds are stored, and says when a batch is complete.
 * Rounds stored before this session (a resume) are added the same way, so a resumed run counts
 * exactly what an uninterrupted one would.
 */
export class BatchTracker {
  private readonly batches = new Map<number, BatchState>();

  /** Holds `plan` to look rounds up in (no map of every round: a million-round run held 60 MB in one). */
  constructor(private readonly plan: Plan) {
    for (const p of planRounds(plan)) {
      const b = this.batches.get(p.batch);
      if (b) {
        b.planned += 1;
        b.first = Math.min(b.first, p.round);
        b.last = Math.max(b.last, p.round);
      } else this.batches.set(p.batch, { planned: 1, done: 0, first: p.round, last: p.round, counts: emptyCounts(), attackTexts: new Map() });
    }
  }

  /** The batch of a planned round (undefined for a round the plan does not hold). */
  batchOfRound(round: number): number | undefined {
    return roundAt(this.plan, round)?.batch;
  }

  /** Adds a stored round and the SHA-256 of its input; returns its batch when this round completed it. */
  add(round: number, kind: RoundKind, outcome: Outcome, sha256: string): CompletedBatch | undefined {
    const batch = this.batchOfRound(round);
    const b = batch === undefined ? undefined : this.batches.get(batch);
    if (batch === undefined || !b) return undefined;
    addOutcome(b.counts, kind, outcome);
    if (kind === 'attack' && VALID_ATTACK.has(outcome)) b.attackTexts.set(sha256, (b.attackTexts.get(sha256) ?? 0) + 1);
    b.done += 1;
    if (b.done !== b.planned) return undefined;
    const defence = figures(b.counts).defence;
    return { batch, firstRound: b.first, lastRound: b.last, counts: b.counts, defenceRate: rateByText(defence.k, defence.n, repeatsOf(b.attackTexts.values())) };
  }

  /** Batches with some but not all of their rounds added, with their spans. */
  inProgress(): Array<{ batch: number; firstRound: number; lastRound: number }> {
    return [...this.batches].filter(([, b]) => b.done > 0 && b.done < b.planned).map(([batch, b]) => ({ batch, firstRound: b.first, lastRound: b.last }));
  }
}
