/**
 * Telling what the healer's instant blocks were: a blocklist that only stops verbatim replays is
 * a cache, not immunity. Each instant block is, in this order of precedence:
 * - **exact**: the same text (sha256) as an earlier breach of the run, or as a breach that loaded
 *   immunity was learned from;
 * - **near**: at least `threshold` similar (MinHash estimate of character 5-gram Jaccard,
 *   src/healer/minhash.ts) to one of those, or to a loaded antibody's text;
 * - **same payload**: the embedded attacker's payload (its goal) already breached earlier in the
 *   run, or in a breach that loaded immunity was learned from, in another framing, carrier or
 *   disguise;
 * - **novel**: none of these — the only blocks that may be called new variants.
 */
import type { Outcome } from '../domain.js';
import { AntibodyIndex } from './antibody-index.js';
import { lazySignature, parseSignatureHex, signature, similarity, SIGNATURE_SIZE, type Signature } from './minhash.js';

/** An instant block at least this similar to an earlier breach is a near repeat. */
export const NEAR_REPEAT_SIMILARITY = 0.8;

export interface RepeatFigures {
  instantBlocks: number;
  exact: number;
  near: number;
  samePayload: number;
  novel: number;
  nearThreshold: number;
  /** Breaches known from loaded immunity before round 1, and how many of them are only antibody texts (no hash: near repeats only). */
  knownBreaches: number;
  knownWithoutHash: number;
  /** Of the known breaches with a hash, those whose file recorded no payload id (written before payload ids travelled): their same-payload blocks cannot be told. */
  knownWithoutPayload: number;
}

/** A round of the run, in round order: breaches teach, instant blocks are classified. */
export interface RepeatRow {
  outcome: Outcome;
  sha: string;
  text: string;
  payload: string | null;
}

export interface KnownText {
  sha256: string | null;
  signature: string;
  /** Payload id; null: none; absent: not recorded. */
  payload?: string | null;
}

const BANDS = 16;
const ROWS = SIGNATURE_SIZE / BANDS;

/**
 * Locality-sensitive buckets of a signature: pairs above ~0.6 similarity share one almost surely.
 * A key is the band's number and its slots' 16-bit halves as characters: as exact as the slots
 * joined in decimal, at a fraction of the cost (the closing report keys every instant block).
 */
function bandKeys(sig: Signature): string[] {
  const keys: string[] = [];
  const codes: number[] = new Array<number>(1 + ROWS * 2);
  for (let b = 0; b < BANDS; b++) {
    codes[0] = b;
    for (let r = 0; r < ROWS; r++) {
      const v = sig[b * ROWS + r] as number;
      codes[1 + r * 2] = v & 0xffff;
      codes[2 + r * 2] = v >>> 16;
    }
    keys.push(String.fromCharCode(...codes));
  }
  return keys;
}

/** The fewest agreeing slots that make two signatures at least `threshold` similar (SIGNATURE_SIZE + 1: none do). */
function slotsNeeded(threshold: number): number {
  for (let same = 0; same <= SIGNATURE_SIZE; same++) if (same / SIGNATURE_SIZE >= threshold) return same;
  return SIGNATURE_SIZE + 1;
}

/** Classifies the instant blocks of `rows` (in round order) against earlier breaches and `known`. */
export function classifyRepeats(rows: Iterable<RepeatRow>, known: readonly KnownText[], threshold = NEAR_REPEAT_SIMILARITY): RepeatFigures {
  const shas = new Set<string>();
  const sigs: Signature[] = [];
  const buckets = new Map<string, number[]>();
  /** Remembered signatures by (slot, value), in the order remembered (the same ids as `sigs`). */
  const bySlot = new AntibodyIndex();
  const payloads = new Set<string>();
  // A signature at least `threshold` similar to another disagrees with it in at most `maxMiss`
  // slots. While that is fewer than the bands, such a pair always shares a band, so the banded
  // search finds exactly the remembered signatures within `maxMiss` mismatches: those can be
  // found slot by slot, stopping as soon as none is left (nearBySlots).
  const maxMiss = SIGNATURE_SIZE - slotsNeeded(threshold);
  const slotWise = maxMiss >= 0 && maxMiss < BANDS;
  const remember = (sig: Signature): void => {
    const index = sigs.push(sig) - 1;
    if (slotWise) {
      bySlot.add(sig);
      return;
    }
    for (const k of bandKeys(sig)) {
      const list = buckets.get(k);
      if (list) list.push(index);
      else buckets.set(k, [index]);
    }
  };
  /**
   * Whether a remembered signature is within `maxMiss` mismatches of the text's, computing the
   * text's slots only while some remembered one still can be: most instant blocks are settled in
   * a third of the 64 slots, and signing them was most of the closing report's time.
   */
  const nearBySlots = (text: string): boolean => {
    const lazy = lazySignature(text);
    const slots = new Uint32Array(SIGNATURE_SIZE);
    // A signature within maxMiss mismatches agrees in at least one of the first maxMiss + 1 slots.
    const first = maxMiss + 1;
    for (let k = 0; k < first; k++) slots[k] = lazy.slot(k);
    const misses = new Map<number, number>();
    for (let k = 0; k < first; k++) bySlot.forEachSharing(k, slots[k] as number, (i) => void misses.set(i, 0));
    for (const i of misses.keys()) {
      const sig = sigs[i] as Signature;
      let m = 0;
      for (let k = 0; k < first; k++) if (sig[k] !== slots[k]) m += 1;
      misses.set(i, m);
    }
    for (let k = first; k < SIGNATURE_SIZE && misses.size > 0; k++) {
      const v = lazy.slot(k);
      for (const [i, m] of misses) {
        if ((sigs[i] as Signature)[k] === v) continue;
        if (m + 1 > maxMiss) misses.delete(i);
        else misses.set(i, m + 1);
      }
    }
    return misses.size > 0;
  };
  const nearByBands = (text: string): boolean => {
    const sig = signature(text);
    const tried = new Set<number>();
    for (const k of bandKeys(sig)) {
      for (const i of buckets.get(k) ?? []) {
        if (tried.has(i)) continue;
        tried.add(i);
        if (similarity(sig, sigs[i] as Signature) >= threshold) return true;
      }
    }
    return false;
  };
  let knownWithoutHash = 0;
  let knownWithoutPayload = 0;
  for (const k of known) {
    if (k.sha256 !== null) shas.add(k.sha256);
    else knownWithoutHash += 1;
    if (k.sha256 !== null && k.payload === undefined) knownWithoutPayload += 1;
    if (typeof k.payload === 'string') payloads.add(k.payload);
    const sig = parseSignatureHex(k.signature);
    if (sig) remember(sig);
  }
  const out: RepeatFigures = { instantBlocks: 0, exact: 0, near: 0, samePayload: 0, novel: 0, nearThreshold: threshold, knownBreaches: known.length, knownWithoutHash, knownWithoutPayload };
  for (const r of rows) {
    if (r.outcome === 'BREACHED') {
      shas.add(r.sha);
      remember(signature(r.text));
      if (r.payload !== null) payloads.add(r.payload);
      continue;
    }
    if (r.outcome !== 'INSTANT_BLOCKED') continue;
    out.instantBlocks += 1;
    if (shas.has(r.sha)) {
      out.exact += 1;
      continue;
    }
    if (sigs.length > 0 && (slotWise ? nearBySlots(r.text) : nearByBands(r.text))) out.near += 1;
    else if (r.payload !== null && payloads.has(r.payload)) out.samePayload += 1;
    else out.novel += 1;
  }
  return out;
}
