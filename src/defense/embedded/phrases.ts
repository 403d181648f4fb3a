import { lowerForm } from './text.js';
import { Lexicon, words } from './tokens.js';

/**
 * A word-level phrase matcher for the fixed patterns written in this folder (never for input
 * text). A pattern is a sequence of slots separated by spaces:
 *
 *   ignore|disregard ~3 previous|prior ~2 instructions|rules
 *
 * - `a|b|c`     one word out of several (words are stemmed, so "rules" also matches "rule");
 * - `~N`        up to N other words may stand between the neighbouring slots;
 * - `(x y|z)`   alternatives that are themselves short phrases (expanded at compile time);
 * - `(x|y)?`    an optional group (its gaps add up with the neighbouring ones);
 * - `#`         any number; `*` any single word;
 * - a Chinese, Japanese or Korean word is matched as the run of its character bigrams
 *   (tokens.ts), so `系统提示` is three slots with nothing between them.
 *
 * Scanning is linear: each variant is anchored on its rarest slot; each input word is tried as
 * the anchor of the variants anchored on it, and each attempt looks at most (slots × (gap + 1))
 * words back and ahead.
 */
export interface PhraseRule<M = unknown> {
  pattern: string;
  meta: M;
}

interface Compiled {
  rule: number;
  slots: Set<number>[];
  /** gaps[j]: words allowed between slot j-1 and slot j (gaps[0] unused). */
  gaps: number[];
  any: boolean[];
  /** The slot the variant is anchored on. */
  anchor: number;
}

const ANY = -2;

/** Words of a pattern fragment, memoised: the same alternatives recur in hundreds of variants. */
const fragmentWords = new Map<string, string[]>();
function wordsOf(fragment: string): string[] {
  let w = fragmentWords.get(fragment);
  if (w === undefined) {
    w = words(lowerForm(fragment));
    fragmentWords.set(fragment, w);
  }
  return w;
}

/**
 * The variants of a pattern: each "(…)" group replaced by one of its options (its one-word
 * alternatives together as one slot, each multi-word alternative on its own, nothing when
 * optional). Built as one cartesian product, so a tail is never expanded twice.
 */
function expand(pattern: string): string[] {
  const parts: string[][] = [];
  let i = 0;
  for (;;) {
    const open = pattern.indexOf('(', i);
    if (open < 0) {
      parts.push([pattern.slice(i)]);
      break;
    }
    parts.push([pattern.slice(i, open)]);
    const close = pattern.indexOf(')', open);
    if (close < 0) throw new Error(`unbalanced pattern: ${pattern}`);
    const optional = pattern.charAt(close + 1) === '?';
    const alts = pattern
      .slice(open + 1, close)
      .split('|')
      .map((a) => a.trim())
      .filter(Boolean);
    // One-word alternatives share one slot; only multi-word ones (a CJK word is several bigrams)
    // need a variant of their own.
    const multi = (a: string): boolean => a.includes(' ') || wordsOf(a).length > 1;
    const single = alts.filter((a) => !multi(a));
    const options = [...(single.length > 0 ? [single.join('|')] : []), ...alts.filter(multi), ...(optional ? [''] : [])];
    parts.push(options);
    i = close + (optional ? 2 : 1);
  }
  let out = [''];
  for (const options of parts) {
    if (options.length === 1) {
      const only = options[0] as string;
      out = out.map((v) => `${v} ${only}`);
      continue;
    }
    const next: string[] = [];
    for (const v of out) for (const o of options) next.push(`${v} ${o}`);
    out = next;
  }
  return out;
}

export class PhraseMatcher<M = unknown> {
  private readonly compiled: Compiled[] = [];
  /** anchors[id]: the compiled variants anchored on word id `id` (their rarest slot). */
  private anchors: (number[] | undefined)[] | undefined;

  constructor(
    readonly rules: readonly PhraseRule<M>[],
    private readonly lexicon: Lexicon,
    /** How common each word id is in everyday text (wordFrequencies), to anchor patterns on rare words. */
    private readonly frequencies: () => ReadonlyMap<number, number> = () => new Map(),
  ) {
    rules.forEach((rule, r) => {
      for (const variant of expand(rule.pattern)) this.compile(variant, r);
    });
  }

  private readonly slotCache = new Map<string, { set: Set<number>; isAny: boolean }>();

  private compile(variant: string, rule: number): void {
    const slots: Set<number>[] = [];
    const gaps: number[] = [];
    const any: boolean[] = [];
    let gap = 0;
    for (const part of variant.trim().split(/\s+/)) {
      if (part.startsWith('~')) {
        const n = Number(part.slice(1));
        if (!Number.isInteger(n) || n < 0) throw new Error(`bad gap in pattern: ${variant}`);
        gap += n;
        continue;
      }
      // A CJK word without alternatives is a run of bigrams: one slot each, nothing between.
      const run = part.includes('|') ? [] : wordsOf(part);
      if (run.length > 1) {
        run.forEach((bigram, k) => {
          slots.push(new Set([this.lexicon.intern(bigram)]));
          gaps.push(k === 0 ? gap : 0);
          any.push(false);
        });
        gap = 0;
        continue;
      }
      const known = this.slotCache.get(part);
      if (known !== undefined) {
        slots.push(known.set);
        gaps.push(gap);
        any.push(known.isAny);
        gap = 0;
        continue;
      }
      const set = new Set<number>();
      let isAny = false;
      for (const alt of part.split('|')) {
        if (alt === '*') {
          isAny = true;
          set.add(ANY);
          continue;
        }
        if (alt === '#') {
          set.add(this.lexicon.intern('#'));
          continue;
        }
        const ws = wordsOf(alt);
        if (ws.length !== 1) throw new Error(`pattern slot "${alt}" must be one word (in: ${variant})`);
        set.add(this.lexicon.intern(ws[0] as string));
      }
      // Variants of one rule repeat their slots: compiled once, shared (slot sets are never changed).
      this.slotCache.set(part, { set, isAny });
      slots.push(set);
      gaps.push(gap);
      any.push(isAny);
      gap = 0;
    }
    if (slots.length === 0) throw new Error(`empty pattern for rule ${rule}`);
    if (any.every(Boolean)) throw new Error(`pattern needs at least one word slot: ${variant}`);
    this.compiled.push({ rule, slots, gaps, any, anchor: 0 });
  }

  /** Anchors every variant on its rarest slot (estimated with `frequencies`). Built on first scan. */
  private buildAnchors(): (number[] | undefined)[] {
    const freq = this.frequencies();
    const anchors: (number[] | undefined)[] = [];
    this.compiled.forEach((p, c) => {
      let best = -1;
      let bestCost = Infinity;
      p.slots.forEach((set, j) => {
        if (p.any[j]) return;
        let cost = 0;
        for (const id of set) cost += 1 + 4 * (freq.get(id) ?? 0);
        if (cost < bestCost) {
          bestCost = cost;
          best = j;
        }
      });
      p.anchor = best;
      for (const id of p.slots[best] as Set<number>) (anchors[id] ??= []).push(c);
    });
    return anchors;
  }

  /** Indices of the rules that match `ids` (each rule once, in order of first match). */
  scan(ids: Int32Array): number[] {
    const anchors = (this.anchors ??= this.buildAnchors());
    let hit: Uint8Array | undefined;
    const out: number[] = [];
    const n = ids.length;
    for (let i = 0; i < n; i++) {
      const id = ids[i] as number;
      if (id < 0) continue;
      const list = anchors[id];
      if (list === undefined) continue;
      for (const c of list) {
        const p = this.compiled[c] as Compiled;
        if (hit !== undefined && hit[p.rule] === 1) continue;
        if (this.matchAround(p, ids, i)) {
          hit ??= new Uint8Array(this.rules.length);
          hit[p.rule] = 1;
          out.push(p.rule);
        }
      }
    }
    return out;
  }

  /** Matches the slots before the anchor backwards and those after it forwards, nearest first. */
  private matchAround(p: Compiled, ids: Int32Array, at: number): boolean {
    let pos = at;
    for (let j = p.anchor - 1; j >= 0; j--) {
      const limit = Math.max(0, pos - 1 - (p.gaps[j + 1] as number));
      const set = p.slots[j] as Set<number>;
      const any = p.any[j] as boolean;
      let found = -1;
      for (let q = pos - 1; q >= limit; q--) {
        if (any || set.has(ids[q] as number)) {
          found = q;
          break;
        }
      }
      if (found < 0) return false;
      pos = found;
    }
    pos = at;
    const n = ids.length;
    for (let j = p.anchor + 1; j < p.slots.length; j++) {
      const limit = Math.min(n - 1, pos + 1 + (p.gaps[j] as number));
      const set = p.slots[j] as Set<number>;
      const any = p.any[j] as boolean;
      let found = -1;
      for (let q = pos + 1; q <= limit; q++) {
        if (any || set.has(ids[q] as number)) {
          found = q;
          break;
        }
      }
      if (found < 0) return false;
      pos = found;
    }
    return true;
  }
}

/**
 * How often each word id of `lexicon` occurs in `texts` (the first 300 characters of the first
 * 300 of them): shared by the matchers of a run, which only use it to pick the rarest slot of
 * each pattern as its anchor, so a sample is enough.
 */
export function wordFrequencies(lexicon: Lexicon, texts: readonly string[]): Map<number, number> {
  const freq = new Map<number, number>();
  for (const t of texts.slice(0, 300)) {
    for (const w of words(lowerForm(t.slice(0, 300)))) {
      const id = lexicon.idOf(w);
      if (id >= 0) freq.set(id, (freq.get(id) ?? 0) + 1);
    }
  }
  return freq;
}
