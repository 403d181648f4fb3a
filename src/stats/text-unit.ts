/**
 * The text as the unit (docs/numbers.md, "The text is the unit"): a repeated text is not new
 * evidence, so a rate over rounds that repeat texts gets the interval of Wilson with Kish's
 * effective sample size. This is the one place that turns a count of rounds and the repeats of
 * their texts into a rate; every figure whose denominator can repeat texts goes through it.
 */
import { clusteredWilson, wilson, type Rate } from './wilson.js';

/**
 * The texts behind one denominator: `rounds` = Σmᵢ, `texts` = how many distinct texts i, and
 * `squares` = Σmᵢ², where mᵢ is how many rounds of the denominator hold text i.
 */
export interface TextRepeats {
  rounds: number;
  texts: number;
  squares: number;
}

/** No rounds, no texts. */
export const NO_TEXTS: TextRepeats = { rounds: 0, texts: 0, squares: 0 };

/** Kish's design effect Σm² / Σm of the repeats: 1 when every text is distinct (or there are none). */
export function designEffectOf(t: TextRepeats): number {
  return t.rounds === 0 ? 1 : t.squares / t.rounds;
}

/** The repeats of a list of per-text round counts m (zeros ignored). */
export function repeatsOf(counts: Iterable<number>): TextRepeats {
  const t = { rounds: 0, texts: 0, squares: 0 };
  for (const m of counts) {
    if (m <= 0) continue;
    t.rounds += m;
    t.texts += 1;
    t.squares += m * m;
  }
  return t;
}

/**
 * k of n rounds as a rate whose interval takes the text as the unit: Wilson over k / deff and
 * n / deff, deff the design effect of `texts` (the repeats of the n rounds' texts). With every
 * text distinct (or `texts` undefined: repeats not counted) it is the plain Wilson interval.
 */
export function rateByText(k: number, n: number, texts: TextRepeats | undefined): Rate {
  const deff = texts === undefined ? 1 : designEffectOf(texts);
  return { k, n, rate: n > 0 ? k / n : null, ci: deff > 1 ? clusteredWilson(k, n, deff) : wilson(k, n) };
}
