import { CONFUSABLES } from './confusables.js';
import { hasDigit, isPlainAscii, scanWords, type FoldStats, type Lexicon } from './tokens.js';
import { isInvisible } from './text.js';

/**
 * Undoing disguises in place: homoglyphs folded to Latin, invisible characters dropped,
 * leetspeak read back, s p a c e d letters joined.
 */

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
