import type { Interval, Rate } from './wilson.js';

/**
 * 95% interval for balanced accuracy = (TPR + (1 − FPR)) / 2 = (1 + (TPR − FPR)) / 2.
 * It is not a binomial proportion, so a plain Wilson interval does not apply; we take
 * Newcombe's hybrid score interval for the difference TPR − FPR (method 10 of Newcombe 1998),
 * which is built from the two Wilson intervals, and map it through (1 + d) / 2.
 * Null unless both rates are defined.
 */
export function balancedAccuracyInterval(tpr: Rate, fpr: Rate): Interval | null {
  if (tpr.rate === null || fpr.rate === null) return null;
  const p1 = tpr.rate;
  const p2 = fpr.rate;
  const d = p1 - p2;
  const lowD = d - Math.sqrt((p1 - tpr.ci.low) ** 2 + (fpr.ci.high - p2) ** 2);
  const highD = d + Math.sqrt((tpr.ci.high - p1) ** 2 + (p2 - fpr.ci.low) ** 2);
  return { low: Math.max(0, (1 + lowD) / 2), high: Math.min(1, (1 + highD) / 2) };
}
