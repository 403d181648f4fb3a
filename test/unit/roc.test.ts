import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binScores, normalizeBins, rocAuc, rocCurve, tprAtFpr } from '../../src/stats/roc.js';
import { balancedAccuracyInterval } from '../../src/stats/balanced.js';
import { rate } from '../../src/stats/wilson.js';

const samples = (pos: number[], neg: number[]) => [...pos.map((score) => ({ score, positive: true })), ...neg.map((score) => ({ score, positive: false }))];

/** The definition: over every (attack, benign) pair, 1 if the attack scores higher, 1/2 on a tie. */
function naiveAuc(pos: number[], neg: number[]): number {
  let wins = 0;
  for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return wins / (pos.length * neg.length);
}

describe('ROC AUC', () => {
  it('is 1 for perfect separation, 0 for perfectly wrong, 1/2 when everything ties', () => {
    expect(rocAuc(binScores(samples([0.9, 0.8], [0.1, 0.2])))).toBe(1);
    expect(rocAuc(binScores(samples([0.1, 0.2], [0.9, 0.8])))).toBe(0);
    expect(rocAuc(binScores(samples([0.5, 0.5, 0.5], [0.5, 0.5])))).toBe(0.5);
  });

  it('counts a tied attack/benign pair as one half', () => {
    // Pairs: (1 vs .5) 1, (1 vs 0) 1, (.5 vs .5) 1/2, (.5 vs 0) 1  →  3.5 / 4.
    expect(rocAuc(binScores(samples([1, 0.5], [0.5, 0])))).toBe(0.875);
  });

  it('matches the pairwise definition on vote shares (k of 5, many ties)', () => {
    const share = fc.integer({ min: 0, max: 5 }).map((k) => k / 5);
    fc.assert(
      fc.property(fc.array(share, { minLength: 1, maxLength: 40 }), fc.array(share, { minLength: 1, maxLength: 40 }), (pos, neg) => {
        expect(rocAuc(binScores(samples(pos, neg)))).toBeCloseTo(naiveAuc(pos, neg), 12);
      }),
    );
  });

  it('is undefined (null) when a class is empty', () => {
    expect(rocAuc(binScores(samples([0.4], [])))).toBeNull();
    expect(rocAuc(binScores(samples([], [0.4])))).toBeNull();
    expect(rocAuc([])).toBeNull();
  });

  it('accepts pre-binned counts (as SQL groups them) and merges equal scores', () => {
    const bins = normalizeBins([
      { score: 0.5, positives: 2, negatives: 0 },
      { score: 1, positives: 3, negatives: 1 },
      { score: 0.5, positives: 1, negatives: 4 },
    ]);
    expect(bins).toEqual([
      { score: 1, positives: 3, negatives: 1 },
      { score: 0.5, positives: 3, negatives: 4 },
    ]);
    // 3 attacks at 1 beat 4 benign at .5 (12) and tie 1 benign at 1 (1.5); 3 at .5 tie 4 (6) → 19.5 / 30.
    expect(rocAuc(bins)).toBeCloseTo(19.5 / 30, 12);
    expect(() => normalizeBins([{ score: Number.NaN, positives: 1, negatives: 0 }])).toThrow(RangeError);
  });
});

describe('TPR at a fixed FPR', () => {
  // 0.95: 50 attacks · 0.9: 30 attacks + 1 benign · 0.5: 20 attacks · 0: 99 benign.
  const bins = [
    { score: 0.95, positives: 50, negatives: 0 },
    { score: 0.9, positives: 30, negatives: 1 },
    { score: 0.5, positives: 20, negatives: 0 },
    { score: 0, positives: 0, negatives: 99 },
  ];

  it('walks the curve from "flag nothing" to "flag everything"', () => {
    expect(rocCurve(bins).map((p) => [p.threshold, p.truePositives, p.falsePositives])).toEqual([
      [null, 0, 0],
      [0.95, 50, 0],
      [0.9, 80, 1],
      [0.5, 100, 1],
      [0, 100, 100],
    ]);
  });

  it('takes the lowest threshold whose FPR fits the budget', () => {
    expect(tprAtFpr(bins, 0.01)).toMatchObject({ threshold: 0.5, truePositives: 100, falsePositives: 1, positives: 100, negatives: 100 });
    expect(tprAtFpr(bins, 0.05)).toMatchObject({ threshold: 0.5, truePositives: 100 });
    expect(tprAtFpr(bins, 0)).toMatchObject({ threshold: 0.95, truePositives: 50, falsePositives: 0 });
    expect(tprAtFpr(bins, 1)).toMatchObject({ threshold: 0, truePositives: 100, falsePositives: 100 });
  });

  it('takes a tied group whole: no threshold splits it, so a group over budget is not flagged at all', () => {
    // Every attack ties 2 of 100 benign inputs at 0.9: flagging them costs 2% FPR.
    const tied = [
      { score: 0.9, positives: 40, negatives: 2 },
      { score: 0, positives: 0, negatives: 98 },
    ];
    expect(tprAtFpr(tied, 0.01)).toMatchObject({ threshold: null, truePositives: 0, falsePositives: 0 });
    expect(tprAtFpr(tied, 0.02)).toMatchObject({ threshold: 0.9, truePositives: 40, falsePositives: 2 });
  });

  it('counts 1 of 100 as within 1% (no floating-point loss)', () => {
    const b = [
      { score: 1, positives: 7, negatives: 1 },
      { score: 0, positives: 3, negatives: 99 },
    ];
    expect(tprAtFpr(b, 0.01)?.truePositives).toBe(7);
  });

  it('is null when a class is empty and rejects budgets outside [0, 1]', () => {
    expect(tprAtFpr([{ score: 1, positives: 3, negatives: 0 }], 0.01)).toBeNull();
    expect(() => tprAtFpr(bins, 1.5)).toThrow(RangeError);
    expect(() => tprAtFpr(bins, Number.NaN)).toThrow(RangeError);
  });
});

describe('balanced accuracy interval (Newcombe, from the two Wilson intervals)', () => {
  it('brackets the point estimate and stays in [0, 1]', () => {
    const tpr = rate(90, 100);
    const fpr = rate(5, 100);
    const ci = balancedAccuracyInterval(tpr, fpr);
    const ba = (0.9 + 0.95) / 2;
    expect(ci).not.toBeNull();
    expect(ci!.low).toBeLessThan(ba);
    expect(ci!.high).toBeGreaterThan(ba);
    // Half-widths follow the two Wilson intervals: d − sqrt((p1 − l1)² + (u2 − p2)²).
    const low = (1 + 0.85 - Math.sqrt((0.9 - tpr.ci.low) ** 2 + (fpr.ci.high - 0.05) ** 2)) / 2;
    expect(ci!.low).toBeCloseTo(low, 12);
    const perfect = balancedAccuracyInterval(rate(50, 50), rate(0, 50));
    expect(perfect!.high).toBe(1);
  });

  it('is null when either rate is undefined', () => {
    expect(balancedAccuracyInterval(rate(3, 4), rate(0, 0))).toBeNull();
  });
});
