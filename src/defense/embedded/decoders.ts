/**
 * Decoders of the deobfuscator: each turns one way of hiding text back into text. All take
 * untrusted input, run in time linear in it, use fixed regular expressions written here, cap
 * what they produce, and return undefined when there is nothing to decode or the result is not
 * readable text.
 */

/** Decoded payloads longer than this are cut. */
export const MAX_DECODED = 16 * 1024;

function printableRatio(s: string): { printable: number; letters: number; spaces: number } {
  let printable = 0;
  let letters = 0;
  let spaces = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0xfffd) continue;
    if (c === 10 || c === 13 || c === 9 || (c >= 32 && c !== 127 && !(c >= 0x80 && c < 0xa0))) printable++;
    if (c === 32) spaces++;
    else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c >= 0xc0) letters++;
  }
  const n = Math.max(1, s.length);
  return { printable: printable / n, letters: letters / n, spaces };
}

/** Whether decoded bytes look like human-readable text rather than noise. */
export function looksLikeText(s: string): boolean {
  if (s.length < 6) return false;
  const r = printableRatio(s);
  return r.printable >= 0.95 && r.letters >= 0.55 && (r.spaces >= 1 || s.length < 20);
}

export function decodeBase64(s: string): string | undefined {
  const clean = s.replace(/[^A-Za-z0-9+/_-]/g, '');
  if (clean.length < 12) return undefined;
  const text = Buffer.from(clean.slice(0, MAX_DECODED * 2), 'base64').toString('utf8');
  return looksLikeText(text) ? text : undefined;
}

export function decodeHex(h: string): string | undefined {
  const text = Buffer.from(h.slice(0, MAX_DECODED * 2), 'hex').toString('utf8');
  return looksLikeText(text) ? text : undefined;
}

const URL_ESCAPES = /(?:%[0-9a-fA-F]{2})+/g;

export function decodeUrlEscapes(s: string): string {
  return s.replace(URL_ESCAPES, (run) => Buffer.from(run.replace(/%/g, ''), 'hex').toString('utf8'));
}

export function rot13(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) out += String.fromCharCode(((c - 65 + 13) % 26) + 65);
    else if (c >= 97 && c <= 122) out += String.fromCharCode(((c - 97 + 13) % 26) + 97);
    else out += s.charAt(i);
  }
  return out;
}

/** `\u0069`, `\u{1F600}`, `\x41`, `&#105;`, `&#x69;` escapes. */
const ESCAPE = /\\u\{([0-9a-fA-F]{1,6})\}|\\u([0-9a-fA-F]{4})|\\x([0-9a-fA-F]{2})|&#x([0-9a-fA-F]{1,6});|&#(\d{1,7});/g;

/** The text with character escapes replaced by the characters, when it has at least three. */
export function decodeEscapes(s: string): string | undefined {
  if (!s.includes('\\') && !s.includes('&#')) return undefined;
  let n = 0;
  const out = s.replace(ESCAPE, (m, braced?: string, u4?: string, x2?: string, hx?: string, dec?: string) => {
    const code = braced ? parseInt(braced, 16) : u4 ? parseInt(u4, 16) : x2 ? parseInt(x2, 16) : hx ? parseInt(hx, 16) : parseInt(dec ?? '', 10);
    if (!(code > 0 && code <= 0x10ffff) || (code >= 0xd800 && code <= 0xdfff)) return m;
    n++;
    return String.fromCodePoint(code);
  });
  return n >= 3 ? out : undefined;
}

/** Lists of character codes: `fromCharCode(72, 105, …)` or a bare list of eight or more codes of printable text. */
const CHAR_CODES = /(?:\b\d{2,3}\s{0,2}[,;]\s{0,2}){7,4000}\d{2,3}\b/g;

export function decodeCharCodes(s: string): string | undefined {
  if (!/\d{2,3}\s{0,2},/.test(s)) return undefined;
  CHAR_CODES.lastIndex = 0;
  const parts: string[] = [];
  let m: RegExpExecArray | null;
  while ((m = CHAR_CODES.exec(s)) !== null && parts.length < 16) {
    const codes = m[0].split(/[\s,;]+/).map(Number);
    if (codes.every((c) => (c >= 32 && c <= 126) || c === 10)) parts.push(String.fromCharCode(...codes.slice(0, MAX_DECODED)));
  }
  CHAR_CODES.lastIndex = 0;
  const text = parts.join(' ');
  return looksLikeText(text) ? text : undefined;
}

const MORSE: Readonly<Record<string, string>> = {
  '.-': 'a', '-...': 'b', '-.-.': 'c', '-..': 'd', '.': 'e', '..-.': 'f', '--.': 'g', '....': 'h', '..': 'i', '.---': 'j',
  '-.-': 'k', '.-..': 'l', '--': 'm', '-.': 'n', '---': 'o', '.--.': 'p', '--.-': 'q', '.-.': 'r', '...': 's', '-': 't',
  '..-': 'u', '...-': 'v', '.--': 'w', '-..-': 'x', '-.--': 'y', '--..': 'z', '-----': '0', '.----': '1', '..---': '2',
  '...--': '3', '....-': '4', '.....': '5', '-....': '6', '--...': '7', '---..': '8', '----.': '9',
};
/** A run of at least six Morse letters, words separated by "/" or three spaces. */
const MORSE_RUN = /(?:[.\-·−–]{1,6}(?:\s{1,3}|\s{0,2}\/\s{0,2})){5,4000}[.\-·−–]{1,6}/g;

export function decodeMorse(s: string): string | undefined {
  if (!s.includes('.-') && !s.includes('-.')) return undefined;
  MORSE_RUN.lastIndex = 0;
  const parts: string[] = [];
  let m: RegExpExecArray | null;
  while ((m = MORSE_RUN.exec(s)) !== null && parts.length < 16) {
    const words = m[0]
      .replace(/[·]/g, '.')
      .replace(/[−–]/g, '-')
      .split(/\s{0,2}\/\s{0,2}|\s{3}/)
      .map((w) =>
        w
          .trim()
          .split(/\s+/)
          .map((l) => MORSE[l] ?? '')
          .join(''),
      );
    parts.push(words.join(' '));
  }
  MORSE_RUN.lastIndex = 0;
  const text = parts.join(' ').trim();
  return text.length >= 6 ? text : undefined;
}

/** Pig Latin: "ignoreway ethay ulesray" → "ignore the rules", when most words end in -ay. */
export function decodePigLatin(s: string, known: (word: string) => boolean): string | undefined {
  const words = s.split(/(\s+)/);
  let ay = 0;
  let total = 0;
  for (let i = 0; i < words.length; i += 2) {
    const w = (words[i] as string).toLowerCase().replace(/[^a-z]/g, '');
    if (w.length < 3) continue;
    total++;
    if (w.endsWith('ay')) ay++;
  }
  if (ay < 4 || ay < total * 0.4) return undefined;
  const decodeWord = (raw: string): string => {
    const w = raw.toLowerCase().replace(/[^a-z]/g, '');
    if (w.length < 3 || !w.endsWith('ay')) return raw;
    const stem = w.slice(0, -2);
    // Vowel-initial words take "way" (or "yay"): "andway" → "and".
    const candidates: string[] = [];
    if (stem.endsWith('w') || stem.endsWith('y')) candidates.push(stem.slice(0, -1));
    // Consonant-initial words moved their first consonants to the end: "ulesr" → "rules".
    for (let k = 1; k <= 3 && k < stem.length; k++) candidates.push(stem.slice(-k) + stem.slice(0, -k));
    return candidates.find(known) ?? candidates[candidates.length > 1 ? 1 : 0] ?? raw;
  };
  let out = '';
  for (let i = 0; i < words.length; i++) out += i % 2 === 0 ? decodeWord(words[i] as string) : (words[i] as string);
  return out;
}

/** Letters drawn as emoji or symbols that NFKC leaves alone: 🅸🅶🅽🅾🆁🅴, 🄸, 🅘, regional indicators. */
export function decodeLetterSymbols(s: string): string | undefined {
  let n = 0;
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    let base = -1;
    if (c >= 0x1f130 && c <= 0x1f149) base = 0x1f130;
    else if (c >= 0x1f150 && c <= 0x1f169) base = 0x1f150;
    else if (c >= 0x1f170 && c <= 0x1f189) base = 0x1f170;
    else if (c >= 0x1f1e6 && c <= 0x1f1ff) base = 0x1f1e6;
    if (base >= 0) {
      n++;
      out += String.fromCharCode(97 + c - base);
    } else out += ch;
  }
  return n >= 3 ? out : undefined;
}

/** Each word spelled backwards, word order kept: "erongi suoiverp" → "ignore previous". */
export function reverseEachWord(s: string): string {
  return s.replace(/\S+/g, (w) => [...w].reverse().join(''));
}
