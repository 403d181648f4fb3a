/**
 * Nearest antibodies by MinHash similarity without comparing the input against every antibody.
 *
 * Similarity is the share of the 64 signature slots two signatures agree on. An inverted index
 * (slot, value) → antibodies finds every antibody that agrees with the input in at least one slot,
 * with its exact count; every other antibody has similarity 0. Ranking those by count, newest
 * first on ties, then the remaining ones newest first, is exactly the order of sorting all of
 * them by (similarity desc, newest first), at a cost that grows with how many antibodies resemble
 * the input rather than with how many there are. A long run learns thousands of antibodies; the
 * per-round cost of choosing eight of them must not grow with that.
 */
import { SIGNATURE_SIZE, type Signature } from './minhash.js';

const NONE = -1;
/** Map keys stay small integers (V8 stores them unboxed); the chains are checked for the full value. */
const KEY_MASK = 0x3fffffff;

export class AntibodyIndex {
  private readonly sigs: Signature[] = [];
  /** Per slot: the newest antibody holding each (masked) value. */
  private readonly heads: Array<Map<number, number>> = Array.from({ length: SIGNATURE_SIZE }, () => new Map());
  /** next[i * SIGNATURE_SIZE + k]: the previous antibody with the same masked value in slot k. */
  private next = new Int32Array(SIGNATURE_SIZE * 64);
  private counts = new Int32Array(64);

  get size(): number {
    return this.sigs.length;
  }

  /** Adds the next antibody (index = the number added before it). */
  add(sig: Signature): number {
    const i = this.sigs.length;
    this.sigs.push(sig);
    if ((i + 1) * SIGNATURE_SIZE > this.next.length) {
      const grown = new Int32Array(this.next.length * 2);
      grown.set(this.next);
      this.next = grown;
      const counts = new Int32Array(this.counts.length * 2);
      this.counts = counts;
    }
    for (let k = 0; k < SIGNATURE_SIZE; k++) {
      const key = (sig[k] as number) & KEY_MASK;
      const head = this.heads[k] as Map<number, number>;
      this.next[i * SIGNATURE_SIZE + k] = head.get(key) ?? NONE;
      head.set(key, i);
    }
    return i;
  }

  /**
   * Up to `limit` eligible antibodies, most similar to `sig` first, newest first on ties, skipping
   * any whose `key` was already chosen (one lesson shown once).
   */
  nearest(sig: Signature, limit: number, eligible: (i: number) => boolean, key: (i: number) => string): number[] {
    const touched: number[] = [];
    const counts = this.counts;
    for (let k = 0; k < SIGNATURE_SIZE; k++) {
      const value = sig[k] as number;
      let i = (this.heads[k] as Map<number, number>).get(value & KEY_MASK) ?? NONE;
      for (; i !== NONE; i = this.next[i * SIGNATURE_SIZE + k] as number) {
        if ((this.sigs[i] as Signature)[k] !== value) continue;
        if ((counts[i] as number) === 0) touched.push(i);
        counts[i] = (counts[i] as number) + 1;
      }
    }
    touched.sort((a, b) => (counts[b] as number) - (counts[a] as number) || b - a);
    const out: number[] = [];
    const shown = new Set<string>();
    const take = (i: number): void => {
      if (!eligible(i)) return;
      const k = key(i);
      if (shown.has(k)) return;
      shown.add(k);
      out.push(i);
    };
    for (let t = 0; t < touched.length && out.length < limit; t++) take(touched[t] as number);
    // Similarity 0: newest first.
    for (let i = this.sigs.length - 1; i >= 0 && out.length < limit; i--) if ((counts[i] as number) === 0) take(i);
    for (const i of touched) counts[i] = 0;
    return out;
  }
}
