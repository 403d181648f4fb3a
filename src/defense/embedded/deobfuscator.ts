import type { Analysis } from './analysis.js';
import {
  decodeBase64,
  decodeCharCodes,
  decodeEscapes,
  decodeHex,
  decodeLetterSymbols,
  decodeMorse,
  decodePigLatin,
  decodeUrlEscapes,
  MAX_DECODED,
  reverseEachWord,
  rot13,
} from './decoders.js';
import type { EmbeddedDetector, Reading, SharedScanners } from './detector.js';
import { concatenations, extractFeatures, quotedStrings } from './features.js';
import { deepFold } from './fold.js';
import { describeFamilies, HEURISTIC_UNIT } from './heuristics.js';
import { describeHits, SIGNATURE_UNIT } from './signatures.js';
import { imperativeStart } from './rules/address.js';
import { lowerForm, snippet } from './text.js';
import { words } from './tokens.js';

/**
 * Deobfuscator: decodes base64, hex, URL and character escapes, character codes, Morse, ROT13,
 * Pig Latin, letters drawn as symbols, reversed text and split payloads; folds homoglyphs and
 * leetspeak, strips zero-width characters and joins s p a c e d letters; then rescans every
 * decoded form with the signature and heuristic scanners. It blocks when decoding reveals attack
 * content, or when the text carries a readable encoded payload together with an instruction to
 * decode it; on plain text it pools the two scanners' evidence.
 */

/** Pooled evidence (signature score over its unit + cue score over its unit) that is strong evidence in clean text. */
export const PLAIN_BLOCK = 1.7;
/** At most this many decoded forms are rescanned per input. */
const MAX_FORMS = 12;
/** Texts longer than this are not tried backwards unless they ask for it. */
const MAX_AUTO_REVERSE = 2000;

export interface Revealed {
  how: string;
  text: string;
}

const ONLY_BASE64 = /^[A-Za-z0-9+/=\s]{16,}$/;
const DECODE_ASK = /\b(?:decode|decoded|decoding|decipher|decrypt|convert|translate|reassemble|unscramble|reverse|concatenate|join|combine|evaluate|interpret|solve|glue)\b/i;
const FOLLOW_ASK = /\b(?:follow|execute|obey|act|perform|run|treat|carry|comply|do (?:what|exactly|it|that)|instructions?)\b/i;
const ROT_ASK = /\brot-?\s?13\b|\bcaesar\b|\brotate each letter\b|\bshifted 13\b|\b13 places\b/i;
const REVERSE_ASK = /\brevers(?:e|ed|ing)\b|\bbackwards?\b|\bright to left\b|\bflip\b|\bmirror/i;
const JOIN_ASK = /\b(?:concatenat\w*|join\w*|combin\w*|together|reassembl\w*|in order|parts?|pieces?|fragments?|glue)\b|\+/i;

const CONCAT_CALL = /\bconcat\s{0,2}\(/i;
/** Enclosed or squared Latin letters and regional indicators (their high surrogate is U+D83C). */
const LETTER_SYMBOL = /\ud83c[\udd30-\uddff]/;
const AY_WORD = /[a-z]ay\b/gi;

/** Four words ending in "ay": worth trying Pig Latin. */
function pigLatinHint(s: string): boolean {
  AY_WORD.lastIndex = 0;
  let n = 0;
  while (n < 4 && AY_WORD.exec(s) !== null) n++;
  AY_WORD.lastIndex = 0;
  return n >= 4;
}

/** Words a rule knows among the word ids of a text. */
function knownIds(ids: Int32Array): number {
  let n = 0;
  for (let i = 0; i < ids.length; i++) if ((ids[i] as number) > 0) n++;
  return n;
}

/** More than half of the letters are ASCII: reversing could make a Latin-script text readable. */
function mostlyLatin(s: string): boolean {
  let ascii = 0;
  let other = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) ascii++;
    else if (c >= 0xc0) other++;
  }
  return ascii > other;
}

/** Words of `text` that some rule knows (a reading that makes sense to the rules). */
function knownWords(text: string, known: (w: string) => boolean): number {
  let n = 0;
  for (const w of words(lowerForm(text.slice(0, MAX_AUTO_REVERSE)))) if (known(w)) n++;
  return n;
}

/** The decoded forms hidden in an input (not including the input itself). */
export function revealHidden(a: Analysis, known: (w: string) => boolean): Revealed[] {
  const out: Revealed[] = [];
  const push = (how: string, text: string | undefined): void => {
    if (text !== undefined && out.length < MAX_FORMS) out.push({ how, text: text.slice(0, MAX_DECODED) });
  };
  const f = a.features;
  for (const b of f.base64) {
    const once = decodeBase64(b);
    if (once === undefined) {
      // base64 of base64 decodes to base64 characters, which fail the text check on their own.
      const inner = Buffer.from(b.replace(/[^A-Za-z0-9+/_-]/g, ''), 'base64').toString('utf8');
      if (ONLY_BASE64.test(inner)) push('base64×2', decodeBase64(inner));
      continue;
    }
    push('base64', once);
  }
  for (const h of f.hex) push('hex', decodeHex(h));
  const raw = a.raw;
  if (f.urlEncoded.length > 0) push('url-encoding', decodeUrlEscapes(raw));
  push('character escapes', decodeEscapes(raw));
  push('character codes', decodeCharCodes(raw));
  push('Morse code', decodeMorse(raw));
  if (LETTER_SYMBOL.test(raw)) push('letters drawn as symbols', decodeLetterSymbols(raw));
  if (!a.layout.document && pigLatinHint(raw)) push('Pig Latin', decodePigLatin(raw, known));
  if (ROT_ASK.test(raw)) push('rot13', rot13(raw));
  const asked = REVERSE_ASK.test(raw);
  // Tried when asked for, or when a short Latin-script message makes little sense to the rules
  // forwards (two known words at most) and its reversed form reads better.
  const before = asked || a.layout.document || raw.length > MAX_AUTO_REVERSE || !mostlyLatin(raw) ? -1 : knownIds(a.lowerIds);
  if (asked || (before >= 0 && before <= 2)) {
    for (const [how, text] of [
      ['reversed characters', [...raw].reverse().join('')],
      ['each word reversed', reverseEachWord(raw)],
    ] as const) {
      if (asked || knownWords(text, known) >= before + 3) push(how, text);
    }
    if (asked) push('reversed word order', raw.split(/\s+/).reverse().join(' '));
  }
  // Split payloads: quoted pieces joined, in the order written and in the order they are numbered.
  const joined = concatenations(raw) > 0 || CONCAT_CALL.test(raw) || (!a.layout.document && JOIN_ASK.test(raw));
  const quoted = joined ? quotedStrings(raw) : [];
  if (quoted.length >= 2) {
    push('split payload', quoted.join(''));
    push('split payload', quoted.join(' '));
    const numbered = [...raw.matchAll(/\[(\d{1,2})\]\s{0,4}["']([^"'\n]{1,200})["']/g)].sort((x, y) => Number(x[1]) - Number(y[1]));
    if (numbered.length >= 2) push('split payload (numbered)', numbered.map((m) => m[2]).join(' '));
  }
  return out;
}

interface DeobfuscationFinding {
  how: string;
  sample: string;
  /** 1 is strong evidence. */
  strength: number;
  why: string;
}

const NOT_READABLE = new Set(['split payload', 'split payload (numbered)', 'reversed characters', 'reversed word order', 'each word reversed', 'Pig Latin']);

/**
 * The deobfuscator's reading, on one scale where 1 is strong evidence: the best decoded form
 * (its signature score over 0.6 or its cue score over ¾ of HEURISTIC_UNIT), a request to decode a
 * readable payload and act on it (1.05), text disguised in place (signature score over 0.6 or
 * cue score over HEURISTIC_UNIT, once there is enough disguise), or the plain text's pooled
 * evidence (signature and cue scores over their units, over PLAIN_BLOCK).
 */
export function deobfuscatorRead(a: Analysis, shared: SharedScanners): Reading {
  const { signatures: sig, heuristics: heur, lexicon } = shared;
  const known = (w: string): boolean => lexicon.has(w);
  // 1. Payloads hidden by an encoding: decode and rescan each, as a message of its own.
  const revealed = revealHidden(a, known);
  let best: DeobfuscationFinding | undefined;
  let readablePayload: string | undefined;
  let hiddenOrder: string | undefined;
  for (const r of revealed) {
    const lower = lowerForm(r.text);
    // A decoded form that is itself an order ("say …", "forward …") is what the wrapper hides.
    if (!NOT_READABLE.has(r.how) && imperativeStart(lower.trim())) hiddenOrder ??= r.how;
    const fold = deepFold(lower, lexicon);
    const ids = lexicon.idsOf(fold.tokens);
    const features = extractFeatures(r.text);
    const s = sig.scan(ids, features);
    const h = heur.scan(ids, { features, invisible: fold.stats.invisible, mixedScriptWords: 0, leetTokens: fold.stats.leetTokens });
    if (!NOT_READABLE.has(r.how)) readablePayload ??= r.how;
    const why = s.hits.length > 0 ? describeHits(s.hits, 2) : describeFamilies(h.families, 3);
    const strength = Math.max(s.score / 0.6, h.score / (HEURISTIC_UNIT * 0.75));
    if (!best || strength > best.strength) best = { how: r.how, sample: snippet(r.text, 50), strength, why };
  }
  let reading: Reading = { score: 0, why: 'no obfuscation found' };
  if (best) reading = { score: best.strength, why: `${best.how} decodes to "${best.sample}": ${best.why}` };
  if (readablePayload && DECODE_ASK.test(a.raw) && (FOLLOW_ASK.test(a.raw) || hiddenOrder !== undefined) && reading.score < 1.05) {
    reading = { score: 1.05, why: `asks to decode a hidden ${hiddenOrder ?? readablePayload} payload and act on it` };
  }

  // 2. Text disguised in place: zero-width characters, homoglyphs, leetspeak, s p a c i n g. A
  //    document needs more of it than a message: a stray "h3" or one odd letter is not a disguise.
  const fold = a.fold;
  const st = fold.stats;
  const disguised = st.invisible + st.confusables + st.leetTokens * 2 + st.spacedRuns * 2;
  if (disguised >= (a.layout.document ? 6 : 2)) {
    const s = sig.scan(a.foldIds, a.features);
    const h = heur.scan(a.foldIds, { features: a.features, invisible: st.invisible, mixedScriptWords: a.mixedScriptWords, leetTokens: st.leetTokens });
    const what = [
      st.invisible ? `${st.invisible} invisible char(s)` : '',
      st.confusables ? `${st.confusables} homoglyph(s)` : '',
      st.leetTokens ? `${st.leetTokens} leetspeak word(s)` : '',
      st.spacedRuns ? `${st.spacedRuns} spaced-out word(s)` : '',
    ]
      .filter(Boolean)
      .join(', ');
    const strength = Math.max(s.score / 0.6, h.score / HEURISTIC_UNIT);
    const why = s.hits.length > 0 ? describeHits(s.hits, 2) : h.families.size > 0 ? describeFamilies(h.families, 3) : 'nothing known';
    if (strength > reading.score) reading = { score: strength, why: `disguised text (${what}) folds to: ${why}` };
    return reading;
  }

  // 3. Plain text, read as its layout says like the signatures and cues do; their evidence is
  //    pooled, so a strong signature needs little support from the cues and vice versa.
  const s = sig.scanAnalysis(a);
  const h = heur.scanAnalysis(a);
  const pooled = (s.score / SIGNATURE_UNIT + h.score / HEURISTIC_UNIT) / PLAIN_BLOCK;
  if (pooled > reading.score) {
    const why = [s.hits.length > 0 ? describeHits(s.hits, 2) : '', h.families.size > 0 ? describeFamilies(h.families, 2) : ''].filter(Boolean).join('; ');
    reading = { score: pooled, why: `no obfuscation; plain text scores ${pooled.toFixed(2)}${why ? `: ${why}` : ''}` };
  }
  return reading;
}

/** Decodes and rescans with the shared signature and heuristic scanners. */
export const deobfuscatorDetector: EmbeddedDetector<SharedScanners, 'deobfuscator'> = {
  id: 'deobfuscator',
  learns: false,
  readsAntibodies: false,
  train: (_pools, shared) => shared,
  read: (a, shared) => deobfuscatorRead(a, shared),
};
