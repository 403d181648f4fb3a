import type { VoteResult } from '../../domain.js';
import type { Analysis } from './analysis.js';
import type { EmbeddedDetector, SharedScanners } from './detector.js';
import { concatenations, extractFeatures, quotedStrings } from './features.js';
import { describeFamilies, HEURISTIC_BLOCK, type HeuristicScanner } from './heuristics.js';
import { describeHits, round2, SIGNATURE_BLOCK, type SignatureScanner } from './signatures.js';
import { deepFold, lowerForm, snippet, type Lexicon } from './text.js';

/**
 * Deobfuscator: decodes base64, hex, URL escapes, ROT13, reversed and split payloads; folds
 * homoglyphs and leetspeak; strips zero-width characters; then rescans every decoded form with
 * the signature and heuristic scanners. It blocks when decoding reveals attack content, or when
 * the text carries a readable encoded payload together with an instruction to decode it.
 */

/** Pooled evidence (signature score / its threshold + cue score / its threshold) that blocks clean text. */
export const PLAIN_BLOCK = 1.7;
/** At most this many decoded forms are rescanned per input. */
const MAX_FORMS = 12;
/** Decoded payloads longer than this are cut before rescanning. */
const MAX_DECODED = 16 * 1024;

export interface Revealed {
  how: string;
  text: string;
}

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

function decodeBase64(s: string): string | undefined {
  const clean = s.replace(/[^A-Za-z0-9+/_-]/g, '');
  if (clean.length < 12) return undefined;
  const text = Buffer.from(clean.slice(0, MAX_DECODED * 2), 'base64').toString('utf8');
  return looksLikeText(text) ? text : undefined;
}

function decodeHex(h: string): string | undefined {
  const text = Buffer.from(h.slice(0, MAX_DECODED * 2), 'hex').toString('utf8');
  return looksLikeText(text) ? text : undefined;
}

const URL_ESCAPES = /(?:%[0-9a-fA-F]{2})+/g;

function decodeUrlEscapes(s: string): string {
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

const ONLY_BASE64 = /^[A-Za-z0-9+/=\s]{16,}$/;
const DECODE_ASK = /\b(?:decode|decoded|decoding|decipher|decrypt|convert|translate|reassemble|unscramble|reverse|concatenate|join|combine|evaluate)\b/i;
const FOLLOW_ASK = /\b(?:follow|execute|obey|act|perform|run|treat|carry|comply|do (?:what|exactly|it|that)|instructions?)\b/i;
const ROT_ASK = /\brot-?\s?13\b|\bcaesar\b|\brotate each letter\b/i;
const REVERSE_ASK = /\brevers(?:e|ed|ing)\b|\bbackwards?\b|\bright to left\b/i;
const JOIN_ASK = /\b(?:concatenat\w*|join\w*|combin\w*|together|reassembl\w*|in order|parts?|pieces?)\b|\+/i;

/** The decoded forms hidden in an input (not including the input itself). */
export function revealHidden(a: Analysis): Revealed[] {
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
  if (f.urlEncoded.length > 0) push('url-encoding', decodeUrlEscapes(a.raw));
  const raw = a.raw;
  if (ROT_ASK.test(raw)) push('rot13', rot13(raw));
  if (REVERSE_ASK.test(raw)) {
    push('reversed characters', [...raw].reverse().join(''));
    push('reversed word order', raw.split(/\s+/).reverse().join(' '));
  }
  const quoted = quotedStrings(raw);
  if (quoted.length >= 2 && (concatenations(raw) > 0 || JOIN_ASK.test(raw))) {
    push('split payload', quoted.join(''));
    push('split payload', quoted.join(' '));
  }
  return out;
}

export interface DeobfuscationFinding {
  how: string;
  sample: string;
  signature: number;
  heuristic: number;
  why: string;
}

export function deobfuscatorVote(a: Analysis, sig: SignatureScanner, heur: HeuristicScanner, lexicon: Lexicon): VoteResult {
  // 1. Payloads hidden by an encoding: decode and rescan each.
  const revealed = revealHidden(a);
  let best: DeobfuscationFinding | undefined;
  let readablePayload: string | undefined;
  for (const r of revealed) {
    const lower = lowerForm(r.text);
    const fold = deepFold(lower, lexicon);
    const ids = lexicon.idsOf(fold.tokens);
    const features = extractFeatures(r.text);
    const s = sig.scan(ids, lower, features);
    const h = heur.scan(ids, { features, invisible: fold.stats.invisible, mixedScriptWords: 0, leetTokens: fold.stats.leetTokens });
    if (r.how !== 'split payload' && r.how !== 'reversed characters' && r.how !== 'reversed word order') readablePayload ??= r.how;
    const why = s.hits.length > 0 ? describeHits(s.hits, 2) : describeFamilies(h.families, 3);
    const strength = s.score + h.score / HEURISTIC_BLOCK;
    if (!best || strength > best.signature + best.heuristic / HEURISTIC_BLOCK) {
      best = { how: r.how, sample: snippet(r.text, 50), signature: s.score, heuristic: h.score, why };
    }
  }
  if (best && (best.signature >= 0.6 || best.heuristic >= HEURISTIC_BLOCK * 0.75)) {
    return {
      verdict: 'block',
      confidence: round2(0.75 + 0.25 * Math.min(1, best.signature)),
      reason: `${best.how} decodes to "${best.sample}": ${best.why}`,
    };
  }
  if (readablePayload && DECODE_ASK.test(a.raw) && FOLLOW_ASK.test(a.raw)) {
    return { verdict: 'block', confidence: 0.7, reason: `asks to decode a hidden ${readablePayload} payload and act on it` };
  }

  // 2. Text disguised in place: zero-width characters, homoglyphs, leetspeak, s p a c i n g.
  const fold = a.fold;
  const st = fold.stats;
  const disguised = st.invisible + st.confusables + st.leetTokens * 2 + st.spacedRuns * 2;
  const s = sig.scan(a.foldIds, a.lower, a.features);
  const h = heur.scan(a.foldIds, { features: a.features, invisible: st.invisible, mixedScriptWords: a.mixedScriptWords, leetTokens: st.leetTokens });
  if (disguised >= 2) {
    const what = [
      st.invisible ? `${st.invisible} invisible char(s)` : '',
      st.confusables ? `${st.confusables} homoglyph(s)` : '',
      st.leetTokens ? `${st.leetTokens} leetspeak word(s)` : '',
      st.spacedRuns ? `${st.spacedRuns} spaced-out word(s)` : '',
    ]
      .filter(Boolean)
      .join(', ');
    if (s.score >= 0.6 || h.score >= HEURISTIC_BLOCK) {
      const why = s.hits.length > 0 ? describeHits(s.hits, 2) : describeFamilies(h.families, 3);
      return { verdict: 'block', confidence: round2(0.7 + 0.3 * s.score), reason: `disguised text (${what}) folds to attack content: ${why}` };
    }
    return { verdict: 'allow', confidence: 0.6, reason: `disguised text (${what}) folds to nothing known` };
  }

  // 3. Plain text: the same scanners on the normalised text; their evidence is pooled, so a
  //    strong signature needs little support from the cues and vice versa.
  const pooled = s.score / SIGNATURE_BLOCK + h.score / HEURISTIC_BLOCK;
  if (pooled >= PLAIN_BLOCK) {
    const why = [s.hits.length > 0 ? describeHits(s.hits, 2) : '', h.families.size > 0 ? describeFamilies(h.families, 2) : ''].filter(Boolean).join('; ');
    return { verdict: 'block', confidence: round2(0.4 + 0.15 * pooled), reason: `no obfuscation; normalised text scores ${pooled.toFixed(2)}: ${why}` };
  }
  if (best) return { verdict: 'allow', confidence: 0.7, reason: `${best.how} decodes to harmless-looking text` };
  return { verdict: 'allow', confidence: 0.8, reason: 'no obfuscation found' };
}

/** Decodes and rescans with the shared signature and heuristic scanners. */
export const deobfuscatorDetector: EmbeddedDetector<SharedScanners, 'deobfuscator'> = {
  id: 'deobfuscator',
  train: (_pools, shared) => shared,
  vote: (a, shared) => deobfuscatorVote(a, shared.signatures, shared.heuristics, shared.lexicon),
};
