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
 * A pattern cut at its groups: each element is the options of one place, a fixed stretch having
 * one; a "(…)" group has its one-word alternatives together as one option (one slot), each
 * multi-word alternative as its own, and "" when optional.
 */
function options(pattern: string): string[][] {
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
    parts.push(groupOptions(pattern.slice(open + 1, close), optional));
    i = close + (optional ? 2 : 1);
  }
  return parts;
}

/** The options of a group, memoised: the same word lists recur in many patterns. */
const groups = new Map<string, string[]>();
function groupOptions(group: string, optional: boolean): string[] {
  const key = optional ? `${group}?` : group;
  let out = groups.get(key);
  if (out !== undefined) return out;
  const alts = group
    .split('|')
    .map((a) => a.trim())
    .filter(Boolean);
  // One-word alternatives share one slot; only multi-word ones (a CJK word is several bigrams)
  // need a variant of their own.
  const multi = (a: string): boolean => a.includes(' ') || wordsOf(a).length > 1;
  const single = alts.filter((a) => !multi(a));
  out = [...(single.length > 0 ? [single.join('|')] : []), ...alts.filter(multi), ...(optional ? [''] : [])];
  groups.set(key, out);
  return out;
}

/** A slot set of a matcher (its index in the matcher's sets). */
interface SlotRef {
  set: number;
  /** The slot is "*": any word. */
  any: boolean;
}
/** One step of a compiled pattern: up to that many other words (a number), or one slot. */
type Step = number | SlotRef;

/**
 * The compiled variants of the rules, in flat arrays (a run compiles thousands of variants;
 * separate objects per variant would cost megabytes and scatter a scan's reads). Variant `v` has
 * the slots first[v] .. first[v + 1] - 1; slot `j` holds the words sets[slotSet[j]] (any word when
 * isAny[j]), with up to gap[j] other words allowed before it (gap of a variant's first slot unused).
 */
interface Variants {
  rule: Int32Array;
  first: Int32Array;
  anchor: Int32Array;
  slotSet: Int32Array;
  gap: Int32Array;
  isAny: Uint8Array;
}

export class PhraseMatcher<M = unknown> {
  private readonly sets: Set<number>[] = [];
  private readonly v: Variants;
  /**
   * The variants anchored on each word id (their rarest slot): those of id `i` are
   * anchored.list[anchored.start[i] .. anchored.start[i + 1]).
   */
  private anchored: { start: Int32Array; list: Int32Array } | undefined;

  constructor(
    readonly rules: readonly PhraseRule<M>[],
    private readonly lexicon: Lexicon,
    /** How common each word id is in everyday text (wordFrequencies), to anchor patterns on rare words. */
    private readonly frequencies: () => ReadonlyMap<number, number> = () => new Map(),
  ) {
    const rule: number[] = [];
    const first: number[] = [];
    const slotSet: number[] = [];
    const gap: number[] = [];
    const isAny: number[] = [];
    rules.forEach((r, index) => {
      // One variant per choice of an option at every place, the last place varying fastest.
      const places = options(r.pattern).map((choices) => choices.map((c) => this.stepsOf(c, r.pattern)));
      const pick = places.map(() => 0);
      for (;;) {
        rule.push(index);
        first.push(slotSet.length);
        let pending = 0;
        let words = 0;
        places.forEach((choices, k) => {
          for (const step of choices[pick[k] as number] as Step[]) {
            if (typeof step === 'number') {
              pending += step;
              continue;
            }
            slotSet.push(step.set);
            gap.push(pending);
            isAny.push(step.any ? 1 : 0);
            if (!step.any) words++;
            pending = 0;
          }
        });
        if (slotSet.length === first[first.length - 1]) throw new Error(`empty pattern for rule ${index}`);
        if (words === 0) throw new Error(`pattern needs at least one word slot: ${r.pattern}`);
        let k = places.length - 1;
        while (k >= 0 && (pick[k] = (pick[k] as number) + 1) === (places[k] as Step[][]).length) pick[k--] = 0;
        if (k < 0) break;
      }
    });
    first.push(slotSet.length);
    this.v = {
      rule: Int32Array.from(rule),
      first: Int32Array.from(first),
      anchor: new Int32Array(rule.length),
      slotSet: Int32Array.from(slotSet),
      gap: Int32Array.from(gap),
      isAny: Uint8Array.from(isAny),
    };
  }

  /** Variants compiled (a pattern with groups has one per choice of options). */
  get variantCount(): number {
    return this.v.rule.length;
  }

  private readonly fragments = new Map<string, Step[]>();

  /** The steps of a pattern fragment (memoised: the same alternatives recur in thousands of variants). */
  private stepsOf(fragment: string, pattern: string): Step[] {
    let steps = this.fragments.get(fragment);
    if (steps !== undefined) return steps;
    steps = [];
    for (const part of fragment.trim().split(/\s+/)) {
      if (part === '') continue;
      if (part.startsWith('~')) {
        const n = Number(part.slice(1));
        if (!Number.isInteger(n) || n < 0) throw new Error(`bad gap in pattern: ${pattern}`);
        steps.push(n);
        continue;
      }
      // A CJK word without alternatives is a run of bigrams: one slot each, nothing between.
      const run = part.includes('|') ? [] : wordsOf(part);
      if (run.length > 1) {
        for (const bigram of run) steps.push(this.slotOf(bigram, pattern));
        continue;
      }
      steps.push(this.slotOf(part, pattern));
    }
    this.fragments.set(fragment, steps);
    return steps;
  }

  /** Slot sets by their text, shared by every variant that has them. */
  private readonly slots = new Map<string, SlotRef>();

  /** One slot: alternatives of one word each, "#" (any number) or "*" (any word). */
  private slotOf(part: string, pattern: string): SlotRef {
    const known = this.slots.get(part);
    if (known !== undefined) return known;
    const set = new Set<number>();
    for (const alt of part.split('|')) {
      if (alt === '*') {
        set.add(ANY);
        continue;
      }
      if (alt === '#') {
        set.add(this.lexicon.intern('#'));
        continue;
      }
      const ws = wordsOf(alt);
      if (ws.length !== 1) throw new Error(`pattern slot "${alt}" must be one word (in: ${pattern})`);
      set.add(this.lexicon.intern(ws[0] as string));
    }
    const ref: SlotRef = { set: this.sets.push(set) - 1, any: set.has(ANY) };
    this.slots.set(part, ref);
    return ref;
  }

  /** Anchors every variant on its rarest slot (estimated with `frequencies`). Built on first scan. */
  private buildAnchors(): { start: Int32Array; list: Int32Array } {
    const freq = this.frequencies();
    const cost = this.sets.map((set) => {
      let c = 0;
      for (const id of set) c += 1 + 4 * (freq.get(id) ?? 0);
      return c;
    });
    const { first, anchor, slotSet, isAny } = this.v;
    const byId: number[][] = [];
    for (let v = 0; v < anchor.length; v++) {
      let best = -1;
      let bestCost = Infinity;
      for (let j = first[v] as number; j < (first[v + 1] as number); j++) {
        if (isAny[j] === 1) continue;
        const c = cost[slotSet[j] as number] as number;
        if (c < bestCost) {
          bestCost = c;
          best = j;
        }
      }
      anchor[v] = best;
      for (const id of this.sets[slotSet[best] as number] as Set<number>) (byId[id] ??= []).push(v);
    }
    // The lexicon is frozen once the matchers are built: every id a scan can meet is below its size.
    const start = new Int32Array(this.lexicon.size + 1);
    for (let id = 0; id < this.lexicon.size; id++) start[id + 1] = (start[id] as number) + (byId[id]?.length ?? 0);
    const list = new Int32Array(start[this.lexicon.size] as number);
    byId.forEach((l, id) => list.set(l, start[id] as number));
    return { start, list };
  }

  /** Indices of the rules that match `ids` (each rule once, in order of first match). */
  scan(ids: Int32Array): number[] {
    const { start, list } = (this.anchored ??= this.buildAnchors());
    const rule = this.v.rule;
    let hit: Uint8Array | undefined;
    const out: number[] = [];
    const n = ids.length;
    for (let i = 0; i < n; i++) {
      const id = ids[i] as number;
      if (id < 0) continue;
      const to = start[id + 1] as number;
      for (let k = start[id] as number; k < to; k++) {
        const v = list[k] as number;
        const r = rule[v] as number;
        if (hit !== undefined && hit[r] === 1) continue;
        if (this.matchAround(v, ids, i)) {
          hit ??= new Uint8Array(this.rules.length);
          hit[r] = 1;
          out.push(r);
        }
      }
    }
    return out;
  }

  /** Matches the slots of variant `v` before its anchor (at `at`) backwards and those after it forwards, nearest first. */
  private matchAround(v: number, ids: Int32Array, at: number): boolean {
    const { first, anchor, slotSet, gap, isAny } = this.v;
    const from = first[v] as number;
    const a = anchor[v] as number;
    let pos = at;
    for (let j = a - 1; j >= from; j--) {
      const limit = Math.max(0, pos - 1 - (gap[j + 1] as number));
      const set = this.sets[slotSet[j] as number] as Set<number>;
      const any = isAny[j] === 1;
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
    const end = first[v + 1] as number;
    for (let j = a + 1; j < end; j++) {
      const limit = Math.min(n - 1, pos + 1 + (gap[j] as number));
      const set = this.sets[slotSet[j] as number] as Set<number>;
      const any = isAny[j] === 1;
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
