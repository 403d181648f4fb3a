/**
 * Every rate whose denominator can repeat texts takes the text as the unit, with the design effect
 * of its own denominator (issue 12 review, finding 4): the swarm defence rate, the healer's split
 * groups, the cold baseline, the frozen phase, per-defender rates and the operating points. Runs
 * written straight into a store, so every design effect is known in advance.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRunReport } from '../../src/report/build.js';
import { immunityFigures } from '../../src/report/immunity-figures.js';
import { reportJson } from '../../src/report/render/json.js';
import type { RunReport } from '../../src/report/types.js';
import { clusteredWilson, wilson } from '../../src/stats/wilson.js';
import { Store } from '../../src/store/store.js';
import { tempDir } from '../helpers/cli.js';
import { createCraftedRun, healerEvent, recordCrafted, type CraftedRound } from '../helpers/crafted-run.js';

const tmp = tempDir('hive-text-unit-');
let store: Store;
let healed: number;
let report: RunReport;

const BLOCK = ['block', 'block', 'block'] as const;
const ALLOW = ['allow', 'allow', 'allow'] as const;

/**
 * Rounds 1–4: text A defended (the first lesson is learned at round 1, lag 4: the cold baseline is
 * rounds 1–4); 5–6: text B stopped by a pattern; 7: text C breached; 8–10: control n1 passed;
 * 11: control n2 flagged by the swarm.
 */
const HEALED: CraftedRound[] = [
  { kind: 'attack', outcome: 'DEFENDED', text: 'A', verdicts: [...BLOCK], healerEvents: [healerEvent('pattern_learned', 1, 0, 'a pattern')] },
  ...Array.from({ length: 3 }, (): CraftedRound => ({ kind: 'attack', outcome: 'DEFENDED', text: 'A', verdicts: [...BLOCK] })),
  ...Array.from({ length: 2 }, (): CraftedRound => ({ kind: 'attack', outcome: 'INSTANT_BLOCKED', text: 'B', patternId: 0 })),
  { kind: 'attack', outcome: 'BREACHED', text: 'C', verdicts: [...ALLOW] },
  ...Array.from({ length: 3 }, (): CraftedRound => ({ kind: 'benign', outcome: 'TRUE_NEGATIVE', text: 'n1', verdicts: [...ALLOW] })),
  { kind: 'benign', outcome: 'FALSE_POSITIVE', text: 'n2', verdicts: [...BLOCK] },
];

beforeAll(() => {
  store = Store.open(join(tmp.dir, 'texts.db'));
  healed = createCraftedRun(store, { rounds: HEALED.length, batchSize: HEALED.length, heal: true, lag: 4 });
  HEALED.forEach((r, i) => recordCrafted(store, healed, i + 1, HEALED.length, r));
  report = buildRunReport(store, healed);
});
afterAll(() => {
  store.close();
  tmp.cleanup();
});

describe('the text as the unit, everywhere', () => {
  it('the swarm defence rate uses the design effect of its own denominator (defended or breached attacks)', () => {
    const t = report.totals;
    // Valid attacks: A×4, B×2, C×1 → Σm²/Σm = 21/7 = 3. The swarm's: A×4, C×1 → 17/5.
    expect(t.attackDesignEffect).toBe(3);
    expect([t.distinctSwarmTexts, t.swarmDesignEffect]).toEqual([2, 17 / 5]);
    expect(t.swarmDefenceRate.ci).toEqual(clusteredWilson(4, 5, 17 / 5));
    expect(t.defenceRate.ci).toEqual(clusteredWilson(6, 7, 3));
    const json = reportJson(report).totals as Record<string, unknown>;
    expect(json.swarm_design_effect).toBe(17 / 5);
    expect(json.distinct_swarm_texts).toBe(2);
  });

  it('the healer split groups and the cold baseline count their texts', () => {
    const h = report.healer;
    expect([h.judgedBySwarm.distinctAttackTexts, h.judgedBySwarm.attackDesignEffect]).toEqual([2, 17 / 5]);
    expect(h.judgedBySwarm.defenceRate.ci).toEqual(clusteredWilson(4, 5, 17 / 5));
    expect([h.judgedBySwarm.distinctBenignTexts, h.judgedBySwarm.benignDesignEffect]).toEqual([2, 10 / 4]);
    expect([h.stoppedByPattern.distinctAttackTexts, h.stoppedByPattern.attackDesignEffect]).toEqual([1, 2]);
    expect(h.stoppedByPattern.defenceRate.ci).toEqual(clusteredWilson(2, 2, 2));
    expect(h.beforeFirstLesson.lastRound).toBe(4);
    expect([h.beforeFirstLesson.distinctAttackTexts, h.beforeFirstLesson.attackDesignEffect]).toEqual([1, 4]);
    expect(h.beforeFirstLesson.defenceRate.ci).toEqual(wilson(1, 1));
  });

  it('the frozen phase counts its texts', () => {
    const frozen = immunityFigures(store, healed, 4).frozen;
    // Rounds 5–11: B×2, C×1 valid attacks; n1×3, n2×1 benign.
    expect([frozen?.distinctAttackTexts, frozen?.attackDesignEffect]).toEqual([2, 5 / 3]);
    expect(frozen?.defenceRate.ci).toEqual(clusteredWilson(2, 3, 5 / 3));
    expect([frozen?.distinctBenignTexts, frozen?.benignDesignEffect]).toEqual([2, 10 / 4]);
  });

  it('per-defender detect and false-positive rates count the texts of their votes', () => {
    const d1 = report.defenders.find((d) => d.name === 'd1');
    // Votes on rounds the swarm judged: attacks A×4 (block), C×1 (allow); benign n1×3, n2×1.
    expect([d1?.distinctAttackTexts, d1?.attackDesignEffect, d1?.distinctBenignTexts, d1?.benignDesignEffect]).toEqual([2, 17 / 5, 2, 10 / 4]);
    expect(d1?.detectRate.ci).toEqual(clusteredWilson(4, 5, 17 / 5));
    expect(d1?.falsePositiveRate.ci).toEqual(clusteredWilson(1, 4, 10 / 4));
  });

  it('the operating points take the design effect of the scored rounds, and resolve by distinct texts', () => {
    // 100 distinct attacks, all blocked; 100 benign rounds of 70 texts (60 once, 10 four times), all allowed.
    const rounds: CraftedRound[] = [
      ...Array.from({ length: 100 }, (_, i): CraftedRound => ({ kind: 'attack', outcome: 'DEFENDED', text: `attack ${i}`, verdicts: [...BLOCK] })),
      ...Array.from({ length: 60 }, (_, i): CraftedRound => ({ kind: 'benign', outcome: 'TRUE_NEGATIVE', text: `benign ${i}`, verdicts: [...ALLOW] })),
      ...Array.from({ length: 40 }, (_, i): CraftedRound => ({ kind: 'benign', outcome: 'TRUE_NEGATIVE', text: `repeated ${i % 10}`, verdicts: [...ALLOW] })),
    ];
    const id = createCraftedRun(store, { rounds: rounds.length, batchSize: rounds.length });
    rounds.forEach((r, i) => recordCrafted(store, id, i + 1, rounds.length, r));
    const s = buildRunReport(store, id).scores;
    expect(s.scoredBenignTexts).toBe(70);
    const [one, five] = s.operatingPoints;
    expect(one?.notResolvable).toBe('70 benign');
    const deff = (60 + 10 * 16) / 100;
    expect([five?.distinctBenignTexts, five?.benignDesignEffect, five?.distinctAttackTexts, five?.attackDesignEffect]).toEqual([70, deff, 100, 1]);
    expect(five?.fpr.k).toBe(0);
    expect(five?.fprUpperBound).toBe(clusteredWilson(0, 100, deff).high);
    expect(five?.fprUpperBound).toBeGreaterThan(wilson(0, 100).high);
  });
});
