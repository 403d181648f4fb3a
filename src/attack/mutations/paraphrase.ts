import { defineMutation } from './mutation.js';
import { SYNONYM_GROUPS } from './phrases/synonyms.js';
import { matchCase, rewriteSomeWords } from './text-tools.js';

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
  apply: (text, rng) =>
    rewriteSomeWords(text, 0.6, rng, (word) => SYNONYMS.has(word.toLowerCase()), (word) =>
      matchCase(word, rng.pick(SYNONYMS.get(word.toLowerCase()) as readonly string[])),
    ).text,
});
