import { Rng } from '../../util/random.js';
import type { AddressReader } from './address.js';
import type { EmbeddedDetector, TrainingPools } from './detector.js';
import type { StateCodec } from './training-cache.js';

/**
 * N-gram classifier: logistic regression over hashed character 3–5-grams of the lower-case text
 * (links masked), trained deterministically at start-up on the training pools: every scenario's
 * `exemplars` (attack) against the benign training texts. It never sees the attacker's templates
 * nor the run's benign controls.
 */

const BITS = 16;
const SIZE = 1 << BITS;
const SHIFT = 32 - BITS;
/** Characters of an input the classifier reads. */
const MAX_CHARS = 16 * 1024;
const EPOCHS = 12;
const LEARNING_RATE = 0.4;
const L2 = 2e-4;
/** The text with whitespace runs collapsed to one space, padded with a space at each end, as codes. */
function collapsed(text: string): { codes: Uint16Array; length: number } {
  const n = Math.min(text.length, MAX_CHARS);
  const codes = new Uint16Array(n + 2);
  let m = 0;
  let prevSpace = true;
  codes[m++] = 32;
  for (let i = 0; i < n; i++) {
    let c = text.charCodeAt(i);
    if (c === 9 || c === 10 || c === 13) c = 32;
    if (c === 32) {
      if (prevSpace) continue;
      prevSpace = true;
    } else prevSpace = false;
    codes[m++] = c;
  }
  if (!prevSpace) codes[m++] = 32;
  return { codes, length: m };
}

/**
 * Calls `visit` with the hashed index (the same hashing as probabilityOfText, kept in step) of every character 3-, 4- and 5-gram of the collapsed text,
 * one call per occurrence.
 */
function forEachNgram(text: string, visit: (index: number) => void): void {
  const { codes, length: m } = collapsed(text);
  for (let i = 0; i + 3 <= m; i++) {
    let h = 0x811c9dc5;
    h = Math.imul(h ^ (codes[i] as number), 0x01000193);
    h = Math.imul(h ^ (codes[i + 1] as number), 0x01000193);
    h = Math.imul(h ^ (codes[i + 2] as number), 0x01000193);
    visit(Math.imul(h, 0x9e3779b1) >>> SHIFT);
    if (i + 4 > m) continue;
    h = Math.imul(h ^ (codes[i + 3] as number), 0x01000193);
    visit(Math.imul(h ^ 4, 0x85ebca6b) >>> SHIFT);
    if (i + 5 > m) continue;
    h = Math.imul(h ^ (codes[i + 4] as number), 0x01000193);
    visit(Math.imul(h ^ 5, 0xc2b2ae35) >>> SHIFT);
  }
}

/** Hashed n-gram indices of a (lower-case, masked) text, one entry per occurrence. */
export function ngramFeatures(text: string): Int32Array {
  const out = new Int32Array(Math.min(text.length, MAX_CHARS) * 3 + 6);
  let k = 0;
  forEachNgram(text, (j) => {
    out[k++] = j;
  });
  return out.subarray(0, k);
}

export class NgramClassifier {
  private readonly w = new Float32Array(SIZE);
  private bias = 0;

  constructor(
    training: { attack: readonly string[]; benign: readonly string[] },
    features: (text: string) => Int32Array,
    opts: { epochs?: number; learningRate?: number; l2?: number } = {},
  ) {
    const epochs = opts.epochs ?? EPOCHS;
    const rate = opts.learningRate ?? LEARNING_RATE;
    const l2 = opts.l2 ?? L2;
    const docs: { x: Int32Array; y: number; weight: number }[] = [];
    const nA = training.attack.length;
    const nB = training.benign.length;
    // Balanced classes: each class carries half of the total weight.
    const wA = nA > 0 ? (nA + nB) / (2 * nA) : 1;
    const wB = nB > 0 ? (nA + nB) / (2 * nB) : 1;
    for (const t of training.attack) docs.push({ x: features(t), y: 1, weight: wA });
    for (const t of training.benign) docs.push({ x: features(t), y: 0, weight: wB });
    if (docs.length === 0) return;
    const rng = new Rng(0x5eed);
    for (let epoch = 0; epoch < epochs; epoch++) {
      const lr = rate / (1 + 0.15 * epoch);
      for (const d of rng.shuffle(docs)) {
        const scale = 1 / Math.sqrt(Math.max(1, d.x.length));
        const p = this.probabilityOf(d.x);
        const g = (d.y - p) * d.weight * lr;
        for (let i = 0; i < d.x.length; i++) {
          const j = d.x[i] as number;
          this.w[j] = (this.w[j] as number) + g * scale;
        }
        this.bias += g * 0.1;
      }
      const decay = 1 - lr * l2;
      for (let j = 0; j < SIZE; j++) this.w[j] = (this.w[j] as number) * decay;
    }
  }

  /** What training produced (the weights are the classifier's own array, not a copy): for the training cache. */
  get parameters(): { weights: Float32Array; bias: number } {
    return { weights: this.w, bias: this.bias };
  }

  /** A classifier with `parameters` a trained one gave; throws when they are not of this classifier's shape. */
  static restore(weights: Float32Array, bias: number): NgramClassifier {
    if (weights.length !== SIZE || !Number.isFinite(bias)) throw new RangeError('not an n-gram classifier of this size');
    const c = new NgramClassifier({ attack: [], benign: [] }, ngramFeatures);
    c.w.set(weights);
    c.bias = bias;
    return c;
  }

  /** P(attack) of a (lower-case, masked) text. */
  probabilityOfText(text: string): number {
    return 1 / (1 + Math.exp(-this.logitOfText(text)));
  }

  /** The log-odds of attack of a (lower-case, masked) text, computed in one pass without a feature array. */
  logitOfText(text: string): number {
    const w = this.w;
    const { codes, length: m } = collapsed(text);
    let s = 0;
    let n = 0;
    for (let i = 0; i + 3 <= m; i++) {
      let h = 0x811c9dc5;
      h = Math.imul(h ^ (codes[i] as number), 0x01000193);
      h = Math.imul(h ^ (codes[i + 1] as number), 0x01000193);
      h = Math.imul(h ^ (codes[i + 2] as number), 0x01000193);
      s += w[Math.imul(h, 0x9e3779b1) >>> SHIFT] as number;
      n++;
      if (i + 4 > m) continue;
      h = Math.imul(h ^ (codes[i + 3] as number), 0x01000193);
      s += w[Math.imul(h ^ 4, 0x85ebca6b) >>> SHIFT] as number;
      n++;
      if (i + 5 > m) continue;
      h = Math.imul(h ^ (codes[i + 4] as number), 0x01000193);
      s += w[Math.imul(h ^ 5, 0xc2b2ae35) >>> SHIFT] as number;
      n++;
    }
    return this.bias + s / Math.sqrt(Math.max(1, n));
  }

  /** P(attack) for hashed features. */
  probabilityOf(x: Int32Array): number {
    let s = 0;
    for (let i = 0; i < x.length; i++) s += this.w[x[i] as number] as number;
    const z = this.bias + s / Math.sqrt(Math.max(1, x.length));
    return 1 / (1 + Math.exp(-z));
  }
}

/**
 * In a document, windows that do not speak to an AI (address.ts) lose this much log-odds: they
 * were written for people, and their vocabulary ("confidential", "admin", "override") says less.
 * Chosen on the tuning half of corpora/dev.
 */
export const PEOPLE_WINDOW_PENALTY = 2.0;

export interface ClassifierState {
  model: NgramClassifier;
  address: AddressReader;
}

/** The classifier's weights and bias, bit for bit, in the training cache. */
const stored: StateCodec<ClassifierState, { address: AddressReader }> = {
  pack: ({ model }) => ({ meta: { bias: model.parameters.bias }, arrays: [model.parameters.weights] }),
  unpack: ({ meta, arrays }, shared) => {
    const [weights] = arrays;
    if (arrays.length !== 1 || !(weights instanceof Float32Array)) throw new RangeError('not a classifier entry');
    return { model: NgramClassifier.restore(weights, (meta as { bias: number }).bias), address: shared.address };
  },
};

/** Trains on what it will read: messages whole, documents window by window (Analysis.units). */
export const classifierDetector: EmbeddedDetector<ClassifierState, 'classifier'> = {
  id: 'classifier',
  learns: true,
  readsAntibodies: false,
  stored,
  train: (pools: TrainingPools, shared) => ({
    model: new NgramClassifier({ attack: pools.units.attacks.map((k) => k.text), benign: pools.units.benign }, ngramFeatures),
    address: shared.address,
  }),
  read: (a, { model, address }) => {
    // A document is as suspicious as its most suspicious window.
    const units = a.units;
    const level = a.layout.document ? address.read(a).level : undefined;
    let z = -Infinity;
    let at = 0;
    units.forEach((u, i) => {
      const zi = model.logitOfText(u) - (level !== undefined && level[i] === 0 ? PEOPLE_WINDOW_PENALTY : 0);
      if (zi > z) [z, at] = [zi, i];
    });
    return { score: z, why: `n-gram classifier: log-odds ${z.toFixed(2)}${units.length > 1 ? ` (window ${at + 1} of ${units.length})` : ''}` };
  },
};
