import { createHash } from 'node:crypto';

/** Stored attack texts are capped; the full length and a truncated flag are kept. */
export const MAX_STORED_TEXT = 64 * 1024;
/** Reasons and raw answers of votes are capped harder: they are diagnostics. */
export const MAX_STORED_REASON = 2000;

/** Hex sha256 of a text's UTF-8 bytes: how the store identifies a text (`attacks.sha256`). */
export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** `text` cut to at most `max` UTF-16 units, never inside a surrogate pair. */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  // Never cut a surrogate pair in half: the stored text would end in a lone surrogate.
  const code = text.charCodeAt(max - 1);
  const end = code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
  return text.slice(0, end);
}

/** capText for nullable columns. */
export function capOrNull(text: string | null | undefined, max: number): string | null {
  return text === null || text === undefined ? null : capText(text, max);
}
