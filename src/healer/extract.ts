import { COMMON_WORDS } from './common-words.js';
import { normalizedWords } from '../util/normalize.js';

export interface Candidate {
  /** The normalised literal, padded with spaces: " word word word ". */
  pattern: string;
  distinctive: number;
  /** Word position and length in the breach, to pick patterns that do not overlap. */
  start: number;
  words: number;
}

const MIN_WORDS = 3;
const MAX_WORDS = 5;
const MIN_CHARS = 14;
/**
 * The longest pattern learned (as long as a proposed phrase may be: healer.ts). Attack text picks
 * the words, so without a cap one enormous "word" (a base64 blob, a run of one letter) becomes a
 * pattern as long as itself, and screening a text that repeats its start would walk that length
 * at every position. Capped, screening stays linear in the text length.
 */
export const MAX_PATTERN_CHARS = 120;
/** Analyse at most this many words of a breach: a 10 MB attack must not stall the healer. */
const MAX_WORDS_ANALYSED = 4000;

/**
 * Word n-grams of a breach, best first: most uncommon words, then longest, then earliest. Only
 * n-grams with at least two uncommon words are offered, so everyday phrasing never qualifies.
 */
export function candidatePatterns(text: string): Candidate[] {
  const words = normalizedWords(text).slice(0, MAX_WORDS_ANALYSED);
  const out: Candidate[] = [];
  const seen = new Set<string>();
  for (let n = MAX_WORDS; n >= MIN_WORDS; n--) {
    for (let i = 0; i + n <= words.length; i++) {
      const gram = words.slice(i, i + n);
      const distinctive = gram.filter((w) => !COMMON_WORDS.has(w) && w.length > 2 && !/^\d+$/.test(w)).length;
      if (distinctive < 2) continue;
      const pattern = ` ${gram.join(' ')} `;
      if (pattern.length < MIN_CHARS || pattern.length > MAX_PATTERN_CHARS || seen.has(pattern)) continue;
      seen.add(pattern);
      out.push({ pattern, distinctive, start: i, words: n });
    }
  }
  // Stable sort: ties keep longest-first, earliest-first order from the loops above.
  return out.sort((a, b) => b.distinctive - a.distinctive);
}

/** The best `limit` candidates that do not overlap one another in the breach, filtered by `keep`. */
export function pickPatterns(candidates: readonly Candidate[], limit: number, keep: (c: Candidate) => boolean): Candidate[] {
  const chosen: Candidate[] = [];
  for (const c of candidates) {
    if (chosen.length >= limit) break;
    if (chosen.some((o) => c.start < o.start + o.words && o.start < c.start + c.words)) continue;
    if (keep(c)) chosen.push(c);
  }
  return chosen;
}
