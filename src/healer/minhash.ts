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

/** A 32-bit mixer (murmur3 finaliser): turns one shingle hash into SIGNATURE_SIZE independent-looking ones. */
function mix(h: number, seed: number): number {
  let x = (h ^ seed) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** The seeds as int32 bit patterns: a typed array of small integers keeps the hot loop in integer registers. */
const SEEDS = Int32Array.from({ length: SIGNATURE_SIZE }, (_, i) => mix(i + 1, 0x9e3779b9) | 0);
/** Flips the sign bit: unsigned order of uint32 values becomes signed order of their int32 patterns. */
const SIGN = 0x80000000 | 0;

/** Shingle hashes of the text being signed, reused across calls (grown when a text needs more). */
let shingleHashes = new Int32Array(1024);

/** The signature of a text (normalised first, so case, width and punctuation do not matter). */
export function signature(text: string): Signature {
  const norm = normalizeText(text.length > MAX_CHARS ? text.slice(0, MAX_CHARS) : text);
  // A text shorter than one shingle is one shingle.
  const shingles = Math.max(0, norm.length - SHINGLE) + 1;
  if (shingleHashes.length < shingles) shingleHashes = new Int32Array(Math.max(shingles, shingleHashes.length * 2));
  const hashes = shingleHashes;
  for (let i = 0; i < shingles; i++) {
    // FNV-1a over the UTF-16 code units of the shingle.
    let h = 0x811c9dc5 | 0;
    const end = Math.min(norm.length, i + SHINGLE);
    for (let j = i; j < end; j++) h = Math.imul(h ^ norm.charCodeAt(j), 0x01000193);
    hashes[i] = h;
  }
  // Slot k is the least mix(h, seed k) over the shingles, as unsigned 32-bit values. Computed slot
  // by slot with the minimum in a local, in sign-flipped int32 space (the same order), which is
  // about a fifth faster than updating 64 array slots per shingle: the closing report signs
  // every instant block of a run.
  const sig = new Uint32Array(SIGNATURE_SIZE);
  for (let k = 0; k < SIGNATURE_SIZE; k++) {
    const seed = SEEDS[k] as number;
    let least = 0x7fffffff;
    for (let i = 0; i < shingles; i++) {
      let x = (hashes[i] as number) ^ seed;
      x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
      x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
      x = x ^ (x >>> 16) ^ SIGN;
      if (x < least) least = x;
    }
    sig[k] = (least ^ SIGN) >>> 0;
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
