import type { Outcome, RoundKind } from '../domain.js';
import { addOutcome, emptyCounts, type OutcomeCounts } from './outcomes.js';

export interface Classified {
  kind: RoundKind;
  outcome: Outcome;
}

/** Outcome counts grouped by a key (category, attacker, batch, source…). */
export class Breakdown<K> {
  private readonly groups = new Map<K, OutcomeCounts>();

  add(key: K, round: Classified): void {
    let c = this.groups.get(key);
    if (!c) this.groups.set(key, (c = emptyCounts()));
    addOutcome(c, round.kind, round.outcome);
  }

  get(key: K): OutcomeCounts {
    return this.groups.get(key) ?? emptyCounts();
  }

  entries(order?: readonly K[]): Array<[K, OutcomeCounts]> {
    if (!order) return [...this.groups.entries()];
    return order.filter((k) => this.groups.has(k)).map((k) => [k, this.groups.get(k) as OutcomeCounts]);
  }
}

export function breakdownBy<T extends Classified, K>(rounds: Iterable<T>, key: (r: T) => K): Breakdown<K> {
  const b = new Breakdown<K>();
  for (const r of rounds) b.add(key(r), r);
  return b;
}
