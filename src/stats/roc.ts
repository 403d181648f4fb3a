/**
 * ROC analysis of a score (for hive: the swarm's block-vote share) against known labels
 * (attack = positive, benign = negative). Works on score bins (score → positives, negatives)
 * so 100,000 rounds never need to be held as objects: the store groups them by score in SQL.
 *
 * Scores are discrete (k of n votes), so ties are the rule, not the exception. Ties are handled
 * the standard way: AUC counts a tied attack/benign pair as half a win (Mann–Whitney U), and an
 * operating point flags everything with score >= threshold, so a tied group is always taken whole
 * (no randomised tie-breaking, no interpolation between points: every point is a rule one could
 * actually deploy).
 */

export interface ScoreBin {
  score: number;
  positives: number;
  negatives: number;
}

/** "Flag when score >= threshold"; threshold null means "flag nothing". */
export interface OperatingPoint {
  threshold: number | null;
  truePositives: number;
  falsePositives: number;
  positives: number;
  negatives: number;
}

/** Merges bins with equal scores and sorts them from the highest score down. */
export function normalizeBins(bins: Iterable<ScoreBin>): ScoreBin[] {
  const merged = new Map<number, ScoreBin>();
  for (const b of bins) {
    if (!Number.isFinite(b.score)) throw new RangeError(`score must be a finite number (got ${b.score})`);
    const m = merged.get(b.score);
    if (m) {
      m.positives += b.positives;
      m.negatives += b.negatives;
    } else merged.set(b.score, { score: b.score, positives: b.positives, negatives: b.negatives });
  }
  return [...merged.values()].sort((a, b) => b.score - a.score);
}

/** Bins labelled scores one by one (tests and small inputs; large runs bin in SQL). */
export function binScores(samples: Iterable<{ score: number; positive: boolean }>): ScoreBin[] {
  return normalizeBins(
    (function* () {
      for (const s of samples) yield { score: s.score, positives: s.positive ? 1 : 0, negatives: s.positive ? 0 : 1 };
    })(),
  );
}

function totals(bins: readonly ScoreBin[]): { positives: number; negatives: number } {
  let positives = 0;
  let negatives = 0;
  for (const b of bins) {
    positives += b.positives;
    negatives += b.negatives;
  }
  return { positives, negatives };
}

/**
 * Area under the ROC curve: the probability that a random attack scores above a random benign
 * input, ties counting one half. Null when either class is empty (the area is undefined).
 */
export function rocAuc(input: Iterable<ScoreBin>): number | null {
  const bins = normalizeBins(input);
  const { positives, negatives } = totals(bins);
  if (positives === 0 || negatives === 0) return null;
  let wins = 0;
  let positivesAbove = 0;
  for (const b of bins) {
    wins += b.negatives * (positivesAbove + b.positives / 2);
    positivesAbove += b.positives;
  }
  return wins / (positives * negatives);
}

/** Every deployable operating point, from "flag nothing" down to "flag everything". */
export function rocCurve(input: Iterable<ScoreBin>): OperatingPoint[] {
  const bins = normalizeBins(input);
  const { positives, negatives } = totals(bins);
  const points: OperatingPoint[] = [{ threshold: null, truePositives: 0, falsePositives: 0, positives, negatives }];
  let tp = 0;
  let fp = 0;
  for (const b of bins) {
    tp += b.positives;
    fp += b.negatives;
    points.push({ threshold: b.score, truePositives: tp, falsePositives: fp, positives, negatives });
  }
  return points;
}

/**
 * The operating point with the highest true-positive rate whose false-positive rate does not
 * exceed `maxFpr`. Null when either class is empty. Because tied scores are taken whole, the
 * point's actual FPR is often below `maxFpr`; it is returned so reports can show it.
 */
export function tprAtFpr(input: Iterable<ScoreBin>, maxFpr: number): OperatingPoint | null {
  if (!(maxFpr >= 0 && maxFpr <= 1)) throw new RangeError(`maxFpr must be in [0, 1] (got ${maxFpr})`);
  const curve = rocCurve(input);
  const first = curve[0] as OperatingPoint;
  if (first.positives === 0 || first.negatives === 0) return null;
  // Compare counts, not divided rates, so 1 of 100 at 1% is not lost to rounding.
  const allowed = maxFpr * first.negatives + 1e-9;
  let best = first;
  for (const p of curve) {
    if (p.falsePositives > allowed) break; // FP only grows down the curve
    best = p;
  }
  return best;
}

/** Distinct benign texts a false-positive budget needs: 3 / maxFpr (300 at 1%), so that one false positive is not the whole budget. */
export function textsToResolve(maxFpr: number): number {
  return Math.ceil(3 / maxFpr - 1e-9);
}
