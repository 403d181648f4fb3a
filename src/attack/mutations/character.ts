import type { Rng } from '../../util/random.js';
import { defineMutation } from './mutation.js';
import { HOMOGLYPHS, LEET, ZERO_WIDTH } from './phrases/look-alikes.js';
import { chooseSome, isWord, pieces } from './text-tools.js';

/** The character family: disguises that keep every word in place but change how its characters look. */

/** Spacing and casing noise: SHOUTED, aLtErNaTeD or s p a c e d words, doubled spaces. */
export const noise = defineMutation({
  id: 'noise',
  family: 'character',
  apply(text, rng) {
    const parts = pieces(text);
    const slots = parts.map((p, i) => (isWord(p) && p.length >= 3 ? i : -1)).filter((i) => i >= 0);
    const touch = chooseSome(slots.length, 0.3, rng);
    slots.forEach((i, k) => {
      if (!touch[k]) return;
      const w = parts[i] as string;
      const op = rng.int(0, 5);
      if (op === 0) parts[i] = w.toUpperCase();
      else if (op === 1) parts[i] = [...w].map((c, j) => (j % 2 ? c.toUpperCase() : c.toLowerCase())).join('');
      else if (op === 2 && w.length <= 12) parts[i] = [...w].join(' ');
      else if (op === 3 && w.length <= 12) parts[i] = [...w].join(rng.pick(['.', '-', '_']));
      else if (op === 4) parts[i] = `${w}${rng.pick(['  ', '   ', ' \t'])}`;
      else parts[i] = w.charAt(0).toUpperCase() === w.charAt(0) ? w.toLowerCase() : w.toUpperCase();
    });
    const out = parts.join('');
    return out === text ? `${text}  ` : out;
  },
});

/** Swaps letters for look-alike digits and symbols: "ignore" → "1gn0r3". */
export const leetspeak = defineMutation({
  id: 'leetspeak',
  family: 'character',
  apply: (text, rng) => substitute(text, LEET, 0.55, rng, true),
});

/** Swaps Latin letters for Cyrillic and Greek look-alikes: "ignore" → "іgnоrе". */
export const homoglyphs = defineMutation({
  id: 'homoglyphs',
  family: 'character',
  apply: (text, rng) => substitute(text, HOMOGLYPHS, 0.45, rng, false),
});

/** Hides zero-width characters (U+200B, U+200C, U+2060) inside words, breaking keyword matches. */
export const zeroWidth = defineMutation({
  id: 'zero_width',
  family: 'character',
  apply(text, rng) {
    const parts = pieces(text);
    const slots = parts.map((p, i) => (isWord(p) && p.length >= 4 ? i : -1)).filter((i) => i >= 0);
    const touch = chooseSome(slots.length, 0.55, rng);
    slots.forEach((i, k) => {
      if (!touch[k]) return;
      const w = parts[i] as string;
      const cuts = w.length >= 8 ? 2 : 1;
      let out = w;
      for (let c = 0; c < cuts; c++) {
        const at = rng.int(1, out.length - 1);
        out = out.slice(0, at) + rng.pick(ZERO_WIDTH) + out.slice(at);
      }
      parts[i] = out;
    });
    if (slots.length === 0) return `${rng.pick(ZERO_WIDTH)}${text}`;
    return parts.join('');
  },
});

/**
 * Replaces characters that have entries in `table` (ASCII keys), each with probability `p` and at
 * least one. Works on UTF-16 code units: only ASCII letters are touched, so surrogate pairs stay whole.
 */
function substitute(text: string, table: Readonly<Record<string, readonly string[]>>, p: number, rng: Rng, foldCase: boolean): string {
  const slots: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128) continue;
    const ch = text.charAt(i);
    if (table[foldCase ? ch.toLowerCase() : ch] !== undefined) slots.push(i);
  }
  if (slots.length === 0) return text;
  const touch = chooseSome(slots.length, p, rng);
  const parts: string[] = [];
  let from = 0;
  slots.forEach((i, k) => {
    if (!touch[k]) return;
    const ch = text.charAt(i);
    parts.push(text.slice(from, i), rng.pick(table[foldCase ? ch.toLowerCase() : ch] as readonly string[]));
    from = i + 1;
  });
  parts.push(text.slice(from));
  return parts.join('');
}
