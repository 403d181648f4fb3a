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
let scratch = new Int32Array(1024);

/** Fills `scratch` with the FNV-1a hashes of the text's shingles (normalised and capped); returns how many. */
function hashShingles(text: string): number {
  const norm = normalizeText(text.length > MAX_CHARS ? text.slice(0, MAX_CHARS) : text);
  // A text shorter than one shingle is one shingle.
  const shingles = Math.max(0, norm.length - SHINGLE) + 1;
  if (scratch.length < shingles) scratch = new Int32Array(Math.max(shingles, scratch.length * 2));
  for (let i = 0; i < shingles; i++) {
    // FNV-1a over the UTF-16 code units of the shingle.
    let h = 0x811c9dc5 | 0;
    const end = Math.min(norm.length, i + SHINGLE);
    for (let j = i; j < end; j++) h = Math.imul(h ^ norm.charCodeAt(j), 0x01000193);
    scratch[i] = h;
  }
  return shingles;
}

/**
 * Slot k of a signature: the least mix(h, seed k) over the shingle hashes, as an unsigned 32-bit
 * value. Computed with the minimum in a local, in sign-flipped int32 space (the same order): about
 * a fifth faster than updating 64 array slots per shingle.
 */
function slotOf(hashes: Int32Array, shingles: number, k: number): number {
  const seed = SEEDS[k] as number;
  let least = 0x7fffffff;
  for (let i = 0; i < shingles; i++) {
    let x = (hashes[i] as number) ^ seed;
    x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
    x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
    x = x ^ (x >>> 16) ^ SIGN;
    if (x < least) least = x;
  }
  return (least ^ SIGN) >>> 0;
}

/** The signature of a text (normalised first, so case, width and punctuation do not matter). */
export function signature(text: string): Signature {
  const shingles = hashShingles(text);
  const sig = new Uint32Array(SIGNATURE_SIZE);
  for (let k = 0; k < SIGNATURE_SIZE; k++) sig[k] = slotOf(scratch, shingles, k);
  return sig;
}

/**
 * A text's signature slot by slot, for a caller that can often stop early (a comparison that is
 * decided before all 64 slots are known): `slot(k)` equals `signature(text)[k]`.
 */
export function lazySignature(text: string): { slot(k: number): number } {
  const shingles = hashShingles(text);
  const hashes = scratch.slice(0, shingles);
  return { slot: (k) => slotOf(hashes, shingles, k) };
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
