/**
 * Untrusted text (attacks, model answers) made safe for a terminal: C0/C1 control characters
 * (ESC included, so no ANSI/OSC sequence survives), bidi overrides and lone surrogates are shown
 * escaped as \xNN / \u{NNNN}; tabs and newlines become spaces unless `keepNewlines`.
 */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function neutralize(text: string, opts: { keepNewlines?: boolean; max?: number } = {}): string {
  let t = opts.max !== undefined && text.length > opts.max ? `${text.slice(0, opts.max)}…` : text;
  if (!opts.keepNewlines) t = t.replace(/[\t\n]/g, ' ');
  else t = t.replace(/\t/g, ' ');
  return t.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}

/** One line of untrusted text, at most `max` characters. */
export function preview(text: string, max = 80): string {
  return neutralize(text.replace(/\s+/g, ' ').trim(), { max });
}
