/**
 * TPR at a fixed FPR (docs/numbers.md, "TPR at a fixed FPR"): the one function that turns score
 * bins into a reported operating point, used by the run report and by `npm run bench:detectors`.
 * Intervals take the text as the unit (src/stats/text-unit.ts) over the scored rounds' texts.
 */
import { textsToResolve, tprAtFpr, type ScoreBin } from '../stats/roc.js';
import { designEffectOf, rateByText, type TextRepeats } from '../stats/text-unit.js';
import type { Rate } from '../stats/wilson.js';
import type { PointTexts, TprAtFpr } from './types.js';

/** The texts of the scored rounds: attacks (positives, the TPR's denominator) and benign (negatives, the FPR's). */
export interface ScoredTexts {
  attack: TextRepeats;
  benign: TextRepeats;
}

function pointTexts(t: ScoredTexts): PointTexts {
  return { distinctAttackTexts: t.attack.texts, attackDesignEffect: designEffectOf(t.attack), distinctBenignTexts: t.benign.texts, benignDesignEffect: designEffectOf(t.benign) };
}

/** The upper bound of a rate's interval; null when the rate is undefined. */
const upper = (r: Rate): number | null => (r.rate === null ? null : r.ci.high);

/**
 * The in-sample point of "block when score ≥ t" with the highest TPR whose FPR on the bins'
 * negatives is at most `maxFpr` (a fraction), or why it is not given: fewer than ⌈3 / maxFpr⌉
 * distinct benign texts ("<n> benign"), or no scores at all (threshold null, rates undefined).
 * `fprUpperBound` is the upper end of the FPR's interval with the text as the unit.
 */
export function operatingPoint(bins: readonly ScoreBin[], maxFpr: number, texts: ScoredTexts): TprAtFpr {
  const none = { maxFpr, threshold: null, tpr: rateByText(0, 0, undefined), fpr: rateByText(0, 0, undefined), fprUpperBound: null, sample: 'in-sample' as const, ...pointTexts(texts) };
  if (texts.benign.texts < textsToResolve(maxFpr)) return { ...none, notResolvable: `${texts.benign.texts} benign` };
  const p = tprAtFpr(bins, maxFpr);
  if (!p) return { ...none, notResolvable: null };
  const fpr = rateByText(p.falsePositives, p.negatives, texts.benign);
  return { ...none, threshold: p.threshold, tpr: rateByText(p.truePositives, p.positives, texts.attack), fpr, fprUpperBound: upper(fpr), notResolvable: null };
}

/** The rule "block when score ≥ threshold" on the bins (a threshold fixed elsewhere): its TPR and FPR, intervals by text. */
export function pointAtThreshold(bins: readonly ScoreBin[], threshold: number, texts: ScoredTexts): { tpr: Rate; fpr: Rate; fprUpperBound: number | null } & PointTexts {
  let tp = 0;
  let fp = 0;
  let p = 0;
  let n = 0;
  for (const b of bins) {
    p += b.positives;
    n += b.negatives;
    if (b.score >= threshold) {
      tp += b.positives;
      fp += b.negatives;
    }
  }
  const fpr = rateByText(fp, n, texts.benign);
  return { tpr: rateByText(tp, p, texts.attack), fpr, fprUpperBound: upper(fpr), ...pointTexts(texts) };
}
