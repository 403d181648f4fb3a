import { describe, expect, it } from 'vitest';
import { CATEGORY_IDS } from '../../src/categories.js';
import { DEFAULT_PATHS } from '../../src/config/paths.js';
import { loadScenarios } from '../../src/config/scenarios.js';
import { createHash } from 'node:crypto';
import { drawPlan, planDigest, samePlan, storedPlan } from '../../src/engine/plan.js';

const base = {
  seed: 7,
  rounds: 500,
  batchSize: 50,
  categories: CATEGORY_IDS,
  attackers: [{ name: 'a', weight: 3 }, { name: 'b', weight: 1 }],
  benignRatio: 0.2,
  benignCount: () => 12,
};

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');
/** A second plan that exercises conversations and uneven pools. */
const wide = {
  seed: 9,
  rounds: 3000,
  batchSize: 40,
  categories: CATEGORY_IDS,
  attackers: [{ name: 'a', weight: 1 }, { name: 'b', weight: 2 }, { name: 'c', weight: 1 }],
  benignRatio: 0.3,
  benignCount: (c: string) => c.length,
  multiTurn: 0.25,
  benignConversations: (c: string) => 1 + (c.length % 5),
};

describe('drawPlan', () => {
  it('is a function of the seed', () => {
    expect([...drawPlan(base)]).toEqual([...drawPlan(base)]);
    expect([...drawPlan({ ...base, seed: 8 })]).not.toEqual([...drawPlan(base)]);
  });

  it('draws exactly the rounds the plan of objects drew before it was compact (hashes taken from that code)', () => {
    expect(sha(JSON.stringify([...drawPlan(base)]))).toBe('08641c857d10deb2cc442fd19b42214ddec56b2fcfcfb1a981c7fd564b314875');
    expect(sha(JSON.stringify([...drawPlan(wide)]))).toBe('df3fddb892070031a8e712d58cd76a767ce1110e725ffa4bccf0fab0acf505a5');
    // The digest is the hash of the encoding runs.plan_json held whole before.
    expect(planDigest(drawPlan(base))).toBe('e35d1eeb08b25edcc1736821ca1c2c826d5d682f87cc3bab640a1404be638298');
    expect(planDigest(drawPlan(wide))).toBe('8492fb0ab5db7ab458c1eb1569827a14b3e3526752246badd469e3653252a094');
  });

  it('a stored plan, as a digest or as the whole encoding older runs hold, matches only the same plan', () => {
    const plan = drawPlan(wide);
    const other = drawPlan({ ...wide, seed: 10 });
    const stored = JSON.stringify(storedPlan(plan));
    expect(samePlan(stored, plan)).toBe(true);
    expect(samePlan(stored, other)).toBe(false);
    expect(samePlan(JSON.stringify(storedPlan(drawPlan({ ...wide, rounds: 2999 }))), plan)).toBe(false);
    const encoding = JSON.stringify([...plan].map((p) => (p.conversation ? [p.kind === 'attack' ? 'A' : 'B', p.category, p.attacker, 'C'] : [p.kind === 'attack' ? 'A' : 'B', p.category, p.attacker])));
    expect(samePlan(encoding, plan)).toBe(true);
    expect(samePlan(encoding, other)).toBe(false);
    expect(samePlan('[]', plan)).toBe(false);
    expect(samePlan('not json', plan)).toBe(false);
  });

  it('covers every category in every cycle and has exactly the benign share asked for', () => {
    const plan = [...drawPlan(base)];
    expect(plan).toHaveLength(500);
    expect(new Set(plan.slice(0, 13).map((p) => p.category)).size).toBe(13);
    expect(plan.filter((p) => p.kind === 'benign')).toHaveLength(100);
    expect(plan.filter((p) => p.kind === 'benign').every((p) => p.attacker === 'benign' && p.benignIndex! < 12)).toBe(true);
    expect(plan.at(-1)).toMatchObject({ round: 500, batch: 10 });
    const a = plan.filter((p) => p.attacker === 'a').length;
    const b = plan.filter((p) => p.attacker === 'b').length;
    expect(a).toBeGreaterThan(2 * b);
  });

  it('a default 2,000-round run repeats no control in a category whose benign rounds fit its pool, and one that does not fit plays every control before any repeats', () => {
    const { categories } = loadScenarios(DEFAULT_PATHS.scenarios);
    const controls = (c: (typeof CATEGORY_IDS)[number]) => categories.get(c)?.controls.length ?? 0;
    const plan = [...drawPlan({ ...base, seed: 42, rounds: 2000, attackers: [{ name: 'embedded', weight: 1 }], benignCount: controls })];
    let checked = 0;
    for (const c of CATEGORY_IDS) {
      const dealt = plan.filter((p) => p.kind === 'benign' && p.category === c).map((p) => p.benignIndex);
      expect(dealt.length).toBeGreaterThan(0);
      if (dealt.length > controls(c)) continue;
      checked++;
      expect(new Set(dealt).size).toBe(dealt.length);
    }
    // 400 benign rounds over 13 categories of at least 40 controls: every category fits.
    expect(checked).toBe(13);
    // Three controls per category: 30 benign rounds deal each control 10 times, in decks of three.
    const small = [...drawPlan({ ...base, rounds: 1950, benignRatio: 0.2, benignCount: () => 3 })].filter((p) => p.kind === 'benign' && p.category === 'jailbreak_roleplay');
    for (let i = 0; i + 3 <= small.length; i += 3) expect(new Set(small.slice(i, i + 3).map((p) => p.benignIndex)).size).toBe(3);
  });
});
