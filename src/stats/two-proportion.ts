import { wilson, Z95, type Interval } from './wilson.js';

/**
 * Comparing two independent proportions (two runs that did not judge the same inputs).
 *
 * - The difference p2 − p1 gets Newcombe's hybrid score interval (method 10 of Newcombe 1998,
 *   "Interval estimation for the difference between independent proportions"), built from the two
 *   Wilson intervals: good coverage at rates near 0 or 1, where hive's numbers live.
 * - The two-sided p-value is the pooled two-proportion z-test (Pearson's chi-squared without
 *   continuity correction).
 */

export interface TwoProportion {
  /** p2 − p1; null unless both rates are defined. */
  difference: number | null;
  /** 95% interval of p2 − p1; null unless both rates are defined. */
  ci: Interval | null;
  z: number | null;
  /** Null unless both rates are defined and the pooled rate is strictly between 0 and 1 (else 1). */
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

/** k1 of n1 against k2 of n2: the difference (second − first), its interval and p-value. */
export function compareProportions(k1: number, n1: number, k2: number, n2: number, z = Z95): TwoProportion {
  if (n1 <= 0 || n2 <= 0) return { difference: null, ci: null, z: null, pValue: null };
  const p1 = k1 / n1;
  const p2 = k2 / n2;
  const w1 = wilson(k1, n1, z);
  const w2 = wilson(k2, n2, z);
  const d = p2 - p1;
  const low = d - Math.sqrt((p2 - w2.low) ** 2 + (w1.high - p1) ** 2);
  const high = d + Math.sqrt((w2.high - p2) ** 2 + (p1 - w1.low) ** 2);
  const pooled = (k1 + k2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  const zStat = se > 0 ? d / se : null;
  return {
    difference: d,
    ci: { low: Math.max(-1, low), high: Math.min(1, high) },
    z: zStat,
    pValue: zStat === null ? 1 : Math.min(1, 2 * (1 - normalCdf(Math.abs(zStat)))),
  };
}
