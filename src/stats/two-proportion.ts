import { wilson, Z95, type Interval } from './wilson.js';

/**
 * Comparing two independent proportions (two runs that did not judge the same inputs).
 *
 * - The difference p2 − p1 gets Newcombe's hybrid score interval (method 10 of Newcombe 1998,
 *   "Interval estimation for the difference between independent proportions"), built from the two
 *   Wilson intervals: good coverage at rates near 0 or 1, where hive's numbers live.
 * - The two-sided p-value inverts that same interval: it is the α at which the (1 − α) Newcombe
 *   interval just reaches 0. So the verdict "significant at 0.05" and "the 95% interval excludes
 *   0" are one statement and can never disagree (a z-test beside a Newcombe interval could).
 */

export interface TwoProportion {
  /** p2 − p1; null unless both rates are defined. */
  difference: number | null;
  /** 95% interval of p2 − p1; null unless both rates are defined. */
  ci: Interval | null;
  /** The normal quantile at which the Newcombe interval reaches 0 (the test statistic); null when undefined. */
  z: number | null;
  /** Two-sided, from the same interval (see above); 1 when the difference is 0; null unless both rates are defined. */
  pValue: number | null;
}

/** Standard normal CDF. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/**
 * Complementary error function: the Chebyshev fit of Numerical Recipes (3rd ed., §6.2.2,
 * `erfccheb`), about 1e-15 relative for x >= 0, reflected for x < 0. Ample for p-values.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 2 / (2 + z);
  const ty = 4 * t - 2;
  let d = 0;
  let dd = 0;
  for (let j = ERFC_COF.length - 1; j > 0; j--) {
    const tmp = d;
    d = ty * d - dd + (ERFC_COF[j] as number);
    dd = tmp;
  }
  const r = t * Math.exp(-z * z + 0.5 * ((ERFC_COF[0] as number) + ty * d) - dd);
  return x >= 0 ? r : 2 - r;
}

const ERFC_COF = [
  -1.3026537197817094, 6.4196979235649026e-1, 1.9476473204185836e-2, -9.561514786808631e-3, -9.46595344482036e-4, 3.66839497852761e-4,
  4.2523324806907e-5, -2.0278578112534e-5, -1.624290004647e-6, 1.30365583558e-6, 1.5626441722e-8, -8.5238095915e-8, 6.529054439e-9,
  5.059343495e-9, -9.91364156e-10, -2.27365122e-10, 9.6467911e-11, 2.394038e-12, -6.886027e-12, 8.94487e-13, 3.13092e-13, -1.12708e-13,
  3.81e-16, 7.106e-15, -1.523e-15, -9.4e-17, 1.21e-16, -2.8e-17,
];

/** Newcombe's hybrid score interval of p2 − p1 at normal quantile z (both n > 0). */
export function newcombe(k1: number, n1: number, k2: number, n2: number, z = Z95): Interval {
  const p1 = k1 / n1;
  const p2 = k2 / n2;
  const w1 = wilson(k1, n1, z);
  const w2 = wilson(k2, n2, z);
  const d = p2 - p1;
  const low = d - Math.sqrt((p2 - w2.low) ** 2 + (w1.high - p1) ** 2);
  const high = d + Math.sqrt((w2.high - p2) ** 2 + (p1 - w1.low) ** 2);
  return { low: Math.max(-1, low), high: Math.min(1, high) };
}

/**
 * The quantile z* at which the Newcombe interval's bound nearest 0 reaches it: the interval grows
 * with z, so bisection finds it. Beyond 38 (p below 1e-300) it is taken as 38.
 */
function zAtZero(k1: number, n1: number, k2: number, n2: number, positive: boolean): number {
  const excludes = (z: number): boolean => {
    const i = newcombe(k1, n1, k2, n2, z);
    return positive ? i.low > 0 : i.high < 0;
  };
  let lo = 0;
  let hi = 38;
  if (excludes(hi)) return hi;
  for (let i = 0; i < 100 && hi - lo > 1e-10; i++) {
    const mid = (lo + hi) / 2;
    if (excludes(mid)) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** k1 of n1 against k2 of n2: the difference (second − first), its 95% interval and the p-value of the same interval. */
export function compareProportions(k1: number, n1: number, k2: number, n2: number, z = Z95): TwoProportion {
  if (n1 <= 0 || n2 <= 0) return { difference: null, ci: null, z: null, pValue: null };
  const d = k2 / n2 - k1 / n1;
  const ci = newcombe(k1, n1, k2, n2, z);
  if (d === 0) return { difference: 0, ci, z: 0, pValue: 1 };
  const zStar = zAtZero(k1, n1, k2, n2, d > 0);
  return { difference: d, ci, z: zStar, pValue: Math.min(1, 2 * (1 - normalCdf(zStar))) };
}

/**
 * Holm's step-down adjustment of p-values (family-wise error over the family given): sorted
 * ascending, the i-th (0-based) of m is multiplied by m − i, made monotone, capped at 1. Null
 * p-values stay null and do not count in m.
 */
export function holm(pValues: ReadonlyArray<number | null>): Array<number | null> {
  const present = pValues.map((p, i) => ({ p, i })).filter((x): x is { p: number; i: number } => x.p !== null).sort((a, b) => a.p - b.p);
  const m = present.length;
  const out: Array<number | null> = pValues.map(() => null);
  let running = 0;
  present.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, p * (m - rank)));
    out[i] = running;
  });
  return out;
}
