/**
 * The layout of an input: is it a message to the assistant, or does it carry a document the
 * assistant is asked to work on (an email, a web page, a log, a chat transcript, a ticket)? And
 * its windows: short stretches (a paragraph, or a few lines or sentences of it) that the rule
 * detectors score one at a time in a document, so that words scattered over a long text never
 * add up to an attack, while one paragraph that talks to the assistant still stands out.
 *
 * Linear in the input: one pass over the characters for the boundaries, one over the words.
 */

/** A window: words [from, to) of the input's word list, and the paragraph it belongs to. */
export interface Window {
  from: number;
  to: number;
  /** Index of the paragraph (blank-line separated block): windows of one paragraph share it. */
  block: number;
}

export interface Layout {
  /** A document (or a request carrying one), rather than a short message. */
  document: boolean;
  windows: Window[];
}

/** Inputs with more words than this, or with more lines, are read as documents. */
const DOCUMENT_WORDS = 90;
const DOCUMENT_LINES = 6;
/** A window holds at most this many words. */
const WINDOW_WORDS = 60;

function lineCount(s: string): number {
  let lines = 1;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) lines++;
  return lines;
}

/** Boundary strength at each character: 1 after a line break or a sentence end, 2 at a blank line. */
function boundaries(raw: string): { at: Int32Array; strength: Uint8Array; count: number; lines: number } {
  const at = new Int32Array(Math.min(raw.length, 1 << 20) + 1);
  const strength = new Uint8Array(at.length);
  let count = 0;
  let lines = 1;
  let newlines = 0;
  for (let i = 0; i < raw.length && count < at.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 10) {
      lines++;
      newlines++;
      at[count] = i;
      strength[count++] = newlines >= 2 ? 2 : 1;
      continue;
    }
    if (c !== 32 && c !== 9 && c !== 13) newlines = 0;
    // Sentence ends: . ! ? followed by a space, and the CJK full stops.
    if (((c === 46 || c === 33 || c === 63) && (i + 1 >= raw.length || raw.charCodeAt(i + 1) === 32)) || c === 0x3002 || c === 0xff01 || c === 0xff1f) {
      at[count] = i;
      strength[count++] = 1;
    }
  }
  return { at, strength, count, lines };
}

/**
 * Whether `lower` is a message whatever its words: it has too few characters to hold enough of
 * them (each word starts at a character of its own). Spares reading the words of short texts.
 */
export function surelyMessage(lower: string): boolean {
  return lower.length <= 30 || (lower.length <= DOCUMENT_WORDS && lineCount(lower) <= DOCUMENT_LINES);
}

/**
 * The layout of the lower-case form `lower` whose words start at `offsets` (tokens.ts `words`).
 */
export function layoutOf(lower: string, offsets: readonly number[]): Layout {
  const n = offsets.length;
  const document = n > DOCUMENT_WORDS || (n > 30 && lineCount(lower) > DOCUMENT_LINES);
  if (!document) return { document, windows: [{ from: 0, to: n, block: 0 }] };
  const b = boundaries(lower);
  const windows: Window[] = [];
  let block = 0;
  let from = 0;
  let k = 0;
  for (let i = 1; i <= n; i++) {
    // The strongest boundary between word i-1 and word i.
    let s = 0;
    const pos = i < n ? (offsets[i] as number) : Number.MAX_SAFE_INTEGER;
    while (k < b.count && (b.at[k] as number) < pos) {
      if ((b.at[k] as number) >= (offsets[i - 1] as number)) s = Math.max(s, b.strength[k] as number);
      k++;
    }
    const size = i - from;
    if (i === n || s === 2 || size >= WINDOW_WORDS || (s === 1 && size >= WINDOW_WORDS / 2)) {
      windows.push({ from, to: i, block });
      from = i;
      if (s === 2) block++;
    }
  }
  return { document, windows };
}
