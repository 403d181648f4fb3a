/**
 * Character tables of the character family. Each maps a character to the characters written for
 * it, given as one string (split into characters where the table is built).
 */

const characters = (table: Record<string, string>): Readonly<Record<string, readonly string[]>> =>
  Object.fromEntries(Object.entries(table).map(([k, v]) => [k, [...v]]));

/** Lower-case ASCII letters and the digits and symbols leetspeak writes for them. */
export const LEET = characters({
  a: '4@', e: '3', i: '1!', o: '0', s: '5$', t: '7', g: '9', b: '8', l: '1',
});

/** Latin letters and their Cyrillic (U+04xx) and Greek (U+03xx) look-alikes: lower case, then upper case. */
export const HOMOGLYPHS = characters({
  a: '\u0430\u03b1', c: '\u0441\u03f2', e: '\u0435\u03b5', i: '\u0456\u03b9', j: '\u0458', o: '\u043e\u03bf',
  p: '\u0440\u03c1', s: '\u0455', x: '\u0445\u03c7', y: '\u0443\u03b3', h: '\u04bb',
  A: '\u0410\u0391', B: '\u0412\u0392', C: '\u0421', E: '\u0415\u0395', H: '\u041d\u0397', I: '\u0406\u0399', K: '\u041a\u039a', M: '\u041c\u039c',
  N: '\u039d', O: '\u041e\u039f', P: '\u0420\u03a1', S: '\u0405', T: '\u0422\u03a4', X: '\u0425\u03a7', Y: '\u04ae\u03a5',
});

/** Invisible characters hidden inside words: ZERO WIDTH SPACE, ZERO WIDTH NON-JOINER, WORD JOINER. */
export const ZERO_WIDTH = ['\u200b', '\u200c', '\u2060'] as const;
