import { balancedAccuracyInterval } from '../stats/balanced.js';
import { figures, type OutcomeCounts } from '../stats/outcomes.js';
import { designEffectOf, NO_TEXTS, rateByText, type TextRepeats } from '../stats/text-unit.js';
import type { TextRepeatsRow } from '../store/figures.js';
import type { GroupFigures } from './types.js';

export type { TextRepeats } from '../stats/text-unit.js';

/**
 * The texts behind a group's rates: valid attacks (defence and breach rates), judged benign
 * rounds (false-positive rate), and the attacks the blocklist left to the swarm (the swarm
 * defence rate's own denominator).
 */
export interface GroupTexts {
  attack?: TextRepeats | undefined;
  benign?: TextRepeats | undefined;
  swarm?: TextRepeats | undefined;
}

/** The store's text-repeat rows of one grouping, by key (see FiguresTable.textRepeats). */
export function groupTextsByKey<K>(rows: readonly TextRepeatsRow<K>[]): Map<K, GroupTexts> {
  const out = new Map<K, GroupTexts>();
  for (const r of rows) {
    const entry = out.get(r.key) ?? {};
    entry[r.kind] = { rounds: r.rounds, texts: r.texts, squares: r.squares };
    if (r.kind === 'attack') entry.swarm = { rounds: r.swarmRounds, texts: r.swarmTexts, squares: r.swarmSquares };
    out.set(r.key, entry);
  }
  return out;
}

/**
 * Every figure of docs/numbers.md for one group of rounds (a run, a batch, a category…), from its
 * outcome counts and the repeats of its texts: the rates of src/stats/outcomes.ts under the
 * report's names, intervals that take the text as the unit where texts repeat
 * (src/stats/text-unit.ts), and the Newcombe interval of the balanced accuracy. Without `texts`
 * (repeats not counted) the intervals are plain Wilson and the text fields null.
 */
export function groupFigures(counts: OutcomeCounts, texts?: GroupTexts): GroupFigures {
  const f = figures(counts);
  // Counted texts: a kind with none in the group has no repeats.
  const attack = texts ? (texts.attack ?? NO_TEXTS) : undefined;
  const benign = texts ? (texts.benign ?? NO_TEXTS) : undefined;
  const swarm = texts ? (texts.swarm ?? NO_TEXTS) : undefined;
  const defence = rateByText(f.defence.k, f.defence.n, attack);
  const falsePositive = rateByText(f.falsePositive.k, f.falsePositive.n, benign);
  return {
    counts,
    attackErrors: f.attackErrors,
    benignErrors: f.benignErrors,
    validAttacks: f.validAttacks,
    defenceRate: defence,
    swarmDefenceRate: rateByText(f.swarmDefence.k, f.swarmDefence.n, swarm),
    breachRate: rateByText(f.breach.k, f.breach.n, attack),
    falsePositiveRate: falsePositive,
    balancedAccuracy: f.balancedAccuracy,
    balancedAccuracyCi: balancedAccuracyInterval(defence, falsePositive),
    distinctAttackTexts: attack?.texts ?? null,
    distinctBenignTexts: benign?.texts ?? null,
    attackDesignEffect: attack ? designEffectOf(attack) : null,
    benignDesignEffect: benign ? designEffectOf(benign) : null,
    distinctSwarmTexts: swarm?.texts ?? null,
    swarmDesignEffect: swarm ? designEffectOf(swarm) : null,
  };
}
