import { describe, expect, it } from 'vitest';
import { designEffectOf, repeatsOf } from '../../src/stats/text-unit.js';
import { clusteredWilson, rate, wilson } from '../../src/stats/wilson.js';
import { countOutcomes, figures } from '../../src/stats/outcomes.js';

describe('Wilson score interval', () => {
  it('matches known values', () => {
    // 8 of 10: the textbook example, [0.4902, 0.9433].
    const a = wilson(8, 10);
    expect(a.low).toBeCloseTo(0.4901625, 6);
    expect(a.high).toBeCloseTo(0.9433178, 6);
    // 495 of 500.
    const b = wilson(495, 500);
    expect(b.low).toBeCloseTo(0.9768069, 6);
    expect(b.high).toBeCloseTo(0.9957212, 6);
  });

  it('is exactly 0 at k = 0 and exactly 1 at k = n, for every n from 1 to 1000', () => {
    for (let n = 1; n <= 1000; n++) {
      expect(wilson(0, n).low).toBe(0);
      expect(wilson(n, n).high).toBe(1);
      expect(wilson(0, n).high).toBeGreaterThan(0);
      expect(wilson(n, n).low).toBeLessThan(1);
      if (n > 1) {
        expect(wilson(1, n).low).toBeGreaterThan(0);
        expect(wilson(n - 1, n).high).toBeLessThan(1);
      }
    }
  });

  it('takes the text as the unit when texts repeat: distinct texts give the plain interval, repeats a wider one', () => {
    const designEffect = (m: number[]) => designEffectOf(repeatsOf(m));
    expect(designEffect([1, 1, 1, 1])).toBe(1);
    expect(designEffect([3, 3, 3])).toBe(3);
    expect(designEffect([4, 1, 1, 1, 1])).toBeCloseTo(20 / 8, 12);
    expect(clusteredWilson(9, 400, 1)).toEqual(wilson(9, 400));
    // 9 false positives from 3 texts each dealt 3 times among 400 rounds of ~133 texts dealt 3 times:
    // the interval of 3 of 133.
    const c = clusteredWilson(9, 400, 3);
    const w = wilson(3, 400 / 3);
    expect(c.low).toBeCloseTo(w.low, 12);
    expect(c.high).toBeCloseTo(w.high, 12);
    expect(c.high - c.low).toBeGreaterThan(wilson(9, 400).high - wilson(9, 400).low);
    expect(clusteredWilson(0, 400, 3).low).toBe(0);
  });

  it('stays inside [0, 1] at the edges and is wide when nothing is known', () => {
    expect(wilson(0, 20).low).toBe(0);
    expect(wilson(20, 20).high).toBe(1);
    expect(wilson(0, 20).high).toBeGreaterThan(0.1);
    expect(wilson(0, 0)).toEqual({ low: 0, high: 1 });
    expect(rate(0, 0).rate).toBeNull();
  });
});

describe('figures', () => {
  it('leaves refusals and errors out of the defence rate', () => {
    const c = countOutcomes([
      ...Array(6).fill({ kind: 'attack', outcome: 'DEFENDED' }),
      ...Array(2).fill({ kind: 'attack', outcome: 'INSTANT_BLOCKED' }),
      ...Array(2).fill({ kind: 'attack', outcome: 'BREACHED' }),
      ...Array(5).fill({ kind: 'attack', outcome: 'ATTACKER_REFUSED' }),
      ...Array(3).fill({ kind: 'attack', outcome: 'ERROR' }),
      ...Array(9).fill({ kind: 'benign', outcome: 'TRUE_NEGATIVE' }),
      { kind: 'benign', outcome: 'FALSE_POSITIVE' },
      { kind: 'benign', outcome: 'ERROR' },
    ]);
    const f = figures(c);
    expect(f.validAttacks).toBe(10);
    expect(f.attackErrors).toBe(3);
    expect(f.benignErrors).toBe(1);
    expect(f.defence).toMatchObject({ k: 8, n: 10, rate: 0.8 });
    expect(f.swarmDefence).toMatchObject({ k: 6, n: 8, rate: 0.75 });
    expect(f.breach).toMatchObject({ k: 2, n: 10 });
    expect(f.falsePositive).toMatchObject({ k: 1, n: 10, rate: 0.1 });
    expect(f.balancedAccuracy).toBeCloseTo((0.8 + 0.9) / 2, 10);
  });
});
