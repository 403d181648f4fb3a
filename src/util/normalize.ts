/**
 * The healer's canonical form of a text: NFKC, lower case, zero-width and other invisible format
 * characters removed, every run of non-letters/digits collapsed to one space, padded with a space
 * at each end so that a literal pattern " a b c " only matches whole words.
 */
const INVISIBLE = /[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/g;
const NON_WORD = /[^\p{L}\p{N}]+/gu;

export function normalizeText(text: string): string {
  const folded = text.normalize('NFKC').toLowerCase().replace(INVISIBLE, '');
  const words = folded.replace(NON_WORD, ' ').trim();
  return words ? ` ${words} ` : ' ';
}

export function normalizedWords(text: string): string[] {
  const n = normalizeText(text).trim();
  return n ? n.split(' ') : [];
}
