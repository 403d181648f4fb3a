import { balancedAccuracyInterval } from '../stats/balanced.js';
import { figures, type OutcomeCounts } from '../stats/outcomes.js';
import { clusteredWilson, type Rate } from '../stats/wilson.js';
import type { GroupFigures } from './types.js';

/** The texts behind one kind's rate of a group: rounds, distinct texts and Σm² of their repeat counts. */
export interface TextRepeats {
  rounds: number;
  texts: number;
  squares: number;
}

/** Σm² / Σm: 1 when every text is distinct (or there are none); null when not counted. */
const designEffectOf = (t: TextRepeats | undefined): number | null => (t === undefined ? null : t.rounds === 0 ? 1 : t.squares / t.rounds);

/** `r` with its interval taken with the text as the unit when its texts repeat. */
function byText(r: Rate, deff: number | null): Rate {
  return deff !== null && deff > 1 ? { ...r, ci: clusteredWilson(r.k, r.n, deff) } : r;
}

/**
 * Every figure of docs/numbers.md for one group of rounds (a run, a batch, a category…), from its
 * outcome counts and the repeats of its texts: the rates of src/stats/outcomes.ts under the
 * report's names, intervals that take the text as the unit where texts repeat, and the Newcombe
 * interval of the balanced accuracy.
 */
export function groupFigures(counts: OutcomeCounts, texts?: { attack?: TextRepeats | undefined; benign?: TextRepeats | undefined }): GroupFigures {
  const f = figures(counts);
  // Counted texts: a kind with none in the group has no repeats.
  const none = { rounds: 0, texts: 0, squares: 0 };
  const attack = texts ? (texts.attack ?? none) : undefined;
  const benign = texts ? (texts.benign ?? none) : undefined;
  const attackDeff = designEffectOf(attack);
  const benignDeff = designEffectOf(benign);
  const defence = byText(f.defence, attackDeff);
  const falsePositive = byText(f.falsePositive, benignDeff);
  return {
    counts,
    attackErrors: f.attackErrors,
    benignErrors: f.benignErrors,
    validAttacks: f.validAttacks,
    defenceRate: defence,
    swarmDefenceRate: byText(f.swarmDefence, attackDeff),
    breachRate: byText(f.breach, attackDeff),
    falsePositiveRate: falsePositive,
    balancedAccuracy: f.balancedAccuracy,
    balancedAccuracyCi: balancedAccuracyInterval(defence, falsePositive),
    distinctAttackTexts: attack?.texts ?? null,
    distinctBenignTexts: benign?.texts ?? null,
    attackDesignEffect: attackDeff,
    benignDesignEffect: benignDeff,
  };
}
