import { balancedAccuracyInterval } from '../stats/balanced.js';
import { figures, type OutcomeCounts } from '../stats/outcomes.js';
import type { GroupFigures } from './types.js';

/**
 * Every figure of docs/numbers.md for one group of rounds (a run, a batch, a category…), from its
 * outcome counts alone: the rates of src/stats/outcomes.ts under the report's names, and the
 * Newcombe interval of the balanced accuracy.
 */
export function groupFigures(counts: OutcomeCounts): GroupFigures {
  const f = figures(counts);
  return {
    counts,
    attackErrors: f.attackErrors,
    benignErrors: f.benignErrors,
    validAttacks: f.validAttacks,
    defenceRate: f.defence,
    swarmDefenceRate: f.swarmDefence,
    breachRate: f.breach,
    falsePositiveRate: f.falsePositive,
    balancedAccuracy: f.balancedAccuracy,
    balancedAccuracyCi: balancedAccuracyInterval(f.defence, f.falsePositive),
  };
}
