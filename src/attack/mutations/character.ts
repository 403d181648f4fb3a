import type { Rng } from '../../util/random.js';
import { defineMutation } from './mutation.js';
import { HOMOGLYPHS, LEET, ZERO_WIDTH } from './phrases/look-alikes.js';
import { chooseSome, rewriteSomeWords } from './text-tools.js';

/** The character family: disguises that keep every word in place but change how its characters look. */

/** Spacing and casing noise: SHOUTED, aLtErNaTeD or s p a c e d words, doubled spaces. */
export const noise = defineMutation({
  id: 'noise',
  family: 'character',
  apply(text, rng) {
    const out = rewriteSomeWords(text, 0.3, rng, (w) => w.length >= 3, (w) => {
      const op = rng.int(0, 5);
      if (op === 0) return w.toUpperCase();
      if (op === 1) return [...w].map((c, j) => (j % 2 ? c.toUpperCase() : c.toLowerCase())).join('');
      if (op === 2 && w.length <= 12) return [...w].join(' ');
      if (op === 3 && w.length <= 12) return [...w].join(rng.pick(['.', '-', '_']));
      if (op === 4) return `${w}${rng.pick(['  ', '   ', ' \t'])}`;
      return w.charAt(0).toUpperCase() === w.charAt(0) ? w.toLowerCase() : w.toUpperCase();
    }).text;
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
    const out = rewriteSomeWords(text, 0.55, rng, (w) => w.length >= 4, (w) => {
      let cut = w;
      for (let c = w.length >= 8 ? 2 : 1; c > 0; c--) {
        const at = rng.int(1, cut.length - 1);
        cut = cut.slice(0, at) + rng.pick(ZERO_WIDTH) + cut.slice(at);
      }
      return cut;
    });
    return out.eligible === 0 ? `${rng.pick(ZERO_WIDTH)}${text}` : out.text;
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
