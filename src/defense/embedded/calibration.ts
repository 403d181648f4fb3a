import { createHash } from 'node:crypto';
import { Analysis } from './analysis.js';
import type { EmbeddedDetector, KnownText, SharedScanners, TrainingPools } from './detector.js';
import { Lexicon } from './tokens.js';

/**
 * P(block) for a detector's raw score: Platt scaling, a logistic curve fitted to the detector's
 * scores on the training pools (exemplars are attacks, benign training texts are not), with a
 * term for documents, since a long document scored by its most suspicious window sits higher
 * on most scales than a short message; and the P(block) at which the detector votes block, the
 * same rule for every detector (POOL_FALSE_POSITIVE_RATE of the benign training texts). Classes weigh the same, so 0.5 means "as likely an attack
 * as not" whatever the pools' balance. A detector that learns from the pools is scored on each
 * text by a copy trained without it (five folds), so its probabilities are those of unseen text.
 * Nothing else is ever calibrated on: not controls, not the healer's guard, not corpora/dev.
 */

/** P(block) = 1 / (1 + exp(-(a·score + b + c·document))). */
export interface Platt {
  a: number;
  b: number;
  c: number;
}

export interface Sample {
  score: number;
  document: boolean;
  attack: boolean;
}

export function pBlockOf(p: Platt, score: number, document: boolean): number {
  const z = p.a * score + p.b + (document ? p.c : 0);
  // Four decimals: enough for any threshold, and the same on every platform.
  return Math.round(10_000 / (1 + Math.exp(-z))) / 10_000;
}

/**
 * The Platt curve of `samples`: class-balanced logistic regression on (score, document) by
 * Newton's method, with a little L2 on the weights (so a detector that separates the pools
 * perfectly still gets a finite curve), and the prior-corrected targets of Platt (1999).
 * Deterministic; a curve that does not rise with the score is replaced by a flat one.
 */
export function fitPlatt(samples: readonly Sample[]): Platt {
  const nPos = samples.filter((s) => s.attack).length;
  const nNeg = samples.length - nPos;
  if (nPos === 0 || nNeg === 0) return { a: 0, b: 0, c: 0 };
  const tPos = (nPos + 1) / (nPos + 2);
  const tNeg = 1 / (nNeg + 2);
  const wPos = samples.length / (2 * nPos);
  const wNeg = samples.length / (2 * nNeg);
  // Scores are standardised for the fit, then the curve is mapped back.
  const mean = samples.reduce((s, x) => s + x.score, 0) / samples.length;
  const sd = Math.sqrt(samples.reduce((s, x) => s + (x.score - mean) ** 2, 0) / samples.length) || 1;
  const theta = [0, 0, 0];
  const L2 = 1e-3 * samples.length;
  for (let iter = 0; iter < 50; iter++) {
    const g = [0, 0, 0];
    const h = [
      [L2, 0, 0],
      [0, 0, 0],
      [0, 0, L2],
    ];
    g[0] = L2 * (theta[0] as number);
    g[2] = L2 * (theta[2] as number);
    for (const s of samples) {
      const x = [(s.score - mean) / sd, 1, s.document ? 1 : 0];
      const z = (theta[0] as number) * (x[0] as number) + (theta[1] as number) + (theta[2] as number) * (x[2] as number);
      const p = 1 / (1 + Math.exp(-z));
      const t = s.attack ? tPos : tNeg;
      const w = s.attack ? wPos : wNeg;
      for (let i = 0; i < 3; i++) {
        g[i] = (g[i] as number) + w * (p - t) * (x[i] as number);
        for (let j = 0; j < 3; j++) (h[i] as number[])[j] = ((h[i] as number[])[j] as number) + w * p * (1 - p) * (x[i] as number) * (x[j] as number);
      }
    }
    const step = solve3(h, g);
    let moved = 0;
    for (let i = 0; i < 3; i++) {
      theta[i] = (theta[i] as number) - (step[i] as number);
      moved = Math.max(moved, Math.abs(step[i] as number));
    }
    if (moved < 1e-9) break;
  }
  const a = (theta[0] as number) / sd;
  if (!(a > 0)) return { a: 0, b: 0, c: 0 };
  return { a, b: (theta[1] as number) - a * mean, c: theta[2] as number };
}

/** A detector's calibration: its P(block) curve and the P(block) at which it votes block. */
export interface Calibration extends Platt {
  /** Block when P(block) reaches this: blockAtPoolRate() of the same samples, for messages and for documents. */
  block: { message: number; document: number };
}

/**
 * The share of the benign training texts (scored out of fold, as the curve is fitted) that every
 * detector may block, messages and documents each: one rule for all five in place of thresholds
 * chosen by hand on corpora/dev, so a detector's vote means the same thing whichever detector
 * gives it. Documents get their own threshold because the pools hold ten times fewer of them than
 * messages: one threshold over both would be set by the messages and let documents, scored by
 * their most suspicious window, through at several times the rate. The consensus rule in
 * defenders/embedded.yaml (2 of 5) was chosen with it on fold B of the tuning half (docs/detectors.md).
 */
export const POOL_FALSE_POSITIVE_RATE = 0.035;

/**
 * The lowest P(block) (four decimals, like pBlockOf) that at most `rate` of `benign` reach;
 * 1 when there are none. Deterministic.
 */
function thresholdAtRate(benign: number[], rate: number): number {
  if (benign.length === 0) return 1;
  benign.sort((x, y) => y - x);
  // Just above the benign P(block) that would make the blocked share exceed `rate`.
  const bar = benign[Math.floor(rate * benign.length)] as number;
  return Math.min(1, Math.round(bar * 10_000 + 1) / 10_000);
}

/**
 * The thresholds that at most `rate` of the benign samples of each layout reach under `curve`;
 * a layout with too few benign samples to have a `rate` quantile (fewer than 1/rate) takes the
 * threshold of all benign samples together.
 */
export function blockAtPoolRate(samples: readonly Sample[], curve: Platt, rate = POOL_FALSE_POSITIVE_RATE): Calibration['block'] {
  const benign = samples.filter((s) => !s.attack);
  const of = (list: readonly Sample[]): number[] => list.map((s) => pBlockOf(curve, s.score, s.document));
  const all = thresholdAtRate(of(benign), rate);
  const layout = (document: boolean): number => {
    const own = benign.filter((s) => s.document === document);
    return own.length * rate < 1 ? all : thresholdAtRate(of(own), rate);
  };
  return { message: layout(false), document: layout(true) };
}

/** The curve fitted to `samples` and the thresholds the same samples give it. */
export function calibrate(samples: readonly Sample[]): Calibration {
  const curve = fitPlatt(samples);
  return { ...curve, block: blockAtPoolRate(samples, curve) };
}

/** Solves h · x = g for a 3×3 system (Gaussian elimination with partial pivoting); zeros when singular. */
function solve3(h: number[][], g: number[]): number[] {
  const m = h.map((row, i) => [...row, g[i] as number]);
  for (let col = 0; col < 3; col++) {
    let pivot = col;
    for (let r = col + 1; r < 3; r++) if (Math.abs((m[r] as number[])[col] as number) > Math.abs((m[pivot] as number[])[col] as number)) pivot = r;
    if (Math.abs((m[pivot] as number[])[col] as number) < 1e-12) return [0, 0, 0];
    [m[col], m[pivot]] = [m[pivot] as number[], m[col] as number[]];
    for (let r = 0; r < 3; r++) {
      if (r === col) continue;
      const f = ((m[r] as number[])[col] as number) / ((m[col] as number[])[col] as number);
      for (let c = col; c < 4; c++) (m[r] as number[])[c] = ((m[r] as number[])[c] as number) - f * ((m[col] as number[])[c] as number);
    }
  }
  return [0, 1, 2].map((i) => ((m[i] as number[])[3] as number) / ((m[i] as number[])[i] as number));
}

/** Folds a detector that learns is calibrated with. */
export const FOLDS = 5;

/** The pools without fold `k` (every FOLDS-th text from the k-th), in the same order. */
function withoutFold(pools: TrainingPools, k: number): TrainingPools {
  const keep = (_: unknown, i: number): boolean => i % FOLDS !== k;
  return trainingPoolsOf(pools.attacks.filter(keep), pools.benign.filter(keep));
}

/** Training pools from texts, with their units computed on first use (as index.ts builds them). */
export function trainingPoolsOf(attacks: readonly KnownText[], benign: readonly string[]): TrainingPools {
  const lexicon = new Lexicon();
  lexicon.freeze();
  let units: TrainingPools['units'] | undefined;
  const unitsOf = (t: string): string[] => new Analysis(t, lexicon).units;
  return {
    attacks,
    benign,
    get units() {
      return (units ??= { attacks: attacks.flatMap((k) => unitsOf(k.text).map((text) => ({ ...k, text }))), benign: benign.flatMap(unitsOf) });
    },
  };
}

/**
 * Injected documents made of the pools: each indirect-injection exemplar placed as a paragraph in
 * the middle of two benign training documents. The pools hold many benign documents and few
 * attacks that long, so without these the curve would learn "a document is benign", which says
 * more about the pools than about documents. Returned with the index of the exemplar used.
 */
export function injectedDocuments(pools: Pick<TrainingPools, 'attacks' | 'benign'>, isDocument: (text: string) => boolean): { text: string; exemplar: number }[] {
  const carriers = pools.benign.filter(isDocument);
  if (carriers.length === 0) return [];
  const out: { text: string; exemplar: number }[] = [];
  let k = 0;
  pools.attacks.forEach((a, i) => {
    if (a.category !== 'indirect_injection') return;
    for (const j of [2 * k, 2 * k + 1]) {
      const paragraphs = (carriers[j % carriers.length] as string).split(/\n\s*\n/);
      const at = Math.ceil(paragraphs.length / 2);
      out.push({ text: [...paragraphs.slice(0, at), a.text, ...paragraphs.slice(at)].join('\n\n'), exemplar: i });
    }
    k++;
  });
  return out;
}

/** One labelled text of the calibration set, with the fold that must not have trained its scorer. */
export interface CalibrationText {
  text: string;
  attack: boolean;
  fold: number;
}

/**
 * Everything a detector is calibrated on: the pools' texts and the injected documents made of
 * them. Nothing else (test/unit/calibration.test.ts checks that no text of corpora/dev is here).
 */
export function calibrationSet(pools: Pick<TrainingPools, 'attacks' | 'benign'>, isDocument: (text: string) => boolean): CalibrationText[] {
  return [
    ...pools.attacks.map((k, i) => ({ text: k.text, attack: true, fold: i % FOLDS })),
    ...pools.benign.map((text, i) => ({ text, attack: false, fold: i % FOLDS })),
    ...injectedDocuments(pools, isDocument).map((d) => ({ text: d.text, attack: true, fold: d.exemplar % FOLDS })),
  ];
}

/**
 * The detector's score on every text of the calibration set, labelled: out of fold when the
 * detector learns from the pools (an injected document is scored by the copy trained without
 * its exemplar), else with one state trained on all of them.
 */
export function calibrationSamples<S>(detector: EmbeddedDetector<S>, pools: TrainingPools, shared: SharedScanners): Sample[] {
  const texts = calibrationSet(pools, (t) => new Analysis(t, shared.lexicon).layout.document);
  const states = detector.learns ? Array.from({ length: FOLDS }, (_, k) => detector.train(withoutFold(pools, k), shared)) : [detector.train(pools, shared)];
  return texts.map((t) => {
    const a = new Analysis(t.text, shared.lexicon);
    const state = states[detector.learns ? t.fold : 0] as S;
    return { score: detector.read(a, state, { antibodies: [] }).score, document: a.layout.document, attack: t.attack };
  });
}

/** A digest of the pools' texts, in order: a stored calibration is used only for the pools it was fitted on. */
export function poolsDigest(pools: Pick<TrainingPools, 'attacks' | 'benign'>): string {
  const attacks = pools.attacks.map((k) => k.text).join('\u0000');
  return createHash('sha256').update(`${attacks}\u0001${pools.benign.join('\u0000')}`).digest('hex');
}

/** Fitted curves of every detector, and the digest of the pools they were fitted on. */
export interface CalibrationTable {
  pools: string;
  detectors: Readonly<Record<string, Calibration>>;
}

/** Where the stored table lives, from the package root. */
export const CALIBRATION_TABLE_FILE = 'src/defense/embedded/calibration-table.ts';

/** The source of calibration-table.ts for `table`. */
export function renderCalibrationTable(table: CalibrationTable): string {
  const rows = Object.entries(table.detectors).map(([id, p]) => `    ${id}: { a: ${p.a}, b: ${p.b}, c: ${p.c}, block: { message: ${p.block.message}, document: ${p.block.document} } },`);
  return [
    '/**',
    " * The detectors' calibration on the shipped scenario folder's training pools, so that a run",
    ' * does not refit it at start-up (calibration.ts). Generated by `npm run calibrate:detectors`',
    ' * (bench/calibrate.ts): do not edit; test/unit/calibration.test.ts fails when it is stale.',
    ' */',
    "import type { CalibrationTable } from './calibration.js';",
    '',
    'export const CALIBRATION: CalibrationTable = {',
    `  pools: '${table.pools}',`,
    '  detectors: {',
    ...rows,
    '  },',
    '};',
    '',
  ].join('\n');
}
