import { describe, expect, it } from 'vitest';
import { binomialHalfLowerTail, mcnemarExact } from '../../src/stats/mcnemar.js';
import { compareProportions, erfc, normalCdf } from '../../src/stats/two-proportion.js';
import { Z95 } from '../../src/stats/wilson.js';

/** P(X <= k), X ~ Bin(n, 1/2), by exact rational arithmetic on BigInt (small n only). */
function exactTail(k: number, n: number): number {
  let c = 1n;
  let sum = 0n;
  for (let i = 0; i <= k; i++) {
    sum += c;
    c = (c * BigInt(n - i)) / BigInt(i + 1);
  }
  return Number(sum) / 2 ** n;
}

describe('McNemar exact test', () => {
  it('gives p = 1 with no discordant pair and when the pairs split evenly', () => {
    expect(mcnemarExact(0, 0)).toEqual({ b: 0, c: 0, discordant: 0, pValue: 1, midP: 1 });
    expect(mcnemarExact(7, 7).pValue).toBe(1);
    expect(mcnemarExact(1, 0).pValue).toBe(1);
  });

  it('matches known values (R: binom.test(min, b + c)$p.value)', () => {
    // 0 vs 5: 2 / 2^5
    expect(mcnemarExact(0, 5).pValue).toBeCloseTo(0.0625, 12);
    // 1 vs 9: 2 · 11 / 1024
    expect(mcnemarExact(1, 9).pValue).toBeCloseTo(0.021484375, 12);
    // 3 vs 12: 2 · 576 / 32768
    expect(mcnemarExact(12, 3).pValue).toBeCloseTo(0.03515625, 12);
    // 2 vs 8: binom.test(2, 10) = 0.109375
    expect(mcnemarExact(2, 8).pValue).toBeCloseTo(0.109375, 12);
    // 0 vs 10: 2 / 1024
    expect(mcnemarExact(10, 0).pValue).toBeCloseTo(0.001953125, 12);
  });

  it('is symmetric in b and c', () => {
    for (const [b, c] of [[0, 3], [4, 11], [25, 40]] as const) expect(mcnemarExact(b, c).pValue).toBe(mcnemarExact(c, b).pValue);
  });

  it('equals exact rational arithmetic for every split of small n', () => {
    for (let n = 1; n <= 40; n++) {
      for (let k = 0; 2 * k <= n; k++) {
        const expected = Math.min(1, 2 * exactTail(k, n));
        expect(mcnemarExact(k, n - k).pValue).toBeCloseTo(expected, 12);
      }
    }
  });

  it('stays finite and accurate for large counts (no underflow)', () => {
    // 100 vs 150: the continuity-corrected chi-squared gives ≈ 0.00194; the exact test is close.
    const p = mcnemarExact(100, 150).pValue;
    expect(p).toBeGreaterThan(0.0015);
    expect(p).toBeLessThan(0.0025);
    const big = mcnemarExact(500_000, 501_000);
    expect(big.pValue).toBeGreaterThan(0.3);
    expect(big.pValue).toBeLessThanOrEqual(1);
    expect(mcnemarExact(0, 2000).pValue).toBe(0); // 2^-1999 underflows to 0, honestly
  });

  it('mid-p is below the exact p and reported beside it', () => {
    const r = mcnemarExact(1, 9);
    // mid-p = 2 · (P(X <= 1) − P(X = 1) / 2) = 2 · (11 − 5) / 1024
    expect(r.midP).toBeCloseTo(12 / 1024, 12);
    expect(r.midP).toBeLessThan(r.pValue);
  });

  it('rejects counts that are not whole numbers', () => {
    expect(() => mcnemarExact(-1, 2)).toThrow(RangeError);
    expect(() => mcnemarExact(1.5, 2)).toThrow(RangeError);
  });

  it('binomial tail is total for k above n/2', () => {
    expect(binomialHalfLowerTail(10, 10).cdf).toBeCloseTo(1, 12);
    expect(binomialHalfLowerTail(7, 10).cdf).toBeCloseTo(exactTail(7, 10), 12);
  });
});

describe('two independent proportions', () => {
  it('normal CDF and erfc match reference values', () => {
    expect(erfc(0)).toBeCloseTo(1, 14);
    expect(erfc(1)).toBeCloseTo(0.15729920705028513, 14);
    expect(erfc(0.5)).toBeCloseTo(0.4795001221869535, 14);
    expect(erfc(3) / 2.2090496998585438e-5).toBeCloseTo(1, 10);
    expect(normalCdf(Z95)).toBeCloseTo(0.975, 12);
    expect(normalCdf(-Z95)).toBeCloseTo(0.025, 12);
    expect(normalCdf(0)).toBeCloseTo(0.5, 14);
  });

  it("reproduces Newcombe's (1998) worked example for method 10: 56/70 vs 48/80", () => {
    // Newcombe, Stat Med 17:873–890, table II: difference 0.2000, hybrid score CI 0.0524 to 0.3339.
    const r = compareProportions(48, 80, 56, 70);
    expect(r.difference).toBeCloseTo(0.2, 12);
    expect(r.ci?.low).toBeCloseTo(0.0524, 4);
    expect(r.ci?.high).toBeCloseTo(0.3339, 4);
  });

  it('p-value from the same interval: the quantile at which its lower bound reaches 0', () => {
    // 56/70 vs 48/80: the 95% interval excludes 0 (p < 0.05); at z* the lower bound is 0.
    const r = compareProportions(48, 80, 56, 70);
    expect(r.pValue!).toBeLessThan(0.05);
    expect(r.pValue!).toBeGreaterThan(0.001);
    expect(normalCdf(r.z!)).toBeCloseTo(1 - r.pValue! / 2, 12);
    // Identical rates: no evidence.
    expect(compareProportions(90, 100, 45, 50).pValue).toBe(1);
    expect(compareProportions(50, 50, 80, 80)).toMatchObject({ difference: 0, pValue: 1 });
  });

  it('is undefined when a side has no trials', () => {
    expect(compareProportions(0, 0, 3, 4)).toEqual({ difference: null, ci: null, z: null, pValue: null });
  });
});
