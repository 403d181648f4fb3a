import type { Rng } from '../../util/random.js';

/** Helpers shared by several mutation families: word splitting, case matching, template filling. */

/** Words (ASCII letters, apostrophes inside) and everything between them, in order; joining them gives the text back. */
export function pieces(text: string): string[] {
  return text.match(/[A-Za-z]+(?:'[A-Za-z]+)?|[^A-Za-z]+/g) ?? [];
}

/** Whether a piece from `pieces` is a word (not the text between words). */
export function isWord(piece: string): boolean {
  const c = piece.charCodeAt(0);
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** `replacement` cased like `original`: ALL CAPS, Capitalised or as given. */
export function matchCase(original: string, replacement: string): string {
  if (original.length > 1 && original === original.toUpperCase()) return replacement.toUpperCase();
  const first = original.charAt(0);
  if (first !== first.toLowerCase()) return replacement.charAt(0).toUpperCase() + replacement.slice(1);
  return replacement;
}

/** Chooses which of `n` candidates to touch with probability `p`, at least one when n > 0. */
export function chooseSome(n: number, p: number, rng: Rng): boolean[] {
  const out = Array.from({ length: n }, () => rng.chance(p));
  if (n > 0 && !out.includes(true)) out[rng.int(0, n - 1)] = true;
  return out;
}

/**
 * Rewrites some of the words of `text` that `eligible` accepts: chooses them first (each with
 * probability `p`, at least one, see chooseSome), then calls `rewrite` on each chosen word in
 * text order, so the draws from `rng` come in that order. `eligible` counts the candidates
 * there were (0: the text comes back unchanged).
 */
export function rewriteSomeWords(
  text: string,
  p: number,
  rng: Rng,
  isCandidate: (word: string) => boolean,
  rewrite: (word: string) => string,
): { text: string; eligible: number } {
  const parts = pieces(text);
  const slots = parts.map((piece, i) => (isWord(piece) && isCandidate(piece) ? i : -1)).filter((i) => i >= 0);
  const touch = chooseSome(slots.length, p, rng);
  slots.forEach((i, k) => {
    if (touch[k]) parts[i] = rewrite(parts[i] as string);
  });
  return { text: parts.join(''), eligible: slots.length };
}

/** Replaces `{key}` in a template with `values[key]`; unknown keys stay as written. */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}
