/**
 * How hive decides that two texts are near-duplicates: the Jaccard similarity of their sets of
 * word 3-shingles (three consecutive words of the healer's normalised form: NFKC, lower case,
 * punctuation and invisible characters removed). Chinese, Japanese and Korean characters count as
 * one word each, since those scripts do not separate words with spaces. A text of fewer than three
 * words is one shingle. Exact (not estimated), so the pool contract and the attacker's repeat
 * counts never depend on hashing luck.
 */
import { normalizedWords, normalizeText } from './normalize.js';

/** Scripts written without spaces between words: each character is a word here. */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** The words of a text as the shingles see them (CJK characters split one per word). */
export function shingleWords(text: string): string[] {
  const out: string[] = [];
  for (const w of normalizedWords(text)) {
    if (!CJK.test(w)) out.push(w);
    else for (const part of w.split(/([\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}])/u)) if (part) out.push(part);
  }
  return out;
}

/** The set of word 3-shingles of a text (each joined by a space). */
export function wordShingles(text: string, size = 3): Set<string> {
  const words = shingleWords(text);
  if (words.length <= size) return new Set(words.length > 0 ? [words.join(' ')] : []);
  const out = new Set<string>();
  for (let i = 0; i + size <= words.length; i++) out.add(words.slice(i, i + size).join(' '));
  return out;
}

/** |A ∩ B| / |A ∪ B| of two shingle sets; 0 when both are empty. */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const s of small) if (large.has(s)) shared += 1;
  return shared / (a.size + b.size - shared);
}

/**
 * Finds, for each text in order, whether an earlier text is at least `threshold` similar, without
 * comparing every pair: texts that share no shingle cannot be similar. Returns, per text, the
 * index of its most similar earlier text at or above the threshold, or -1.
 */
export function nearestEarlier(texts: readonly string[], threshold: number): number[] {
  const sets = texts.map((t) => wordShingles(t));
  const index = new Map<string, number[]>();
  return sets.map((set, i) => {
    const shared = new Map<number, number>();
    for (const s of set) for (const j of index.get(s) ?? []) shared.set(j, (shared.get(j) ?? 0) + 1);
    let best = -1;
    let bestScore = threshold;
    for (const [j, n] of shared) {
      const other = sets[j] as Set<string>;
      const score = n / (set.size + other.size - n);
      if (score >= bestScore) {
        best = j;
        bestScore = score;
      }
    }
    for (const s of set) {
      const list = index.get(s);
      if (list) list.push(i);
      else index.set(s, [i]);
    }
    return best;
  });
}

/**
 * For each of `texts`, the indices of `others` it equals after the healer's normalisation or is
 * at least `threshold` similar to, without comparing every pair (texts that share no shingle
 * cannot be similar). For checking that one pool holds nothing of another.
 */
export function nearDuplicatesIn(texts: readonly string[], others: readonly string[], threshold: number): Array<{ text: number; other: number; similarity: number }> {
  const exact = new Map(others.map((t, j) => [normalizeText(t), j]));
  const sets = others.map((t) => wordShingles(t));
  const index = new Map<string, number[]>();
  sets.forEach((set, j) => {
    for (const s of set) {
      const list = index.get(s);
      if (list) list.push(j);
      else index.set(s, [j]);
    }
  });
  const found: Array<{ text: number; other: number; similarity: number }> = [];
  texts.forEach((text, i) => {
    const same = exact.get(normalizeText(text));
    if (same !== undefined) {
      found.push({ text: i, other: same, similarity: 1 });
      return;
    }
    const set = wordShingles(text);
    const seen = new Set<number>();
    for (const s of set) {
      for (const j of index.get(s) ?? []) {
        if (seen.has(j)) continue;
        seen.add(j);
        const similarity = jaccard(set, sets[j] as Set<string>);
        if (similarity >= threshold) found.push({ text: i, other: j, similarity });
      }
    }
  });
  return found;
}
