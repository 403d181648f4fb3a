import type { Antibody } from '../../domain.js';
import type { KnownText } from './detector.js';
import { deepFold } from './fold.js';
import { Recent } from './recent.js';
import { ScratchSet } from './scratch-set.js';
import { lowerForm, maskLinks, sanitize, snippet } from './text.js';
import type { Lexicon } from './tokens.js';

/**
 * The similarity detector's index (similarity.ts): hashed character 4-gram shingles of known
 * attacks and benign texts, IDF-weighted, in an inverted index over flat typed arrays, and the
 * cosine of an input with its nearest indexed texts and with the healer's antibodies.
 */

/**
 * Shingles found in more than this share of the indexed texts get no postings (see the
 * constructor): they weigh little (IDF) and would cost most of the lookup work.
 */
const MAX_DF = 0.05;
/** Characters of the folded text shingled at most. */
const MAX_CHARS = 8192;
/** Numbers per slot of SimilarityIndex's table, and their places after the hash. */
const SLOT = 4;
const [START, COUNT, DF] = [1, 2, 3] as const;

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

/** An input's distinct shingles (in text order) and its nearest indexed texts. */
export interface InIndex {
  input: Int32Array;
  near: Nearest;
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

/** What building an index produces (see SimilarityIndex's fields): kept by the training cache. */
export interface IndexTables {
  docs: KnownText[];
  invNorm: Float64Array;
  weight2ByDf: Float64Array;
  isAttack: Uint8Array;
  mask: number;
  table: Int32Array;
  postings: Uint16Array | Int32Array;
}

/**
 * An inverted index over shingle hashes in flat typed arrays (open addressing), so a query costs
 * a few array reads per shingle and allocates almost nothing.
 */
export class SimilarityIndex {
  private readonly docs: KnownText[] = [];
  /** 1 / the IDF-weighted norm of each indexed text. */
  private readonly invNorm: Float64Array;
  /** Squared IDF weight of a shingle by how many indexed texts have it (0: none). */
  private readonly weight2ByDf: Float64Array;
  /** Scratch of nearest(): summed weights per indexed text. */
  private readonly acc: Float64Array;
  private readonly isAttack: Uint8Array;
  private mask: number;
  /**
   * The hash table, one slot per shingle of the indexed texts, four numbers a slot side by side
   * (one cache line per lookup): the hash (-1: empty), where its postings start, how many there
   * are, and how many indexed texts have it.
   */
  private readonly table: Int32Array;
  /** The indexed texts (ids) that have each shingle, slot by slot (two bytes an id while ids fit: half the memory to read). */
  private readonly postings: Uint16Array | Int32Array;
  private readonly antibodyShingleSets = new Recent<Int32Array>(2048);
  private readonly scratch = new ScratchSet();
  /** Short quotes of known texts for reason lines, made once per text. */
  private readonly quotes = new Recent<string>(4096);

  constructor(
    /** Known attacks, their text in the masked lower-case form (Analysis.units). */
    attacks: readonly KnownText[],
    /** Benign texts in the same form. */
    benign: readonly string[],
    readonly lexicon: Lexicon,
    /** Tables an index built before gave (`tables`): used as they are, `attacks` and `benign` unread. */
    built?: IndexTables,
  ) {
    if (built !== undefined) {
      checkTables(built);
      this.docs = built.docs;
      this.invNorm = built.invNorm;
      this.weight2ByDf = built.weight2ByDf;
      this.isAttack = built.isAttack;
      this.mask = built.mask;
      this.table = built.table;
      this.postings = built.postings;
      this.acc = new Float64Array(built.docs.length);
      return;
    }
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
    const idf2 = (n: number): number => (Math.log((sets.length + 1) / (n + 1)) + 1) ** 2;
    this.weight2ByDf = Float64Array.from({ length: sets.length + 1 }, (_, n) => idf2(n));
    // The table, grown as shingles come (kept at most half full): how many texts have each.
    let table: Int32Array = new Int32Array(4096 * SLOT).fill(-1);
    this.mask = 4095;
    let distinct = 0;
    for (const set of sets) {
      for (const h of set) {
        let slot = this.slotOf(h);
        while (table[slot * SLOT] !== -1 && table[slot * SLOT] !== h) slot = (slot + 1) & this.mask;
        const at = slot * SLOT;
        if (table[at] === h) {
          table[at + DF] = (table[at + DF] as number) + 1;
          continue;
        }
        table[at] = h;
        table[at + DF] = 1;
        if (++distinct * 2 > this.mask + 1) table = this.grown(table);
      }
    }
    this.table = table;
    // Very common shingles (" the", "you ") keep their weight but get no postings: they would
    // add nearly the same to every text and cost most of the lookup work.
    const maxDf = Math.max(4, Math.floor(sets.length * MAX_DF));
    let offset = 0;
    for (let at = 0; at < table.length; at += SLOT) {
      if (table[at] === -1) continue;
      table[at + START] = offset;
      table[at + COUNT] = 0;
      if ((table[at + DF] as number) <= maxDf) offset += table[at + DF] as number;
    }
    this.invNorm = Float64Array.from(sets.map((set) => {
      let sum = 0;
      for (const h of set) sum += this.weight2ByDf[table[this.find(h) + DF] as number] as number;
      return 1 / Math.sqrt(sum);
    }));
    this.acc = new Float64Array(sets.length);
    this.postings = sets.length <= 0xffff ? new Uint16Array(offset) : new Int32Array(offset);
    sets.forEach((set, id) => {
      for (const h of set) {
        const at = this.find(h);
        if ((table[at + DF] as number) > maxDf) continue;
        this.postings[(table[at + START] as number) + (table[at + COUNT] as number)] = id;
        table[at + COUNT] = (table[at + COUNT] as number) + 1;
      }
    });
  }

  /** What building produced (the index's own arrays, not copies): for the training cache. */
  get tables(): IndexTables {
    const { docs, invNorm, weight2ByDf, isAttack, mask, table, postings } = this;
    return { docs, invNorm, weight2ByDf, isAttack, mask, table, postings };
  }

  /** The table rehashed into twice as many slots (the mask follows). */
  private grown(old: Int32Array): Int32Array {
    const table: Int32Array = new Int32Array(old.length * 2).fill(-1);
    this.mask = (table.length / SLOT) - 1;
    for (let from = 0; from < old.length; from += SLOT) {
      const h = old[from] as number;
      if (h === -1) continue;
      let slot = this.slotOf(h);
      while (table[slot * SLOT] !== -1) slot = (slot + 1) & this.mask;
      table.set(old.subarray(from, from + SLOT), slot * SLOT);
    }
    return table;
  }

  private slotOf(h: number): number {
    return Math.imul(h, 0x9e3779b1) >>> 0 & this.mask;
  }

  /** Where hash `h`'s slot starts in the table, or -1. */
  private find(h: number): number {
    const table = this.table;
    let slot = this.slotOf(h);
    for (;;) {
      const k = table[slot * SLOT] as number;
      if (k === h) return slot * SLOT;
      if (k === -1) return -1;
      slot = (slot + 1) & this.mask;
    }
  }

  /** A short, sanitised quote of a known text (cached: reasons are written on every vote). */
  quote(text: string): string {
    return this.quotes.get(text) ?? this.quotes.put(text, snippet(text, 48));
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
    return this.antibodyShingleSets.get(text) ?? this.antibodyShingleSets.put(text, shingles(this.fold(maskLinks(lowerForm(sanitize(text))))));
  }

  /** The nearest known attack to a folded text (Analysis.foldText, or fold() of a unit) among the exemplars and `antibodies`. */
  nearest(folded: string, antibodies: readonly Antibody[]): Nearest {
    return this.withAntibodies(this.inIndex(folded), antibodies);
  }

  /** What the index says of a folded text, whatever the antibodies: kept per text by the detector. */
  inIndex(folded: string): InIndex {
    const input = shingles(folded, this.scratch);
    if (input.length === 0) return { input, near: { margin: 0, nearest: undefined, cosine: 0, antibody: false } };
    // One accumulator per indexed text; scanning them all afterwards costs less than tracking
    // which ones a query touched (a typical query touches half of them).
    const acc = this.acc;
    const postings = this.postings;
    let norm2 = 0;
    const table = this.table;
    const weight2ByDf = this.weight2ByDf;
    for (let i = 0; i < input.length; i++) {
      const at = this.find(input[i] as number);
      if (at < 0) {
        norm2 += weight2ByDf[0] as number;
        continue;
      }
      const w2 = weight2ByDf[table[at + DF] as number] as number;
      norm2 += w2;
      const to = (table[at + START] as number) + (table[at + COUNT] as number);
      for (let p = table[at + START] as number; p < to; p++) {
        const d = postings[p] as number;
        acc[d] = (acc[d] as number) + w2;
      }
    }
    // One pass: IDF-weighted cosine, keeping the top three of each class.
    const inputScale = 1 / Math.sqrt(norm2);
    const invNorm = this.invNorm;
    const isAttack = this.isAttack;
    // top[0..2]: the three best attack cosines, top[3..5] the three best benign ones.
    const top = new Float64Array(6);
    let best = -1;
    for (let id = 0; id < acc.length; id++) {
      const dot = acc[id] as number;
      if (dot === 0) continue;
      acc[id] = 0;
      const c = dot * inputScale * (invNorm[id] as number);
      if (isAttack[id] === 1) {
        if (insertTop3(top, 0, c)) best = id;
      } else insertTop3(top, 3, c);
    }
    const [a0, a1, a2, b0, b1, b2] = top as unknown as [number, number, number, number, number, number];
    const near = { margin: (a0 + a1 + a2) / 3 - (b0 + b1 + b2) / 3, nearest: best >= 0 ? this.docs[best] : undefined, cosine: a0, antibody: false };
    return { input, near };
  }

  /** The index's answer for an input, with the antibodies compared to it (cosine of shingle sets). */
  withAntibodies({ input, near }: InIndex, antibodies: readonly Antibody[]): Nearest {
    if (input.length === 0 || antibodies.length === 0) return near;
    const result: Nearest = { ...near };
    this.scratch.clear(input.length);
    for (let i = 0; i < input.length; i++) this.scratch.add(input[i] as number);
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

/** Throws unless `t` has the shape of a built index's tables (a cached entry may be foreign or damaged). */
function checkTables(t: IndexTables): void {
  const n = t.docs.length;
  const slots = t.mask + 1;
  const ok =
    Array.isArray(t.docs) &&
    t.docs.every((d) => typeof d?.text === 'string' && typeof d.source === 'string' && (d.category === null || typeof d.category === 'string')) &&
    t.invNorm.length === n &&
    t.isAttack.length === n &&
    t.weight2ByDf.length === n + 1 &&
    Number.isInteger(slots) &&
    slots > 0 &&
    (slots & (slots - 1)) === 0 &&
    t.table.length === slots * SLOT;
  if (!ok) throw new RangeError('not the tables of a similarity index');
  for (let at = 0; at < t.table.length; at += SLOT) {
    if (t.table[at] === -1) continue;
    const start = t.table[at + START] as number;
    const count = t.table[at + COUNT] as number;
    if (start < 0 || count < 0 || start + count > t.postings.length) throw new RangeError('postings out of range');
  }
  for (const id of t.postings) if (id >= n) throw new RangeError('posting to no indexed text');
}

/** Puts `c` among the three largest values at top[at..at+2] (descending); true when it is the new largest. */
function insertTop3(top: Float64Array, at: number, c: number): boolean {
  if (c <= (top[at + 2] as number)) return false;
  if (c > (top[at] as number)) {
    top[at + 2] = top[at + 1] as number;
    top[at + 1] = top[at] as number;
    top[at] = c;
    return true;
  }
  if (c > (top[at + 1] as number)) {
    top[at + 2] = top[at + 1] as number;
    top[at + 1] = c;
  } else top[at + 2] = c;
  return false;
}
