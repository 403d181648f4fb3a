import { defineMutation } from './mutation.js';
import { SYNONYM_GROUPS } from './phrases/synonyms.js';
import { chooseSome, isWord, matchCase, pieces } from './text-tools.js';

/** Lower-case single word → the other words of its group (the first group a word appears in wins). */
const SYNONYMS: ReadonlyMap<string, readonly string[]> = (() => {
  const map = new Map<string, string[]>();
  for (const group of SYNONYM_GROUPS) {
    for (const word of group) {
      if (word.includes(' ') || map.has(word.toLowerCase())) continue;
      map.set(word.toLowerCase(), group.filter((w) => w !== word));
    }
  }
  return map;
})();

/** Paraphrase: swaps attack-relevant words for synonyms from a fixed table, keeping their case. */
export const synonym = defineMutation({
  id: 'synonym',
  family: 'paraphrase',
  apply(text, rng) {
    const parts = pieces(text);
    const slots = parts.map((p, i) => (isWord(p) && SYNONYMS.has(p.toLowerCase()) ? i : -1)).filter((i) => i >= 0);
    const touch = chooseSome(slots.length, 0.6, rng);
    slots.forEach((i, k) => {
      if (!touch[k]) return;
      const word = parts[i] as string;
      parts[i] = matchCase(word, rng.pick(SYNONYMS.get(word.toLowerCase()) as readonly string[]));
    });
    return parts.join('');
  },
});
