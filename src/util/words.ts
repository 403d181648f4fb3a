/**
 * Words that agree with what they count or precede, for every message hive prints: one helper
 * for plurals ("1 attack", "3 attacks") and one for articles ("a replay", "an eval").
 */

/** A count and its noun, agreeing in number: "1 problem", "3 problems", "2 antibodies". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The word with its indefinite article, by its first letter: "an eval", "a replay", "a wargame". */
export function withArticle(word: string): string {
  return `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`;
}
