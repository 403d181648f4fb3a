/**
 * Shared text handling of the embedded detectors. Inputs are untrusted: everything here is linear
 * in the input size, caps its work on huge inputs, uses only fixed regular expressions written in
 * this file, and never throws on odd Unicode (lone surrogates, NUL, bidi overrides, ANSI escapes).
 */

/** Characters analysed from the start of an input. */
export const HEAD_CHARS = 64 * 1024;
/** Beyond the head, this many evenly spaced windows of WINDOW_CHARS are sampled. */
const SAMPLE_WINDOWS = 8;
const WINDOW_CHARS = 1024;

/** The first 64 KiB of `text` plus an evenly spaced sample of the rest. */
export function clipInput(text: string): string {
  if (text.length <= HEAD_CHARS + SAMPLE_WINDOWS * WINDOW_CHARS) return text;
  const parts = [text.slice(0, HEAD_CHARS)];
  const rest = text.length - HEAD_CHARS;
  const step = Math.floor(rest / SAMPLE_WINDOWS);
  for (let i = 0; i < SAMPLE_WINDOWS; i++) {
    const from = HEAD_CHARS + i * step;
    parts.push(text.slice(from, from + WINDOW_CHARS));
  }
  return parts.join('\n');
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** CSI and OSC escape sequences, then any other ESC + one char. Classes are disjoint: no backtracking blow-up. */
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]{0,512}(?:\u0007|\u001b\\)?|\u001b./g;
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/** Clipped, well-formed text without terminal escapes or control characters (tabs and newlines kept). */
export function sanitize(text: string): string {
  let t = clipInput(text);
  t = t.replace(LONE_SURROGATE, '\ufffd');
  if (t.includes('\u001b')) t = t.replace(ANSI, ' ');
  return t.replace(CONTROL, ' ');
}

const APOSTROPHES = /['\u2019\u02bc`]/g;

/** NFKC, lower case, apostrophes removed ("don't" → "dont"). Zero-width characters are kept. */
export function lowerForm(raw: string): string {
  return raw.normalize('NFKC').toLowerCase().replace(APOSTROPHES, '');
}

/** Invisible format characters: zero-width, joiners, bidi controls, soft hyphen, BOM. */
export function isInvisible(c: number): boolean {
  return (
    c === 0x00ad ||
    c === 0x180e ||
    (c >= 0x200b && c <= 0x200f) ||
    (c >= 0x202a && c <= 0x202e) ||
    (c >= 0x2060 && c <= 0x2064) ||
    (c >= 0x2066 && c <= 0x206f) ||
    c === 0xfeff
  );
}

export function isBidiControl(c: number): boolean {
  return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c === 0x200e || c === 0x200f;
}

/** Lower-case Cyrillic and Greek look-alikes of Latin letters (after lower-casing). */
const CONFUSABLES: ReadonlyMap<number, string> = new Map(
  Object.entries({
    '\u0430': 'a', '\u03b1': 'a', '\u0432': 'b', '\u03b2': 'b', '\u0441': 'c', '\u03f2': 'c', '\u0435': 'e', '\u03b5': 'e',
    '\u0456': 'i', '\u03b9': 'i', '\u0458': 'j', '\u043a': 'k', '\u03ba': 'k', '\u043c': 'm', '\u03bc': 'm', '\u043d': 'h',
    '\u04bb': 'h', '\u03b7': 'n', '\u03bd': 'v', '\u043e': 'o', '\u03bf': 'o', '\u0440': 'p', '\u03c1': 'p', '\u0455': 's',
    '\u0442': 't', '\u03c4': 't', '\u0445': 'x', '\u03c7': 'x', '\u0443': 'y', '\u03b3': 'y', '\u04af': 'y', '\u03c5': 'u',
    '\u0501': 'd', '\u0261': 'g', '\u0131': 'i', '\u0251': 'a',
  }).map(([k, v]) => [k.charCodeAt(0), v]),
);

export interface FoldStats {
  invisible: number;
  bidi: number;
  confusables: number;
}

/** Memo of "is this BMP character part of a word" for non-ASCII characters: 0 unknown, 1 yes, 2 no. */
const WORD_CHAR = new Uint8Array(0x10000);
const LETTER_OR_NUMBER = /[\p{L}\p{N}\p{M}]/u;

function isWordCharNonAscii(c: number): boolean {
  let v = WORD_CHAR[c] as number;
  if (v === 0) {
    v = c >= 0xd800 && c <= 0xdfff ? 1 : LETTER_OR_NUMBER.test(String.fromCharCode(c)) ? 1 : 2;
    WORD_CHAR[c] = v;
  }
  return v === 1;
}

function isAsciiWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90);
}

/**
 * Words of a lower-case form: runs of letters and digits (any script). With `fold`, invisible
 * characters are dropped inside words instead of splitting them, and @ and $ stay inside words
 * (leetspeak); `stats` counts what was seen.
 */
function scanWords(lower: string, fold: boolean, stats?: FoldStats): string[] {
  const out: string[] = [];
  let cur = '';
  let from = -1;
  const n = lower.length;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? lower.charCodeAt(i) : 32;
    let word: boolean;
    if (c < 128) word = isAsciiWordChar(c) || (fold && (c === 64 || c === 36));
    else if (isInvisible(c)) {
      if (stats) {
        stats.invisible++;
        if (isBidiControl(c)) stats.bidi++;
      }
      if (fold) {
        // Drop it, keep the word going.
        if (from >= 0) {
          cur += lower.slice(from, i);
          from = i + 1;
        }
        continue;
      }
      word = false;
    } else {
      word = isWordCharNonAscii(c);
      if (word && stats && CONFUSABLES.has(c)) stats.confusables++;
    }
    if (word) {
      if (from < 0) from = i;
    } else if (from >= 0 || cur !== '') {
      const w = cur + (from >= 0 ? lower.slice(from, i) : '');
      if (w !== '') out.push(w);
      cur = '';
      from = -1;
    }
  }
  return out;
}

/**
 * Maps look-alikes to Latin in a word that mixes scripts, or whose non-Latin letters are all
 * look-alikes; whole words in Russian or Greek stay as they are.
 */
export function foldHomoglyphs(word: string): string {
  let latin = false;
  let allConfusable = true;
  let other = false;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c < 0x80) {
      if (isAsciiLetter(c)) latin = true;
    } else {
      other = true;
      if (!CONFUSABLES.has(c)) allConfusable = false;
    }
  }
  if (!other || (!latin && !allConfusable)) return word;
  let out = '';
  for (let i = 0; i < word.length; i++) {
    const ch = word.charAt(i);
    out += CONFUSABLES.get(word.charCodeAt(i)) ?? ch;
  }
  return out;
}

/** ASCII only, and no @ or $ (which leetspeak folding keeps inside words). */
export function isPlainAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || c === 64 || c === 36) return false;
  }
  return true;
}

function hasDigit(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}

/** Words of a lower-case form (letters and digits of any script). */
export function words(lower: string): string[] {
  return scanWords(lower, false);
}

/**
 * A light suffix stripper, applied the same way to pattern words and input words, so that
 * "ignore", "ignored", "ignores", "ignoring" all meet at "ignor".
 */
export function stem(w: string): string {
  if (w.length <= 3) return w;
  let s = w;
  if (s.endsWith('ies') && s.length > 4) return `${s.slice(0, -3)}y`;
  if (s.endsWith('ing') && s.length > 5) s = s.slice(0, -3);
  else if (s.endsWith('ed') && s.length > 4) s = s.slice(0, -2);
  else if (s.endsWith('es') && s.length > 4) s = s.slice(0, -2);
  else if (s.endsWith('s') && !s.endsWith('ss') && s.length > 3) s = s.slice(0, -1);
  if (s.endsWith('e') && s.length > 3) s = s.slice(0, -1);
  return s;
}

/** Leetspeak digit/symbol → letter code, by ASCII code (0: not leet). */
const LEET_CODE = (() => {
  const t = new Uint8Array(128);
  const map: Record<string, string> = { '4': 'a', '@': 'a', '3': 'e', '1': 'i', '0': 'o', '5': 's', $: 's', '7': 't', '9': 'g', '8': 'b' };
  for (const [k, v] of Object.entries(map)) t[k.charCodeAt(0)] = v.charCodeAt(0);
  return t;
})();

function isAsciiLetter(c: number): boolean {
  return c >= 97 && c <= 122;
}

/** The id every all-digit token gets. */
export const NUM_ID = 0;

/**
 * Interns stems of the words our patterns use. Input words map to an id (or -1 when no pattern
 * uses them). Lookups are memoised, with a bounded memo.
 */
export class Lexicon {
  private readonly ids = new Map<string, number>([['#', NUM_ID]]);
  private readonly memo = new Map<string, number>();
  private frozen = false;

  /** Id of a pattern word; adds it while the lexicon is being built. */
  intern(word: string): number {
    if (word === '#' || /^\d+$/.test(word)) return NUM_ID;
    const s = stem(word);
    let id = this.ids.get(s);
    if (id === undefined) {
      if (this.frozen) throw new Error(`lexicon is frozen; cannot add "${word}"`);
      id = this.ids.size;
      this.ids.set(s, id);
      this.memo.clear();
    }
    return id;
  }

  freeze(): void {
    this.frozen = true;
  }

  get size(): number {
    return this.ids.size;
  }

  idOf(word: string): number {
    const m = this.memo.get(word);
    if (m !== undefined) return m;
    let id: number;
    const c = word.charCodeAt(0);
    if (c >= 48 && c <= 57 && /^\d{1,12}(?:st|nd|rd|th|k|m)?$/.test(word)) id = NUM_ID;
    else id = this.ids.get(stem(word)) ?? -1;
    if (this.memo.size > 50_000) this.memo.clear();
    this.memo.set(word, id);
    return id;
  }

  has(word: string): boolean {
    return this.idOf(word) > NUM_ID;
  }

  idsOf(tokens: readonly string[]): Int32Array {
    const out = new Int32Array(tokens.length);
    for (let i = 0; i < tokens.length; i++) out[i] = this.idOf(tokens[i] as string);
    return out;
  }
}

export interface DeepFold {
  /** Tokens after folding look-alikes, removing invisibles, undoing leetspeak and s p a c e d letters. */
  tokens: string[];
  stats: FoldStats & { leetTokens: number; spacedRuns: number };
}

/**
 * The deobfuscated token stream: invisible characters removed, homoglyphs folded, leetspeak
 * undone (preferring a reading our patterns know), single letters separated by spaces or dots
 * joined back into words.
 */
export function deepFold(lower: string, lexicon: Lexicon, plainWords?: readonly string[]): DeepFold {
  const stats: FoldStats = { invisible: 0, bidi: 0, confusables: 0 };
  // Without non-ASCII characters, @ or $, folding splits words exactly as words() does; without
  // digits either, only s p a c e d words can remain to be undone.
  const plain = plainWords !== undefined && isPlainAscii(lower);
  if (plain && !hasDigit(lower)) {
    let singles = 0;
    let spaced = false;
    for (const w of plainWords) {
      singles = w.length === 1 ? singles + 1 : 0;
      if (singles >= 3) spaced = true;
    }
    if (!spaced) return { tokens: plainWords as string[], stats: { ...stats, leetTokens: 0, spacedRuns: 0 } };
  }
  const raw = plain ? (plainWords as readonly string[]) : scanWords(lower, true, stats);
  const tokens: string[] = [];
  let leetTokens = 0;
  let spacedRuns = 0;
  let changed = false;
  let singles = 0;
  let maxSingles = 0;
  for (const t0 of raw) {
    let plain = true;
    let letters = 0;
    let leet = 0;
    let nonAscii = false;
    for (let i = 0; i < t0.length; i++) {
      const c = t0.charCodeAt(i);
      if (c >= 97 && c <= 122) letters++;
      else if (c >= 128) {
        nonAscii = true;
        letters++;
      } else {
        plain = false;
        if (LEET_CODE[c] !== 0) leet++;
      }
    }
    if (t0.length === 1 && letters === 1) maxSingles = Math.max(maxSingles, ++singles);
    else singles = 0;
    if (plain && !nonAscii) {
      tokens.push(t0);
      continue;
    }
    const tok = nonAscii ? foldHomoglyphs(t0) : t0;
    if (letters > 0 && leet > 0 && tok.length >= 3) {
      let a = '';
      let b = '';
      for (let i = 0; i < tok.length; i++) {
        const c = tok.charCodeAt(i);
        const m = c < 128 ? (LEET_CODE[c] as number) : 0;
        const ch = m !== 0 ? String.fromCharCode(m) : tok.charAt(i);
        a += ch;
        b += c === 49 ? 'l' : ch;
      }
      const pick = lexicon.has(a) ? a : lexicon.has(b) ? b : a;
      if (lexicon.has(pick)) leetTokens++;
      tokens.push(pick);
      changed = true;
    } else if (tok.includes('@') || tok.includes('$')) {
      for (const part of tok.split(/[@$]+/)) if (part) tokens.push(part);
      changed = true;
    } else {
      if (tok !== t0) changed = true;
      tokens.push(tok);
    }
  }
  // Nothing to fold and no s p a c e d words: the very same token array comes back.
  if (!changed && maxSingles < 3) return { tokens: raw === plainWords ? (plainWords as string[]) : tokens, stats: { ...stats, leetTokens, spacedRuns } };
  // Join runs of three or more single letters: "i g n o r e" → "ignore".
  const joined: string[] = [];
  for (let i = 0; i < tokens.length; ) {
    const t = tokens[i] as string;
    if (t.length === 1 && isAsciiLetter(t.charCodeAt(0))) {
      let j = i;
      let w = '';
      while (j < tokens.length && (tokens[j] as string).length === 1 && isAsciiLetter((tokens[j] as string).charCodeAt(0))) {
        w += tokens[j] as string;
        j++;
      }
      if (j - i >= 3) {
        joined.push(w);
        spacedRuns++;
        i = j;
        continue;
      }
    }
    joined.push(t);
    i++;
  }
  return { tokens: joined, stats: { ...stats, leetTokens, spacedRuns } };
}

/** Characters of the Cyrillic (U+0400–U+04FF) or Greek (U+0370–U+03FF) blocks. */
function isCyrGreek(c: number): boolean {
  return c >= 0x370 && c <= 0x4ff;
}

/** Words that mix Latin letters with Cyrillic or Greek ones: a strong homoglyph sign. */
export function mixedScriptWords(lower: string): number {
  let count = 0;
  let latin = false;
  let other = false;
  for (let i = 0; i <= lower.length; i++) {
    const c = i < lower.length ? lower.charCodeAt(i) : 32;
    if (isAsciiLetter(c)) latin = true;
    else if (isCyrGreek(c)) other = true;
    else if (isInvisible(c)) continue;
    else {
      if (latin && other) count++;
      latin = false;
      other = false;
    }
  }
  return count;
}

/** Trims a text for a reason line: one line, at most `n` characters, no control characters. */
export function snippet(text: string, n = 60): string {
  const one = sanitize(text.slice(0, n * 4)).replace(/\s+/g, ' ').trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}

const TLDS = new Set(['com', 'net', 'org', 'io', 'dev', 'app', 'co', 'ai', 'info', 'biz', 'xyz', 'ru', 'cn', 'de', 'uk', 'fr', 'me', 'cc', 'tk', 'top', 'site', 'online', 'example', 'local', 'internal', 'corp', 'sh', 'gg', 'ly', 'to']);
const TRAILING_PUNCT = new Set(['.', ',', ';', ':', '!', '?', ')', ']', '}', "'", '"', '`', '>']);

function trimTrailingPunct(s: string): string {
  let end = s.length;
  while (end > 0 && TRAILING_PUNCT.has(s.charAt(end - 1))) end--;
  return s.slice(0, end);
}

/** Whether a dot stands between a letter or digit and a letter ("example.net", "https://x.y"). */
function hasDottedName(s: string): boolean {
  let i = s.indexOf('.');
  while (i >= 0) {
    if (i > 0 && i + 1 < s.length) {
      const a = s.charCodeAt(i - 1);
      const b = s.charCodeAt(i + 1);
      if (((a >= 97 && a <= 122) || (a >= 48 && a <= 57)) && b >= 97 && b <= 122) return true;
    }
    i = s.indexOf('.', i + 1);
  }
  return false;
}

/**
 * Replaces URLs, e-mail addresses and host names by placeholders, so that the statistical
 * detectors learn "a link is here" rather than particular (placeholder) domain names.
 */
export function maskLinks(lower: string): string {
  if (!lower.includes('@') && !hasDottedName(lower)) return lower;
  const parts = lower.split(/(\s+)/);
  let changed = false;
  for (let i = 0; i < parts.length; i += 2) {
    const tok = parts[i] as string;
    if (tok.length < 4) continue;
    let rep: string | undefined;
    if (tok.includes('://') || tok.startsWith('www.')) rep = '<url>';
    else if (tok.includes('@') && tok.indexOf('.', tok.indexOf('@')) > 0) rep = '<email>';
    else {
      const t = trimTrailingPunct(tok);
      const dot = t.lastIndexOf('.');
      if (dot > 0 && TLDS.has(t.slice(dot + 1)) && /^[a-z0-9][a-z0-9.-]*$/.test(t.slice(0, dot))) rep = '<host>';
    }
    if (rep !== undefined) {
      const lead = tok.match(/^[("'`<[{]+/)?.[0] ?? '';
      parts[i] = `${lead}${rep}`;
      changed = true;
    }
  }
  return changed ? parts.join('') : lower;
}
