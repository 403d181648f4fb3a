import { COMMON_WORDS } from './common-words.js';
import { CJK_CHAR, normalizedWords } from '../util/normalize.js';

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
 * Chinese, Japanese and Korean text is a run of one-character words (normalize.ts): its patterns
 * are character n-grams of 4 to 6 characters, at least 3 of them not grammatical particles.
 */
const CJK = { minChars: 4, maxChars: 6, distinctive: 3 } as const;
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
 * Particles, pronouns and endings of Chinese, Japanese and Korean: characters that say nothing
 * about an attack on their own, like COMMON_WORDS in English.
 */
const CJK_COMMON = new Set(
  '的了是在我你他她它们这那和与也就都而及把被让给对吗呢吧啊之其以为不有个人上下中来去说要会能可一の に は を が て で と も た し な い か る す ま せ ん う こ そ あ れ ら だ ょ っ 이 가 은 는 을 를 에 의 도 로 와 과 고 다 요 서 하 게 지 해 나 니 면 기'.split(/\s*/u),
);

const DIGITS = /^\d+$/;

function isCjk(word: string): boolean {
  return word.length <= 2 && CJK_CHAR.test(word);
}

/** Whether `word` tells a text apart: not an everyday word or particle, not a bare number. */
export function isDistinctive(word: string): boolean {
  if (isCjk(word)) return !CJK_COMMON.has(word);
  return !COMMON_WORDS.has(word) && word.length > 2 && !DIGITS.test(word);
}

/**
 * Word n-grams of a breach, best first: most distinctive words, then longest, then earliest.
 * Only n-grams with at least two distinctive words are offered (three characters for CJK), so
 * everyday phrasing never qualifies; an n-gram never holds a bare number (a row number, an order
 * id: they change from one attack to the next) nor mixes CJK characters with other words.
 */
export function candidatePatterns(text: string): Candidate[] {
  const words = normalizedWords(text).slice(0, MAX_WORDS_ANALYSED);
  const cjk = words.map(isCjk);
  const out: Candidate[] = [];
  const seen = new Set<string>();
  const offer = (i: number, n: number, minDistinctive: number, minChars: number): void => {
    const gram = words.slice(i, i + n);
    if (gram.some((w) => DIGITS.test(w))) return;
    const distinctive = gram.filter(isDistinctive).length;
    if (distinctive < minDistinctive) return;
    const pattern = ` ${gram.join(' ')} `;
    if (pattern.length < minChars || pattern.length > MAX_PATTERN_CHARS || seen.has(pattern)) return;
    seen.add(pattern);
    out.push({ pattern, distinctive, start: i, words: n });
  };
  const allCjk = (i: number, n: number): boolean => cjk.slice(i, i + n).every(Boolean);
  const noCjk = (i: number, n: number): boolean => !cjk.slice(i, i + n).some(Boolean);
  for (let n = CJK.maxChars; n >= MIN_WORDS; n--) {
    for (let i = 0; i + n <= words.length; i++) {
      if (n >= CJK.minChars && allCjk(i, n)) offer(i, n, CJK.distinctive, 0);
      else if (n <= MAX_WORDS && noCjk(i, n)) offer(i, n, 2, MIN_CHARS);
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
