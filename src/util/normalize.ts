/**
 * The healer's canonical form of a text: NFKC, lower case, zero-width and other invisible format
 * characters removed, every run of non-letters/digits collapsed to one space, each Chinese,
 * Japanese or Korean character a word of its own (those scripts do not separate words with
 * spaces, so a pattern is a run of characters: extract.ts), padded with a space at each end so
 * that a literal pattern " a b c " only matches whole words.
 */
const INVISIBLE = /[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/g;
const NON_WORD = /[^\p{L}\p{N}]+/gu;
/** Characters of the scripts written without spaces (the same set as src/util/shingles.ts). */
export const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const CJK_CHARS = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu;
const SPACES = / {2,}/g;
/** Any character past U+10FF: a cheap test before the script one (every CJK script is past it). */
const BEYOND_LATIN = /[^\u0000-\u10ff]/;

export function normalizeText(text: string): string {
  const folded = text.normalize('NFKC').toLowerCase().replace(INVISIBLE, '');
  let words = folded.replace(NON_WORD, ' ');
  if (BEYOND_LATIN.test(words) && CJK_CHAR.test(words)) words = words.replace(CJK_CHARS, ' $& ').replace(SPACES, ' ');
  words = words.trim();
  return words ? ` ${words} ` : ' ';
}

export function normalizedWords(text: string): string[] {
  const n = normalizeText(text).trim();
  return n ? n.split(' ') : [];
}
