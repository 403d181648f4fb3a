import { defineMutation } from './mutation.js';
import { LANGUAGES } from './phrases/languages.js';
import { isWord, matchCase, pieces } from './text-tools.js';

/** Mixes in another language: key words swapped from a phrase table, framed by phrases in that language. */
export const language = defineMutation({
  id: 'language',
  family: 'language',
  apply(text, rng) {
    const lang = rng.pick(LANGUAGES);
    const parts = pieces(text);
    const slots = parts.map((p, i) => (isWord(p) && lang.words[p.toLowerCase()] !== undefined ? i : -1)).filter((i) => i >= 0);
    const touch = slots.map(() => rng.chance(0.6));
    slots.forEach((i, k) => {
      if (touch[k]) parts[i] = matchCase(parts[i] as string, lang.words[(parts[i] as string).toLowerCase()] as string);
    });
    const body = parts.join('');
    const intro = rng.chance(0.7) ? `${rng.pick(lang.intros)} ` : '';
    const outro = intro === '' || rng.chance(0.5) ? ` ${rng.pick(lang.outros)}` : '';
    return `${intro}${body}${outro}`;
  },
});
