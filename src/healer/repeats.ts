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
import { parseSignatureHex, signature, similarity, SIGNATURE_SIZE, type Signature } from './minhash.js';

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

/** Classifies the instant blocks of `rows` (in round order) against earlier breaches and `known`. */
export function classifyRepeats(rows: Iterable<RepeatRow>, known: readonly KnownText[], threshold = NEAR_REPEAT_SIMILARITY): RepeatFigures {
  const shas = new Set<string>();
  const sigs: Signature[] = [];
  const buckets = new Map<string, number[]>();
  const payloads = new Set<string>();
  const remember = (sig: Signature): void => {
    const index = sigs.push(sig) - 1;
    for (const k of bandKeys(sig)) {
      const list = buckets.get(k);
      if (list) list.push(index);
      else buckets.set(k, [index]);
    }
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
    const sig = signature(r.text);
    const tried = new Set<number>();
    let near = false;
    for (const k of bandKeys(sig)) {
      for (const i of buckets.get(k) ?? []) {
        if (tried.has(i)) continue;
        tried.add(i);
        if (similarity(sig, sigs[i] as Signature) >= threshold) {
          near = true;
          break;
        }
      }
      if (near) break;
    }
    if (near) out.near += 1;
    else if (r.payload !== null && payloads.has(r.payload)) out.samePayload += 1;
    else out.novel += 1;
  }
  return out;
}
