/**
 * P(block) of the embedded detectors: the Platt fit, the stored calibration of the shipped
 * scenario folder (fresh, or this test fails until `npm run calibrate:detectors` is run), and the
 * contract that detectors learn and are calibrated on the training pools only: no text of the
 * development corpus (corpora/dev) or the held-out corpus (corpora/holdout-2), nor a
 * near-duplicate of one, is in what they train or are
 * calibrated on.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PATHS, PACKAGE_ROOT } from '../../src/config/paths.js';
import { loadScenarios, type ScenarioFolder } from '../../src/config/scenarios.js';
import { Analysis } from '../../src/defense/embedded/analysis.js';
import { blockAtPoolRate, calibrationSamples, calibrationSet, fitPlatt, pBlockOf, poolsDigest, POOL_FALSE_POSITIVE_RATE, type Sample } from '../../src/defense/embedded/calibration.js';
import { CALIBRATION } from '../../src/defense/embedded/calibration-table.js';
import { calibrationTable, createEmbeddedKnowledge, EMBEDDED_DETECTORS, embeddedDetectors, trainingPools } from '../../src/defense/embedded/index.js';
import { Lexicon } from '../../src/defense/embedded/tokens.js';
import { nearDuplicatesIn } from '../../src/util/shingles.js';

let folder: ScenarioFolder;
beforeAll(() => {
  folder = loadScenarios(DEFAULT_PATHS.scenarios);
});

describe('Platt scaling', () => {
  const samples = (pairs: Array<[number, boolean]>, document = false): Sample[] => pairs.map(([score, attack]) => ({ score, attack, document }));

  it('fits a curve that rises with the score, with 0.5 between the classes', () => {
    const s = samples([
      [0.1, false], [0.2, false], [0.3, false], [0.35, false], [0.6, false],
      [0.4, true], [0.7, true], [0.8, true], [0.9, true], [0.95, true],
    ]);
    const p = fitPlatt(s);
    expect(p.a).toBeGreaterThan(0);
    expect(pBlockOf(p, 0.1, false)).toBeLessThan(0.3);
    expect(pBlockOf(p, 0.95, false)).toBeGreaterThan(0.7);
    const mid = pBlockOf(p, 0.5, false);
    expect(mid).toBeGreaterThan(0.3);
    expect(mid).toBeLessThan(0.7);
    expect(fitPlatt(s)).toEqual(p);
  });

  it('weighs the classes the same, whatever their sizes', () => {
    // Overlapping classes; the benign ones ten times over: the curve stays about where it was (a
    // prior of ten to one would move P(block) at the midpoint from 0.5 to 0.09; what moves it a
    // little is Platt's targets, 1/(n+2), which sharpen with n).
    const attacks = Array.from({ length: 20 }, (_, i): [number, boolean] => [0.4 + i * 0.05, true]);
    const benign = Array.from({ length: 20 }, (_, i): [number, boolean] => [-0.4 + i * 0.05, false]);
    const once = fitPlatt(samples([...attacks, ...benign]));
    const tenTimes = fitPlatt(samples([...attacks, ...Array.from({ length: 10 }, () => benign).flat()]));
    for (const score of [0, 0.3, 0.6]) expect(Math.abs(pBlockOf(once, score, false) - pBlockOf(tenTimes, score, false))).toBeLessThan(0.1);
  });

  it('gives a flat curve when the score does not tell the classes apart, or one class is missing', () => {
    expect(fitPlatt(samples([[1, true], [1, false], [0, true], [0, false]])).a).toBe(0);
    expect(fitPlatt(samples([[1, true], [2, true]]))).toEqual({ a: 0, b: 0, c: 0 });
  });

  it('learns a term for documents', () => {
    // Benign documents score higher than benign messages: the same score means less in a document.
    const s = [
      ...samples([[0.1, false], [0.2, false], [0.8, true], [0.9, true]]),
      ...samples([[0.5, false], [0.6, false], [0.9, true], [0.95, true]], true),
    ];
    const p = fitPlatt(s);
    expect(p.c).toBeLessThan(0);
    expect(pBlockOf(p, 0.7, true)).toBeLessThan(pBlockOf(p, 0.7, false));
  });

  it('stays within [0, 1] at any score', () => {
    const p = { a: 40, b: -3, c: 0 };
    for (const score of [-1e9, -5, 0, 5, 1e9]) {
      const v = pBlockOf(p, score, false);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
  });
});

describe('thresholds from the training pools', () => {
  const identity = { a: 1, b: 0, c: 0 };
  // With a = 1, b = c = 0, P(block) is the logistic of the score: scores are chosen by their P(block).
  const logit = (p: number): number => Math.log(p / (1 - p));
  const benign = (ps: number[], document: boolean): Sample[] => ps.map((p) => ({ score: logit(p), attack: false, document }));

  it('blocks at most the given share of the benign samples of each layout, and no more than needed', () => {
    const messages = Array.from({ length: 100 }, (_, i) => 0.005 + i * 0.0099);
    const documents = Array.from({ length: 40 }, (_, i) => 0.2 + i * 0.015);
    const samples = [...benign(messages, false), ...benign(documents, true), { score: 50, attack: true, document: false }];
    const block = blockAtPoolRate(samples, identity, 0.05);
    const share = (ps: number[], t: number): number => ps.filter((p) => pBlockOf(identity, logit(p), false) >= t).length / ps.length;
    expect(share(messages, block.message)).toBeLessThanOrEqual(0.05);
    expect(share(documents, block.document)).toBeLessThanOrEqual(0.05);
    // The highest allowed benign message sits just below the threshold: 5 of 100 are blocked.
    expect(share(messages, block.message)).toBe(0.05);
    expect(block.document).not.toBe(block.message);
  });

  it('gives a layout with too few benign samples the threshold of all of them together', () => {
    const samples = [...benign(Array.from({ length: 60 }, (_, i) => i / 61), false), ...benign([0.99, 0.98], true)];
    const block = blockAtPoolRate(samples, identity, 0.05);
    expect(block.document).toBe(blockAtPoolRate([...samples.filter((s) => !s.document), ...benign([0.99, 0.98], false)], identity, 0.05).message);
    expect(blockAtPoolRate([{ score: 1, attack: true, document: false }], identity)).toEqual({ message: 1, document: 1 });
  });

  it.each(EMBEDDED_DETECTORS)('lets %s block the chosen share of its benign training texts, scored as it was calibrated', (id) => {
    const d = embeddedDetectors().find((x) => x.id === id)!;
    const knowledge = createEmbeddedKnowledge(folder);
    const c = knowledge.calibrationOf(d);
    const samples = calibrationSamples(d, knowledge.pools, knowledge.shared).filter((s) => !s.attack);
    for (const document of [false, true]) {
      const own = samples.filter((s) => s.document === document);
      const blocked = own.filter((s) => pBlockOf(c, s.score, document) >= (document ? c.block.document : c.block.message)).length;
      expect(blocked / own.length, `${id} ${document ? 'documents' : 'messages'}`).toBeLessThanOrEqual(POOL_FALSE_POSITIVE_RATE);
      expect(blocked / own.length, `${id} ${document ? 'documents' : 'messages'}`).toBeGreaterThan(POOL_FALSE_POSITIVE_RATE / 3);
    }
  }, 60_000);
});

describe('the stored calibration', () => {
  it('is the calibration of the shipped scenario folder as it is now (run `npm run calibrate:detectors` if not)', () => {
    const fresh = calibrationTable(folder);
    expect(CALIBRATION.pools, 'the training pools changed since calibration-table.ts was written').toBe(fresh.pools);
    for (const id of EMBEDDED_DETECTORS) {
      const stored = CALIBRATION.detectors[id];
      const now = fresh.detectors[id];
      expect(stored, `no stored curve for ${id}`).toBeDefined();
      for (const k of ['a', 'b', 'c'] as const) expect(Math.abs((stored?.[k] ?? NaN) - (now?.[k] ?? NaN)), `${id}.${k}`).toBeLessThan(1e-6);
      expect(stored?.block, `${id}.block`).toEqual(now?.block);
    }
  }, 120_000);

  it('is used for the shipped folder, and another folder is fitted afresh', () => {
    const shipped = createEmbeddedKnowledge(folder);
    for (const d of embeddedDetectors()) expect(shipped.calibrationOf(d)).toBe(CALIBRATION.detectors[d.id]);
    const other = createEmbeddedKnowledge({ categories: folder.categories, benignTraining: folder.benignTraining.slice(0, 200) });
    expect(poolsDigest(other.pools)).not.toBe(CALIBRATION.pools);
    const signatures = embeddedDetectors().find((d) => d.id === 'signatures');
    const refitted = other.calibrationOf(signatures as NonNullable<typeof signatures>);
    expect(refitted).not.toBe(CALIBRATION.detectors.signatures);
    expect(refitted.a).toBeGreaterThan(0);
  }, 60_000);
});

/** The development corpus's texts, with their ids. */
function devCorpus(): Array<{ id: string; text: string }> {
  return ['dev', 'holdout-2'].flatMap((folder) => {
    const dir = join(PACKAGE_ROOT, 'corpora', folder);
    return readdirSync(dir)
      .filter((f) => f.endsWith('.jsonl'))
      .flatMap((f) =>
        readFileSync(join(dir, f), 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as { id: string; text: string }),
      );
  });
}

/** Texts of `data` that equal a dev-corpus text after normalisation or are near-duplicates of one (word 3-shingle Jaccard >= 0.5). */
function leaks(data: readonly string[], dev: ReadonlyArray<{ id: string; text: string }>): string[] {
  return nearDuplicatesIn(
    data,
    dev.map((d) => d.text),
    0.5,
  ).map((f) => `${dev[f.other]?.id} (${f.similarity.toFixed(2)}): ${data[f.text]?.slice(0, 60)}`);
}

describe('what detectors learn and are calibrated on', () => {
  const lexicon = new Lexicon();
  lexicon.freeze();
  const isDocument = (t: string): boolean => new Analysis(t, lexicon).layout.document;

  it('holds no text of the development corpus, nor a near-duplicate of one', () => {
    const pools = trainingPools(folder);
    const data = [...calibrationSet(pools, isDocument).map((t) => t.text), ...pools.units.attacks.map((k) => k.text), ...pools.units.benign];
    expect(data.length).toBeGreaterThan(1500);
    expect(leaks(data, devCorpus())).toEqual([]);
  });

  it('would catch a development text planted in the pools, as it is or slightly changed', () => {
    const dev = devCorpus();
    const a = dev.find((d) => d.id.startsWith('at-')) as { id: string; text: string };
    const b = dev.find((d) => d.id.startsWith('rq-')) as { id: string; text: string };
    const changed = `${b.text.split(' ').slice(0, -1).join(' ')} indeed`;
    const planted = trainingPools({ categories: folder.categories, benignTraining: [...folder.benignTraining, a.text.toUpperCase(), changed] });
    const data = calibrationSet(planted, isDocument).map((t) => t.text);
    const found = leaks(data, dev);
    expect(found.some((f) => f.startsWith(a.id))).toBe(true);
    expect(found.some((f) => f.startsWith(b.id))).toBe(true);
  });
});
