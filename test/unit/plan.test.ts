import { describe, expect, it } from 'vitest';
import { CATEGORY_IDS } from '../../src/categories.js';
import { drawPlan } from '../../src/engine/plan.js';

const base = {
  seed: 7,
  rounds: 500,
  batchSize: 50,
  categories: CATEGORY_IDS,
  attackers: [{ name: 'a', weight: 3 }, { name: 'b', weight: 1 }],
  benignRatio: 0.2,
  benignCount: () => 12,
};

describe('drawPlan', () => {
  it('is a function of the seed', () => {
    expect(drawPlan(base)).toEqual(drawPlan(base));
    expect(drawPlan({ ...base, seed: 8 })).not.toEqual(drawPlan(base));
  });

  it('covers every category in every cycle and has exactly the benign share asked for', () => {
    const plan = drawPlan(base);
    expect(plan).toHaveLength(500);
    expect(new Set(plan.slice(0, 13).map((p) => p.category)).size).toBe(13);
    expect(plan.filter((p) => p.kind === 'benign')).toHaveLength(100);
    expect(plan.filter((p) => p.kind === 'benign').every((p) => p.attacker === 'benign' && p.benignIndex! < 12)).toBe(true);
    expect(plan.at(-1)).toMatchObject({ round: 500, batch: 10 });
    const a = plan.filter((p) => p.attacker === 'a').length;
    const b = plan.filter((p) => p.attacker === 'b').length;
    expect(a).toBeGreaterThan(2 * b);
  });
});
