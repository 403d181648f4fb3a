/**
 * McNemar's exact test for paired binary outcomes (the same rounds judged by two casts).
 *
 * Only the discordant pairs carry information: b rounds where the first side succeeded and the
 * second failed, c rounds the other way round. Under the null hypothesis (both sides are equally
 * good) each discordant pair goes either way with probability 1/2, so min(b, c) is
 * Binomial(b + c, 1/2) and the two-sided exact p-value is
 *
 *     p = min(1, 2 · P(X ≤ min(b, c))),   X ~ Binomial(b + c, 1/2)
 *
 * (the conditional exact test, as R's `binom.test(b, b + c)` and statsmodels' `mcnemar(exact=True)`).
 * With no discordant pair there is no evidence of a difference: p = 1.
 */

export interface McNemarResult {
  /** First side succeeded, second failed. */
  b: number;
  /** First side failed, second succeeded. */
  c: number;
  /** b + c */
  discordant: number;
  /** Two-sided exact p-value. */
  pValue: number;
  /** Two-sided mid-p (less conservative; reported beside, never used for gates). */
  midP: number;
}

function checkCount(name: string, x: number): void {
  if (!Number.isSafeInteger(x) || x < 0) throw new RangeError(`${name} must be a whole number >= 0 (got ${x})`);
}

/**
 * P(X ≤ k) and P(X = k) for X ~ Binomial(n, 1/2), k ≤ n / 2, in log space so n in the millions
 * neither underflows nor loses precision. For k ≤ n/2 the probability mass grows with i up to k,
 * so every term is summed relative to the largest one (the last).
 */
export function binomialHalfLowerTail(k: number, n: number): { cdf: number; pmf: number } {
  checkCount('k', k);
  checkCount('n', n);
  if (k > n) return { cdf: 1, pmf: 0 };
  if (2 * k > n) {
    // Not needed by the test itself, but keep the function total: P(X ≤ k) = 1 − P(X ≤ n − k − 1).
    const upper = n - k - 1 >= 0 ? binomialHalfLowerTail(n - k - 1, n).cdf : 0;
    return { cdf: 1 - upper, pmf: binomialHalfLowerTail(n - k, n).pmf };
  }
  const logs: number[] = new Array<number>(k + 1);
  let lp = -n * Math.LN2; // log P(X = 0)
  logs[0] = lp;
  for (let i = 0; i < k; i++) {
    lp += Math.log(n - i) - Math.log(i + 1);
    logs[i + 1] = lp;
  }
  const top = logs[k] as number;
  let sum = 0;
  for (let i = 0; i <= k; i++) sum += Math.exp((logs[i] as number) - top);
  const pmf = Math.exp(top);
  return { cdf: Math.min(1, pmf * sum), pmf };
}

export function mcnemarExact(b: number, c: number): McNemarResult {
  checkCount('b', b);
  checkCount('c', c);
  const n = b + c;
  if (n === 0) return { b, c, discordant: 0, pValue: 1, midP: 1 };
  const { cdf, pmf } = binomialHalfLowerTail(Math.min(b, c), n);
  return {
    b,
    c,
    discordant: n,
    pValue: Math.min(1, 2 * cdf),
    midP: Math.min(1, 2 * (cdf - pmf / 2)),
  };
}
