import { CONFUSABLES } from './confusables.js';
import { isBidiControl, isInvisible } from './text.js';

/**
 * Words of the embedded detectors: runs of letters and digits of any script, except the scripts
 * written without spaces (Chinese, Japanese, Korean), which become overlapping character bigrams
 * ("忽略之前" → 忽略 略之 之前), the usual way to index them without a dictionary. A stemmer and
 * the Lexicon that maps words to the ids the phrase rules use.
 */

export interface FoldStats {
  invisible: number;
  bidi: number;
  confusables: number;
}

/** Memo of "is this BMP character part of a word" for non-ASCII characters: 0 unknown, 1 yes, 2 no. */
const WORD_CHAR = new Uint8Array(0x10000);
const LETTER_OR_NUMBER = /[\p{L}\p{N}\p{M}]/u;

function isWordCharNonAscii(c: number): boolean {
  let v = WORD_CHAR[c] as number;
  if (v === 0) {
    v = c >= 0xd800 && c <= 0xdfff ? 1 : LETTER_OR_NUMBER.test(String.fromCharCode(c)) ? 1 : 2;
    WORD_CHAR[c] = v;
  }
  return v === 1;
}

function isAsciiWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90);
}

/** Han, kana and Hangul: scripts written without spaces between words. */
export function isCjk(c: number): boolean {
  return (
    (c >= 0x3040 && c <= 0x30ff) ||
    (c >= 0x3400 && c <= 0x4dbf) ||
    (c >= 0x4e00 && c <= 0x9fff) ||
    (c >= 0xac00 && c <= 0xd7af) ||
    (c >= 0x1100 && c <= 0x11ff) ||
    (c >= 0x3130 && c <= 0x318f) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0xff66 && c <= 0xff9f)
  );
}

/**
 * Words of a lower-case form. With `fold`, invisible characters are dropped inside words instead
 * of splitting them, and @ and $ stay inside words (leetspeak); `stats` counts what was seen.
 * `offsets`, when given, receives the position in `lower` where each word starts.
 */
export function scanWords(lower: string, fold: boolean, stats?: FoldStats, offsets?: number[]): string[] {
  const out: string[] = [];
  let cur = '';
  let from = -1;
  let start = -1;
  // The CJK run being read: position of its last character and its length.
  let cjkLast = -1;
  let cjkLen = 0;
  const n = lower.length;
  /** Emits the word being read, if any, ending before position i. */
  const endWord = (i: number): void => {
    if (from < 0 && cur === '') return;
    const w = cur + (from >= 0 ? lower.slice(from, i) : '');
    if (w !== '') {
      out.push(w);
      offsets?.push(start);
    }
    cur = '';
    from = -1;
  };
  for (let i = 0; i <= n; i++) {
    const c = i < n ? lower.charCodeAt(i) : 32;
    let word: boolean;
    if (c < 128) word = isAsciiWordChar(c) || (fold && (c === 64 || c === 36));
    else if (isInvisible(c)) {
      if (stats) {
        stats.invisible++;
        if (isBidiControl(c)) stats.bidi++;
      }
      if (fold) {
        // Drop it, keep the word (or the CJK run) going.
        if (from >= 0) {
          cur += lower.slice(from, i);
          from = i + 1;
        }
        continue;
      }
      word = false;
    } else if (isCjk(c)) {
      endWord(i);
      if (cjkLen > 0) {
        out.push(lower.charAt(cjkLast) + lower.charAt(i));
        offsets?.push(cjkLast);
      }
      cjkLast = i;
      cjkLen++;
      continue;
    } else {
      word = isWordCharNonAscii(c);
      if (word && stats && CONFUSABLES.has(c)) stats.confusables++;
    }
    if (cjkLen > 0) {
      // A lone CJK character is a word of its own; a longer run has been emitted as bigrams.
      if (cjkLen === 1) {
        out.push(lower.charAt(cjkLast));
        offsets?.push(cjkLast);
      }
      cjkLen = 0;
    }
    if (word) {
      if (from < 0) {
        if (cur === '') start = i;
        from = i;
      }
    } else endWord(i);
  }
  return out;
}

/** Words of a lower-case form (letters and digits of any script; CJK as character bigrams). */
export function words(lower: string, offsets?: number[]): string[] {
  return scanWords(lower, false, undefined, offsets);
}

/** ASCII only, and no @ or $ (which leetspeak folding keeps inside words). */
export function isPlainAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || c === 64 || c === 36) return false;
  }
  return true;
}

export function hasDigit(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}

const COMBINING = /[\u0300-\u036f]/g;

/** Latin letters with diacritics (U+00C0–U+024F), whose accents the stemmer drops. */
function hasAccentedLatin(w: string): boolean {
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (c >= 0xc0 && c <= 0x24f) return true;
  }
  return false;
}

/**
 * A light stemmer, applied the same way to pattern words and input words. English suffixes are
 * stripped, so "ignore", "ignored", "ignores", "ignoring" all meet at "ignor"; accents on Latin
 * letters are dropped ("instrucción" meets "instruccion"); Cyrillic words keep their first six
 * letters, which covers most Russian and Ukrainian inflection ("инструкции", "инструкций").
 */
export function stem(word: string): string {
  let w = word;
  const c0 = w.charCodeAt(0);
  if (c0 >= 0x400 && c0 <= 0x4ff) return w.length > 6 ? w.slice(0, 6) : w;
  if (hasAccentedLatin(w)) w = w.normalize('NFD').replace(COMBINING, '');
  if (w.length <= 3) return w;
  let s = w;
  if (s.endsWith('ies') && s.length > 4) return `${s.slice(0, -3)}y`;
  if (s.endsWith('ing') && s.length > 5) s = s.slice(0, -3);
  else if (s.endsWith('ed') && s.length > 4) s = s.slice(0, -2);
  else if (s.endsWith('es') && s.length > 4) s = s.slice(0, -2);
  else if (s.endsWith('s') && !s.endsWith('ss') && s.length > 3) s = s.slice(0, -1);
  if (s.endsWith('e') && s.length > 3) s = s.slice(0, -1);
  return s;
}

/** The id every all-digit token gets. */
export const NUM_ID = 0;

/**
 * Interns stems of the words our patterns use. Input words map to an id (or -1 when no pattern
 * uses them). Lookups are memoised, with a bounded memo.
 */
export class Lexicon {
  private readonly ids = new Map<string, number>([['#', NUM_ID]]);
  private readonly memo = new Map<string, number>();
  private frozen = false;

  /** Pattern words interned so far (rules share long word lists). */
  private readonly interned = new Map<string, number>();

  /** Id of a pattern word; adds it while the lexicon is being built. */
  intern(word: string): number {
    const known = this.interned.get(word);
    if (known !== undefined) return known;
    if (word === '#' || /^\d+$/.test(word)) return NUM_ID;
    const s = stem(word);
    let id = this.ids.get(s);
    if (id === undefined) {
      if (this.frozen) throw new Error(`lexicon is frozen; cannot add "${word}"`);
      id = this.ids.size;
      this.ids.set(s, id);
      this.memo.clear();
    }
    this.interned.set(word, id);
    return id;
  }

  freeze(): void {
    this.frozen = true;
  }

  get size(): number {
    return this.ids.size;
  }

  idOf(word: string): number {
    const m = this.memo.get(word);
    if (m !== undefined) return m;
    let id: number;
    const c = word.charCodeAt(0);
    if (c >= 48 && c <= 57 && /^\d{1,12}(?:st|nd|rd|th|k|m)?$/.test(word)) id = NUM_ID;
    else id = this.ids.get(stem(word)) ?? -1;
    if (this.memo.size > 50_000) this.memo.clear();
    this.memo.set(word, id);
    return id;
  }

  has(word: string): boolean {
    return this.idOf(word) > NUM_ID;
  }

  idsOf(tokens: readonly string[]): Int32Array {
    const out = new Int32Array(tokens.length);
    for (let i = 0; i < tokens.length; i++) out[i] = this.idOf(tokens[i] as string);
    return out;
  }
}
