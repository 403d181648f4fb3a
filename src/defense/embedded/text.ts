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
/** French and Italian elisions ("l'assistant", "dell'assistente"): the apostrophe separates two words. */
const ELISION = /\b(l|d|j|m|t|s|n|c|qu|dell|all|nell|sull|dall|un|quell|quest|ch)['\u2019\u02bc](?=[a-zà-ÿ])/g;

/**
 * NFKC, lower case, apostrophes removed ("don't" → "dont"), except after a French or Italian
 * elided article or pronoun, where they become a space ("l'assistant" → "l assistant").
 * Zero-width characters are kept.
 */
export function lowerForm(raw: string): string {
  const lower = raw.normalize('NFKC').toLowerCase();
  return (lower.includes("'") || lower.includes('\u2019') ? lower.replace(ELISION, '$1 ') : lower).replace(APOSTROPHES, '');
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
