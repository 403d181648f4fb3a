/** 95% two-sided normal quantile. */
export const Z95 = 1.959963984540054;

export interface Interval {
  low: number;
  high: number;
}

/**
 * Wilson score interval for k successes in n trials; [0, 1] when n is 0 (nothing is known). At
 * k = 0 the lower bound is exactly 0 and at k = n the upper bound exactly 1 (the formula gives
 * them only up to rounding, e.g. 3.5e-18).
 */
export function wilson(k: number, n: number, z = Z95): Interval {
  if (n <= 0) return { low: 0, high: 1 };
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return { low: k <= 0 ? 0 : Math.max(0, centre - half), high: k >= n ? 1 : Math.min(1, centre + half) };
}

/**
 * Wilson interval with the text as the unit: the counts shrink by the design effect of the repeats
 * (Kish's effective sample size, n / deff; src/stats/text-unit.ts computes deff) before the
 * interval is taken. With distinct texts it is the plain Wilson interval.
 */
export function clusteredWilson(k: number, n: number, deff: number, z = Z95): Interval {
  if (deff <= 1) return wilson(k, n, z);
  return wilson(k / deff, n / deff, z);
}

/** A rate with its counts and interval; `rate` is null when the denominator is 0. */
export interface Rate {
  k: number;
  n: number;
  rate: number | null;
  ci: Interval;
}

export function rate(k: number, n: number): Rate {
  return { k, n, rate: n > 0 ? k / n : null, ci: wilson(k, n) };
}
