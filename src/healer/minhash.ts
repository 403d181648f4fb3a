/**
 * MinHash signatures over character shingles of the healer's normalised text. Two signatures
 * agree in a share of their slots that estimates the Jaccard similarity of the two shingle sets,
 * so comparing an input against thousands of past breaches costs a fixed 64 integer compares
 * each, whatever their length. Everything is integer arithmetic with fixed seeds: the same texts
 * give the same similarities on every machine and every run (outcomes must not depend on luck).
 */
import { normalizeText } from '../util/normalize.js';

/** Slots per signature: standard error of the estimate is about 1/sqrt(64) = 0.125 at J = 0.5, less near 0 and 1. */
export const SIGNATURE_SIZE = 64;
/** Character 5-grams: long enough to carry words, short enough to survive small rewordings and typos. */
const SHINGLE = 5;
/** Analyse at most this many characters: a 10 MB input must not stall a round. */
const MAX_CHARS = 20_000;

export type Signature = Uint32Array;

/** FNV-1a over UTF-16 code units of `text[start, end)`. */
function fnv1a(text: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A 32-bit mixer (murmur3 finaliser): turns one shingle hash into SIGNATURE_SIZE independent-looking ones. */
function mix(h: number, seed: number): number {
  let x = (h ^ seed) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

const SEEDS: readonly number[] = Array.from({ length: SIGNATURE_SIZE }, (_, i) => mix(i + 1, 0x9e3779b9));

/** The signature of a text (normalised first, so case, width and punctuation do not matter). */
export function signature(text: string): Signature {
  const norm = normalizeText(text.length > MAX_CHARS ? text.slice(0, MAX_CHARS) : text);
  const sig = new Uint32Array(SIGNATURE_SIZE).fill(0xffffffff);
  // A text shorter than one shingle is one shingle.
  const last = Math.max(0, norm.length - SHINGLE);
  for (let i = 0; i <= last; i++) {
    const h = fnv1a(norm, i, Math.min(norm.length, i + SHINGLE));
    for (let k = 0; k < SIGNATURE_SIZE; k++) {
      const v = mix(h, SEEDS[k] as number);
      if (v < (sig[k] as number)) sig[k] = v;
    }
  }
  return sig;
}

/** A signature as text (8 hex digits a slot), as immunity files and the store keep it. */
export function signatureHex(sig: Signature): string {
  return Array.from(sig, (v) => v.toString(16).padStart(8, '0')).join('');
}

/** The signature of `signatureHex`'s text; undefined when the text is not one. */
export function parseSignatureHex(hex: string): Signature | undefined {
  if (!/^[0-9a-f]*$/.test(hex) || hex.length !== SIGNATURE_SIZE * 8) return undefined;
  const sig = new Uint32Array(SIGNATURE_SIZE);
  for (let k = 0; k < SIGNATURE_SIZE; k++) sig[k] = Number.parseInt(hex.slice(k * 8, k * 8 + 8), 16);
  return sig;
}

/** Estimated Jaccard similarity of the shingle sets, in [0, 1]. */
export function similarity(a: Signature, b: Signature): number {
  let same = 0;
  for (let k = 0; k < SIGNATURE_SIZE; k++) if (a[k] === b[k]) same += 1;
  return same / SIGNATURE_SIZE;
}
