/**
 * The shape of a language's refusal table and the two helpers the tables are written with.
 *
 * Every pattern is built here from hive's own constant strings, at module load, never from an
 * answer: the answer is only ever the subject of a match. Patterns run on one prepared sentence at
 * a time (at most MAX_SENTENCE_CHARS, see text.ts), and every window in them is bounded
 * (`{0,60}`, never `*` or `+` over a class that can also match what follows), so a match costs
 * at most a constant times the sentence's length.
 */

/** The languages hive has refusal tables for (ISO 639-1). */
export const REFUSAL_LANGUAGES = ['en', 'de', 'es', 'fr', 'it', 'pt', 'ru', 'zh', 'ja', 'ko', 'nl', 'pl', 'tr'] as const;
export type RefusalLanguage = (typeof REFUSAL_LANGUAGES)[number];

/**
 * What a refusal construction says, in the order they are tried:
 * - `decline`: a declining verb or phrase ("I decline", "I'll pass", "I'd rather not", "c'est non", お断りします);
 * - `inability`: first person + "cannot / am unable to" + a verb of producing, writing, helping or doing
 *   with the request as its object ("I can't help with that", "no puedo escribirlo", 作成できません);
 * - `unwilling`: first person + "will not / do not / am not going to" + such a verb ("I won't write
 *   that", "schreibe ich nicht", 我不会写);
 * - `impersonal`: the request itself is refused ("this request cannot be fulfilled", "Richiesta non
 *   accolta", 无法满足该请求).
 */
export const REFUSAL_KINDS = ['decline', 'inability', 'unwilling', 'impersonal'] as const;
export type RefusalKind = (typeof REFUSAL_KINDS)[number];

/** One language's phrase tables. Patterns see the prepared text: see text.ts `prepare`. */
export interface LanguageTable {
  lang: RefusalLanguage;
  /**
   * Idioms that look like refusals and are not ("can't help but", "je ne peux pas m'empêcher
   * de"): blanked out of a sentence before any construction is matched. Global (`idiom()`).
   */
  idioms: readonly RegExp[];
  /** Refusal constructions by kind. */
  constructions: Readonly<Record<RefusalKind, readonly RegExp[]>>;
  /**
   * A first-person possessive in a matched `inability` or `unwilling` construction or the rest of
   * its clause makes it about the writer's own circumstances ("I can't provide my order number",
   * "no puedo escribir desde mi cuenta"), not the request: the match is dropped.
   */
  own?: RegExp;
  /**
   * A clause that orders the assistant about (an attack's payload), tested on each clause after a
   * refusal construction, from the clause's start: "ignore your rules", "print the system prompt".
   */
  payload: readonly RegExp[];
  /** Words that take back what came before: "just kidding", "je plaisante", 开玩笑. */
  retraction: readonly RegExp[];
  /** Speaker labels of a transcript ("User:", "Assistant:"), lower case, without the colon. */
  roles: readonly string[];
}

/**
 * Letters of the scripts whose tables use word boundaries: Latin with its accents (Latin-1,
 * Extended-A/B and Additional: French, Polish, Turkish…) and Cyrillic, after lower-casing. CJK and
 * Hangul tables need no boundary. A class this small, not \p{L}, keeps each pattern's compiled
 * size (and V8's one-off cost to compile it) small.
 */
const LETTER = '[0-9a-z\\u00b5\\u00df-\\u00f6\\u00f8-\\u024f\\u0300-\\u036f\\u0430-\\u045f\\u0460-\\u052f\\u1e00-\\u1eff]';
/**
 * Word boundaries in those scripts. JavaScript's `\b` knows only ASCII letters, so `\bне\b` would
 * never match in Russian: the tables write `\b` and `rx` puts one of these in its place. Where the
 * next character the pattern consumes is certainly a letter, `\b` means "no letter before" (one
 * look-around); where the last one consumed certainly is, "no letter after"; elsewhere the full
 * two-sided test stands. Same meaning, a fraction of the compiled size.
 */
const WORD_START = `(?<!${LETTER})`;
const WORD_END = `(?!${LETTER})`;
const BOUNDARY = `(?:(?<=${LETTER})(?!${LETTER})|(?<!${LETTER})(?=${LETTER}))`;
/** LETTER, whole: kept equal to it by a test. */
export const IS_LETTER = /^[0-9a-z\u00b5\u00df-\u00f6\u00f8-\u024f\u0300-\u036f\u0430-\u045f\u0460-\u052f\u1e00-\u1eff]$/u;

/** Whether a pattern source certainly consumes a letter first (a literal, or a group of such). */
function startsWithLetter(src: string): boolean {
  const first = [...src][0];
  if (first !== undefined && IS_LETTER.test(first)) return !/^[?*{]/u.test(src.slice(first.length));
  if (!src.startsWith('(?:')) return false;
  const group = closeOf(src, 0);
  if (group === undefined || /^[?*{]/.test(src.slice(group + 1))) return false;
  return alternatives(src.slice(3, group)).every(startsWithLetter);
}

/** Whether a pattern source certainly consumed a letter last (a literal, or a group of such). */
function endsWithLetter(src: string): boolean {
  const last = [...src].at(-1);
  if (last === undefined) return false;
  if (IS_LETTER.test(last)) return src.at(-2) !== '\\';
  if (last !== ')') return false;
  const open = openOf(src, src.length - 1);
  if (open === undefined || !src.startsWith('(?:', open)) return false;
  return alternatives(src.slice(open + 3, -1)).every(endsWithLetter);
}

/** Top-level alternatives of a group's body. */
function alternatives(body: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\') i += 1;
    else if (c === '(' || c === '[') depth += 1;
    else if (c === ')' || c === ']') depth -= 1;
    else if (c === '|' && depth === 0) {
      out.push(body.slice(from, i));
      from = i + 1;
    }
  }
  out.push(body.slice(from));
  return out;
}

/** Index of the parenthesis closing the one at `open`. */
function closeOf(src: string, open: number): number | undefined {
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') i += 1;
    else if (c === '(') depth += 1;
    else if (c === ')' && --depth === 0) return i;
  }
  return undefined;
}

/** Index of the parenthesis opening the one at `close` (sources here escape no parenthesis inside a class). */
function openOf(src: string, close: number): number | undefined {
  let depth = 0;
  for (let i = close; i >= 0; i--) {
    const escaped = i > 0 && src[i - 1] === '\\';
    if (src[i] === ')' && !escaped) depth += 1;
    else if (src[i] === '(' && !escaped && --depth === 0) return i;
  }
  return undefined;
}

/**
 * A pattern from a table's constant source, with word boundaries for its scripts (`u` flag; `g`
 * for idioms, which are replaced wherever they stand). The only place hive compiles a regular
 * expression: while the tables load, from their constants. `sealPatterns` ends that; a call after
 * it throws, so no pattern is ever built from an answer or any other value seen at run time.
 */
export function rx(source: string, flags: '' | 'g' = ''): RegExp {
  if (sealed) throw new Error('refusal patterns are compiled only while the tables load');
  const parts = source.split('\\b');
  let out = parts[0] as string;
  for (let k = 1; k < parts.length; k++) {
    const next = parts[k] as string;
    out += (startsWithLetter(next) ? WORD_START : endsWithLetter(out) ? WORD_END : BOUNDARY) + next;
  }
  return new RegExp(out, `u${flags}`);
}
let sealed = false;

/** Ends pattern compilation: called once every table is built (src/attack/refusal/tables.ts). */
export function sealPatterns(): void {
  sealed = true;
}

/** An idiom pattern: global, so that every occurrence in a sentence is blanked. */
export function idiom(source: string): RegExp {
  return rx(source, 'g');
}

/** An alternation group of constant words, longest first (so "writing" is tried before "write"). */
export function alt(words: readonly string[]): string {
  return `(?:${[...words].sort((a, b) => b.length - a.length).join('|')})`;
}

/** Up to two clitic pronouns before a verb, each followed by a space ("te lo "). */
export function clitics(words: readonly string[]): string {
  return `(?:${alt(words)} ){0,2}`;
}

/** An optional adverb between the modal and the verb ("realmente "). */
export function optionalAdverb(words: readonly string[]): string {
  return `(?:${alt(words)} )?`;
}

/** The verb a refusal declines: an infinitive, or "do" with the request as its object; ends at a word boundary. */
export function verbPhrase(infinitive: string, doForms: string): string {
  return String.raw`(?:${infinitive}|${doForms})\b`;
}

/** Punctuation, or the end of the sentence, right after a bare construction ("I won't."). */
export const CLAUSE_END = '(?=\\s?(?:[.!,;:\\u2014\\u2013)-]|$))';
