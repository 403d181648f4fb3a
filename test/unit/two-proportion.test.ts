import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareProportions, holm } from '../../src/stats/two-proportion.js';

describe('two independent proportions', () => {
  it('the verdict and the interval come from one method: p < 0.05 exactly when the 95% interval excludes 0', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 1, max: 400 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (n1, n2, a, b) => {
        const k1 = Math.round(a * n1);
        const k2 = Math.round(b * n2);
        const c = compareProportions(k1, n1, k2, n2);
        const excludes = (c.ci as { low: number; high: number }).low > 0 || (c.ci as { low: number; high: number }).high < 0;
        // Exactly at the boundary the bisection may land on either side: allow a hair's breadth.
        if (Math.abs((c.pValue as number) - 0.05) < 1e-6) return;
        expect((c.pValue as number) < 0.05, `${k1}/${n1} vs ${k2}/${n2}: p ${c.pValue}, ci ${JSON.stringify(c.ci)}`).toBe(excludes);
      }),
      { numRuns: 2000 },
    );
  });

  it('the case a reviewer found: +7.0 pts with an interval reaching below 0 is not significant', () => {
    // 78/100 vs 85/100: Newcombe's interval of +7.0 pts reaches below 0; the verdict must agree.
    const c = compareProportions(78, 100, 85, 100);
    expect(c.difference).toBeCloseTo(0.07, 12);
    expect(c.ci!.low).toBeLessThan(0);
    expect(c.pValue!).toBeGreaterThan(0.05);
  });

  it('is 1 for no difference and undefined without data', () => {
    expect(compareProportions(5, 10, 10, 20).pValue).toBe(1);
    expect(compareProportions(0, 0, 3, 4).pValue).toBeNull();
  });
});

describe('Holm', () => {
  it('adjusts step-down, keeps order and monotonicity, skips nulls', () => {
    expect(holm([0.01, 0.04, 0.03, null])).toEqual([0.03, 0.06, 0.06, null]);
    expect(holm([0.5, 0.001])).toEqual([0.5, 0.002]);
    expect(holm([0.9, 0.8, 0.7])).toEqual([1, 1, 1]);
    expect(holm([])).toEqual([]);
  });
});
