import type { Antibody } from '../../domain.js';
import type { AddressReader } from './address.js';
import type { EmbeddedDetector, KnownText, Reading } from './detector.js';
import { deepFold } from './fold.js';
import { lowerForm, maskLinks, sanitize, snippet } from './text.js';
import type { Lexicon } from './tokens.js';

/**
 * Similarity detector: character 4-gram shingles of the deobfuscated text (links masked), compared
 * by cosine with known attacks (the scenarios' exemplars and the healer's antibodies) and with
 * known benign texts (the benign training split and the generic corpus), through an inverted
 * index built once per run. It blocks when
 * - the input is a near-copy of a known attack or antibody (cosine ≥ NEAR_COPY), or
 * - its three nearest known attacks are, on average, nearer than its three nearest benign texts
 *   by at least MARGIN (a nearest-neighbour vote).
 * The reason names the nearest known attack.
 */

/** Cosine at which an input counts as a copy of a known attack or antibody. */
export const NEAR_COPY = 0.5;
/** Required lead of the mean top-3 attack similarity over the mean top-3 benign similarity. */
export const MARGIN = 0.0;
/**
 * Shingles found in more than this share of the indexed texts get no postings (see the
 * constructor): they weigh little (IDF) and would cost most of the lookup work.
 */
const MAX_DF = 0.05;
/** Characters of the folded text shingled at most. */
const MAX_CHARS = 8192;

/**
 * Distinct hashed character 4-grams of a space-joined token string (padded with spaces). With a
 * scratch set the values come out in text order and stay in the set (for antibody counts);
 * without one they come out sorted.
 */
export function shingles(folded: string, scratch?: ScratchSet): Int32Array {
  const n = Math.min(folded.length, MAX_CHARS);
  if (n === 0) return new Int32Array(0);
  // The text padded with a space on both sides.
  const codes = new Uint16Array(n + 2);
  codes[0] = 32;
  codes[n + 1] = 32;
  for (let i = 0; i < n; i++) codes[i + 1] = folded.charCodeAt(i);
  const out = new Int32Array(n - 1);
  scratch?.clear(n);
  let k = 0;
  for (let i = 0; i + 4 <= n + 2; i++) {
    let h = 0x811c9dc5;
    h = Math.imul(h ^ (codes[i] as number), 0x01000193);
    h = Math.imul(h ^ (codes[i + 1] as number), 0x01000193);
    h = Math.imul(h ^ (codes[i + 2] as number), 0x01000193);
    h = Math.imul(h ^ (codes[i + 3] as number), 0x01000193);
    // 30 bits keep the value a small integer.
    const v = h & 0x3fffffff;
    if (scratch === undefined || scratch.add(v)) out[k++] = v;
  }
  if (scratch !== undefined) return out.subarray(0, k);
  const kept = out.subarray(0, k);
  kept.sort();
  let m = 0;
  for (let i = 0; i < kept.length; i++) if (i === 0 || kept[i] !== kept[i - 1]) kept[m++] = kept[i] as number;
  return kept.subarray(0, m);
}

/**
 * A reusable set of 30-bit integers in typed arrays (open addressing, cleared by bumping a stamp),
 * for counting how many shingles of each antibody the input shares without a merge per antibody.
 */
export class ScratchSet {
  private keys = new Int32Array(1024);
  private stamps = new Int32Array(1024);
  private stamp = 0;

  /** Empties the set, making room for `n` values. */
  clear(n: number): void {
    let cap = this.keys.length;
    while (cap < n * 2) cap *= 2;
    if (cap !== this.keys.length) {
      this.keys = new Int32Array(cap);
      this.stamps = new Int32Array(cap);
      this.stamp = 0;
    }
    if (++this.stamp === 0x7fffffff) {
      this.stamps.fill(0);
      this.stamp = 1;
    }
  }

  /** Adds `v`; false when it was already there. */
  add(v: number): boolean {
    const mask = this.keys.length - 1;
    let slot = Math.imul(v, 0x9e3779b1) >>> 0 & mask;
    while (this.stamps[slot] === this.stamp) {
      if (this.keys[slot] === v) return false;
      slot = (slot + 1) & mask;
    }
    this.keys[slot] = v;
    this.stamps[slot] = this.stamp;
    return true;
  }

  /** How many of `values` are in the set. */
  countIn(values: Int32Array): number {
    const mask = this.keys.length - 1;
    let n = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      let slot = Math.imul(v, 0x9e3779b1) >>> 0 & mask;
      while (this.stamps[slot] === this.stamp) {
        if (this.keys[slot] === v) {
          n++;
          break;
        }
        slot = (slot + 1) & mask;
      }
    }
    return n;
  }
}

export interface Nearest {
  /** Mean cosine of the three nearest known attacks, minus that of the three nearest benign texts. */
  margin: number;
  /** The nearest known attack (exemplar or antibody) and its cosine. */
  nearest: KnownText | undefined;
  cosine: number;
  /** Whether the nearest known attack is an antibody. */
  antibody: boolean;
}

function cosine(inter: number, a: number, b: number): number {
  return inter === 0 ? 0 : inter / Math.sqrt(a * b);
}

/**
 * An inverted index over shingle hashes in flat typed arrays (open addressing), so a query costs
 * a few array reads per shingle and allocates almost nothing.
 */
export class SimilarityIndex {
  private readonly docs: KnownText[] = [];
  /** 1 / the IDF-weighted norm of each indexed text. */
  private readonly invNorm: Float64Array;
  /** Squared IDF weight of the shingle in each slot (every shingle of the indexed texts has a slot). */
  private readonly weight2: Float64Array;
  /** Squared IDF weight of a shingle no indexed text has. */
  private readonly unseen2: number;
  /** Scratch of nearest(): summed weights per indexed text, and the texts with a non-zero sum. */
  private readonly acc: Float64Array;
  private readonly touched: Int32Array;
  private readonly isAttack: Uint8Array;
  private readonly mask: number;
  private readonly keys: Int32Array;
  private readonly start: Int32Array;
  private readonly count: Int32Array;
  private readonly postings: Int32Array;
  private readonly antibodyCache = new Map<string, Int32Array>();
  private readonly scratch = new ScratchSet();
  /** Short quotes of known texts for reason lines, made once per text. */
  private readonly quotes = new Map<string, string>();

  constructor(
    /** Known attacks, their text in the masked lower-case form (Analysis.units). */
    attacks: readonly KnownText[],
    /** Benign texts in the same form. */
    benign: readonly string[],
    readonly lexicon: Lexicon,
  ) {
    const sets: Int32Array[] = [];
    const kinds: number[] = [];
    const add = (doc: KnownText, attack: boolean): void => {
      const set = shingles(this.fold(doc.text));
      if (set.length === 0) return;
      sets.push(set);
      this.docs.push(doc);
      kinds.push(attack ? 1 : 0);
    };
    for (const a of attacks) add(a, true);
    benign.forEach((text, i) => add({ category: null, text, source: `benign ${i}` }, false));
    this.isAttack = Uint8Array.from(kinds);

    // IDF weights: a shingle that few texts share says more than one most texts have.
    const df = new Map<number, number>();
    for (const set of sets) for (const h of set) df.set(h, (df.get(h) ?? 0) + 1);
    const idf2 = (n: number): number => (Math.log((sets.length + 1) / (n + 1)) + 1) ** 2;
    this.unseen2 = idf2(0);
    let cap = 1024;
    while (cap < df.size * 2) cap *= 2;
    this.mask = cap - 1;
    this.keys = new Int32Array(cap).fill(-1);
    this.start = new Int32Array(cap);
    this.count = new Int32Array(cap);
    this.weight2 = new Float64Array(cap);
    let offset = 0;
    const maxDf = Math.max(4, Math.floor(sets.length * MAX_DF));
    const indexed = new Set<number>();
    for (const [h, n] of df) {
      let slot = this.slotOf(h);
      while (this.keys[slot] !== -1) slot = (slot + 1) & this.mask;
      this.keys[slot] = h;
      this.weight2[slot] = idf2(n);
      this.start[slot] = offset;
      // Very common shingles (" the", "you ") keep their weight but get no postings: they would
      // add nearly the same to every text and cost most of the lookup work.
      if (n > maxDf) continue;
      indexed.add(h);
      offset += n;
    }
    this.invNorm = Float64Array.from(sets.map((set) => {
      let sum = 0;
      for (const h of set) sum += this.weight2[this.find(h)] as number;
      return 1 / Math.sqrt(sum);
    }));
    this.acc = new Float64Array(sets.length);
    this.touched = new Int32Array(sets.length);
    this.postings = new Int32Array(offset);
    sets.forEach((set, id) => {
      for (const h of set) {
        if (!indexed.has(h)) continue;
        const slot = this.find(h);
        this.postings[(this.start[slot] as number) + (this.count[slot] as number)] = id;
        this.count[slot] = (this.count[slot] as number) + 1;
      }
    });
  }

  private slotOf(h: number): number {
    return Math.imul(h, 0x9e3779b1) >>> 0 & this.mask;
  }

  /** Slot of hash `h`, or -1. */
  private find(h: number): number {
    let slot = this.slotOf(h);
    for (;;) {
      const k = this.keys[slot] as number;
      if (k === h) return slot;
      if (k === -1) return -1;
      slot = (slot + 1) & this.mask;
    }
  }

  /** A short, sanitised quote of a known text (cached: reasons are written on every vote). */
  quote(text: string): string {
    let q = this.quotes.get(text);
    if (q === undefined) {
      q = snippet(text, 48);
      if (this.quotes.size >= 4096) this.quotes.clear();
      this.quotes.set(text, q);
    }
    return q;
  }

  /** Known attacks indexed. */
  get attackCount(): number {
    let n = 0;
    for (const a of this.isAttack) n += a;
    return n;
  }

  /** The folded, space-joined form of a masked lower-case text, as it is shingled. */
  fold(unit: string): string {
    return deepFold(unit, this.lexicon).tokens.join(' ');
  }

  private antibodyShingles(text: string): Int32Array {
    let s = this.antibodyCache.get(text);
    if (!s) {
      s = shingles(this.fold(maskLinks(lowerForm(sanitize(text)))));
      if (this.antibodyCache.size >= 2048) this.antibodyCache.clear();
      this.antibodyCache.set(text, s);
    }
    return s;
  }

  nearest(folded: string, antibodies: readonly Antibody[]): Nearest {
    const input = shingles(folded, this.scratch);
    const none: Nearest = { margin: 0, nearest: undefined, cosine: 0, antibody: false };
    if (input.length === 0) return none;
    // One accumulator per index, cleared through the list of texts it touched.
    const acc = this.acc;
    const touched = this.touched;
    let nTouched = 0;
    let norm2 = 0;
    for (let i = 0; i < input.length; i++) {
      const slot = this.find(input[i] as number);
      if (slot < 0) {
        norm2 += this.unseen2;
        continue;
      }
      const w2 = this.weight2[slot] as number;
      norm2 += w2;
      const from = this.start[slot] as number;
      const to = from + (this.count[slot] as number);
      for (let p = from; p < to; p++) {
        const d = this.postings[p] as number;
        if (acc[d] === 0) touched[nTouched++] = d;
        acc[d] = (acc[d] as number) + w2;
      }
    }
    // One pass: IDF-weighted cosine, keeping the top three of each class.
    const inputScale = 1 / Math.sqrt(norm2);
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let b0 = 0;
    let b1 = 0;
    let b2 = 0;
    let best = -1;
    for (let t = 0; t < nTouched; t++) {
      const id = touched[t] as number;
      const dot = acc[id] as number;
      acc[id] = 0;
      const c = dot * inputScale * (this.invNorm[id] as number);
      if (this.isAttack[id] === 1) {
        if (c > a2) {
          if (c > a0) {
            a2 = a1;
            a1 = a0;
            a0 = c;
            best = id;
          } else if (c > a1) {
            a2 = a1;
            a1 = c;
          } else a2 = c;
        }
      } else if (c > b2) {
        if (c > b0) {
          b2 = b1;
          b1 = b0;
          b0 = c;
        } else if (c > b1) {
          b2 = b1;
          b1 = c;
        } else b2 = c;
      }
    }
    const result: Nearest = {
      margin: (a0 + a1 + a2) / 3 - (b0 + b1 + b2) / 3,
      nearest: best >= 0 ? this.docs[best] : undefined,
      cosine: a0,
      antibody: false,
    };
    for (const ab of antibodies) {
      const set = this.antibodyShingles(ab.text);
      if (set.length === 0) continue;
      const c = cosine(this.scratch.countIn(set), input.length, set.length);
      if (c > result.cosine) {
        result.cosine = c;
        result.nearest = { category: ab.category, text: ab.text, source: `antibody from round ${ab.sourceRound}` };
        result.antibody = true;
      }
    }
    return result;
  }
}

/** How far `near` is past the old block line: positive when a near-copy, or nearer to attacks than to benign texts. */
function lead(near: Nearest): number {
  return Math.max(near.margin - MARGIN, near.cosine - NEAR_COPY);
}

/** In a document, windows that do not speak to an AI lose this much lead (see classifier.ts PEOPLE_WINDOW_PENALTY). */
export const PEOPLE_WINDOW_PENALTY = 0.05;

export interface SimilarityState {
  index: SimilarityIndex;
  address: AddressReader;
}

/** Indexes what it will read: messages whole, documents window by window (Analysis.units). */
export const similarityDetector: EmbeddedDetector<SimilarityState, 'similarity'> = {
  id: 'similarity',
  learns: true,
  block: 0.8,
  train: (pools, shared) => ({ index: new SimilarityIndex(pools.units.attacks, pools.units.benign, shared.lexicon), address: shared.address }),
  read: (a, { index, address }, ctx) => {
    // A message is compared whole; a document window by window, its nearest window speaking for it.
    if (!a.layout.document) return reading(index, index.nearest(a.foldText, ctx.antibodies), 0);
    const level = address.read(a).level;
    let best: { near: Nearest; penalty: number } | undefined;
    a.units.forEach((u, i) => {
      const near = index.nearest(index.fold(u), ctx.antibodies);
      const penalty = level[i] === 0 ? PEOPLE_WINDOW_PENALTY : 0;
      if (best === undefined || lead(near) - penalty > lead(best.near) - best.penalty) best = { near, penalty };
    });
    return best ? reading(index, best.near, best.penalty) : { score: -1, why: 'nothing to compare' };
  },
};

function reading(index: SimilarityIndex, near: Nearest, penalty: number): Reading {
  const k = near.nearest;
  const what = k ? `${k.source}${k.category ? ` (${k.category})` : ''} "${index.quote(k.text)}" at ${near.cosine.toFixed(2)}` : 'none';
  const why = near.cosine >= NEAR_COPY ? `near-copy of a known attack: ${what}` : `lead over benign texts ${near.margin.toFixed(3)}; nearest known attack: ${what}`;
  return { score: lead(near) - penalty, why };
}
