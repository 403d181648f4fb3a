/**
 * Preparing an answer for the refusal tables: the bounded prefix that is examined, the writer's
 * own words (quotations of the request and blockquotes taken out), a normal form the tables are
 * written for, and its sentences and clauses. Linear in the examined length: every step is one
 * pass or a regular expression without nested unbounded repetition.
 */

/**
 * Characters of an answer that are examined at all; the rest is never read. A refusal says so at
 * the start, and this bound is what keeps a 64 KiB (or 10 MB) answer cheap.
 */
export const MAX_EXAMINED_CHARS = 4096;
/** A refusal construction counts only in one of the first sentences (a heading is one)… */
export const REFUSAL_SENTENCES = 4;
/** …that starts within this many characters of the writer's own text. */
export const REFUSAL_WINDOW_CHARS = 600;
/** A longer sentence is cut into pieces of this size before the tables see it. */
export const MAX_SENTENCE_CHARS = 400;
/** A quotation longer than this (or running over a line end) is taken for a stray quote mark. */
const MAX_QUOTE_CHARS = 400;

/** Opening quote marks and the marks that close them. */
const CLOSERS: Readonly<Record<string, string>> = {
  '"': '"',
  '\u201c': '\u201d', // “ ”
  '\u201e': '\u201c\u201d', // „ “ (German) or „ ” (Polish)
  '\u00ab': '\u00bb', // « »
  '\u2039': '\u203a', // ‹ ›
  '\u300c': '\u300d', // 「 」
  '\u300e': '\u300f', // 『 』
};
const SINGLE_OPENERS = "'\u2018"; // ' ‘ — also apostrophes, so they need a non-letter before them
const SINGLE_CLOSERS = "'\u2019";
const LETTER = /[\p{L}\p{M}\p{N}]/u;

/** A quotation stands for itself: the request the writer repeats, a sentence it puts in the reader's mouth. */
const QUOTE_MARK = ' \u00a7 ';

/**
 * The text with quotations replaced by a mark: what a refusal quotes ("you asked for: '…ignore
 * your rules…'") is not its own voice, and neither is the refusal an attack tells the assistant
 * to say. A whole answer that is one quotation is unwrapped instead. Linear: where the next
 * closing mark and the next line end are is computed once, backwards.
 */
export function withoutQuotations(text: string): string {
  const whole = unwrapWhole(text);
  if (whole !== undefined) return whole;
  const chars = [...text];
  const nextBreak = nextIndex(chars, (k) => chars[k] === '\n');
  const closes = new Map<string, number[]>();
  const closerOf = (opener: string): number[] => {
    let next = closes.get(opener);
    if (next === undefined) {
      const set = CLOSERS[opener] ?? SINGLE_CLOSERS;
      const single = CLOSERS[opener] === undefined;
      // A closing single mark has no letter after it: "can't" has an apostrophe inside a word.
      next = nextIndex(chars, (k) => set.includes(chars[k] as string) && !(single && LETTER.test(chars[k + 1] ?? ' ')));
      closes.set(opener, next);
    }
    return next;
  };
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    const single = CLOSERS[c] === undefined && SINGLE_OPENERS.includes(c);
    const opens = CLOSERS[c] !== undefined || (single && !(i > 0 && LETTER.test(chars[i - 1] as string)));
    const end = opens ? (closerOf(c)[i + (single ? 2 : 1)] ?? Infinity) : Infinity;
    if (end < (nextBreak[i] ?? Infinity) && end - i <= MAX_QUOTE_CHARS) {
      out += QUOTE_MARK;
      i = end;
    } else {
      out += c;
    }
  }
  return out;
}

/** For each index, the first index at or after it where `is` holds (Infinity where none). */
function nextIndex(chars: readonly string[], is: (k: number) => boolean): number[] {
  const next = new Array<number>(chars.length + 2).fill(Infinity);
  for (let k = chars.length - 1; k >= 0; k--) next[k] = is(k) ? k : (next[k + 1] as number);
  return next;
}

function unwrapWhole(text: string): string | undefined {
  const t = text.trim();
  const open = t[0];
  if (open === undefined || t.length < 2) return undefined;
  const closers = CLOSERS[open] ?? (SINGLE_OPENERS.includes(open) ? SINGLE_CLOSERS : undefined);
  if (closers === undefined || !closers.includes(t[t.length - 1] as string)) return undefined;
  const inner = t.slice(1, -1);
  // "…" and "…" are two quotations, not one.
  return [...inner].some((ch) => ch === open || closers.includes(ch)) ? undefined : inner;
}

/**
 * The normal form the tables are written for: compatibility forms folded (full-width
 * punctuation, ligatures), lower case, straight apostrophes, ё as е, markdown emphasis, heading marks and list bullets removed, one space between words, lines kept.
 */
export function normalize(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\u0307/g, '') // "İ".toLowerCase() leaves a combining dot
    .replace(/[\u2018\u2019\u02bc\u2032`\u00b4]/g, "'")
    .replace(/ё/g, 'е')
    .replace(/\*+|__|~~/g, '')
    .replace(/^[ \t]*(?:#{1,6}|[-+•]|\d{1,2}[.)])[ \t]+/gm, '')
    .replace(/[ \t\u00a0\u3000]+/g, ' ');
}

/** A line that quotes (markdown `>`): the request repeated, not the writer's own words. */
function isBlockquote(line: string): boolean {
  return /^\s*>/.test(line);
}

/** Sentence ends: Latin ones before a space or the end, CJK ones anywhere, and line ends. */
const SENTENCE_END = /[.!?…]+(?=\s|$)|[。！？]+|\n+/g;

/** The sentences of a normalised text, each cut to MAX_SENTENCE_CHARS, with their start offsets. */
export function sentences(text: string): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  let start = 0;
  const push = (end: number): void => {
    const raw = text.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const s = raw.trim();
    for (let k = 0; k < s.length; k += MAX_SENTENCE_CHARS) {
      out.push({ text: s.slice(k, k + MAX_SENTENCE_CHARS), start: start + lead + k });
    }
  };
  for (const m of text.matchAll(SENTENCE_END)) {
    const end = (m.index ?? 0) + m[0].length;
    push(end);
    start = end;
  }
  push(text.length);
  return out;
}

/** Clauses of a stretch of text: what a payload pattern is tested on, from each clause's start. */
export function clauses(text: string): string[] {
  return text
    .split(/[.!?…。！？;:\n]+|\s[\u2014\u2013-]\s/)
    .map((c) => c.trim())
    .filter((c) => c !== '');
}

/** What the tables see: the examined prefix, its lines, and the writer's own text. */
export interface PreparedAnswer {
  /** Normalised lines of the examined prefix, quotations left in (for transcript labels). */
  lines: string[];
  /** The writer's own words, normalised: quotations and blockquotes out. */
  own: string;
}

/** Prepares the first MAX_EXAMINED_CHARS of an answer. */
export function prepare(answer: string): PreparedAnswer {
  const examined = answer.slice(0, MAX_EXAMINED_CHARS);
  const lines = normalize(examined).split('\n');
  const ownLines = withoutQuotations(examined)
    .split('\n')
    .filter((l) => !isBlockquote(l));
  return { lines, own: normalize(ownLines.join('\n')).trim() };
}
