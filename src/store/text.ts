
/** Stored attack texts are capped; the full length and a truncated flag are kept. */
export const MAX_STORED_TEXT = 64 * 1024;
/** Reasons and raw answers of votes are capped harder: they are diagnostics. */
export const MAX_STORED_REASON = 2000;

/** `text` cut to at most `max` UTF-16 units, never inside a surrogate pair. */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  // Never cut a surrogate pair in half: the stored text would end in a lone surrogate.
  const end = isHighSurrogate(text.charCodeAt(max - 1)) ? max - 1 : max;
  return text.slice(0, end);
}

/** capText for nullable columns. */
export function capOrNull(text: string | null | undefined, max: number): string | null {
  return text === null || text === undefined ? null : capText(text, max);
}

/**
 * `text` cut to at most `max` UTF-16 units keeping its start and its end, with a marker in the
 * middle saying how much was cut: an instruction buried at the end of a long document must stay
 * in what is judged (a cut that keeps only the start lets it through unseen). Never cuts a
 * surrogate pair. `cut` is true when anything was taken out.
 */
export function keepEnds(text: string, max: number): { text: string; cut: boolean } {
  if (text.length <= max) return { text, cut: false };
  const marker = (n: number): string => `\n[… ${n} characters cut …]\n`;
  // The marker's own length depends on the count; the longest count it can show is text.length.
  const room = Math.max(0, max - marker(text.length).length);
  let head = Math.ceil(room / 2);
  let tail = room - head;
  if (isHighSurrogate(text.charCodeAt(head - 1))) head -= 1;
  if (tail > 0 && isLowSurrogate(text.charCodeAt(text.length - tail))) tail -= 1;
  const kept = text.slice(0, head) + marker(text.length - head - tail) + (tail > 0 ? text.slice(text.length - tail) : '');
  return { text: kept, cut: true };
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
