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
 *
 * The index lives in typed arrays (an open-addressing hash table of (slot, value) → newest
 * antibody, and a chain to the previous antibody with the same value in that slot): 64 entries
 * per antibody would otherwise be 64 Map entries each on the JavaScript heap, which a 100,000-round
 * run pays for in garbage-collector headroom.
 */
import { SIGNATURE_SIZE, type Signature } from './minhash.js';

const NONE = -1;

function mix(slot: number, value: number): number {
  let h = Math.imul(value ^ Math.imul(slot + 1, 0x9e3779b9), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export class AntibodyIndex {
  private count = 0;
  /** next[i * 64 + k]: the previous antibody with the same value in slot k, or NONE. */
  private next = new Int32Array(SIGNATURE_SIZE * 64);
  /** Hash table of (slot, value): the value, its slot, and the newest antibody holding it (NONE: empty). */
  private tableValue = new Uint32Array(1 << 12);
  private tableSlot = new Uint8Array(1 << 12);
  private tableHead = new Int32Array(1 << 12).fill(NONE);
  private entries = 0;
  private counts = new Int32Array(64);
  /** byCount[c]: touched antibodies sharing c slots with the input (scratch of `nearest`, empty between calls). */
  private readonly byCount: number[][] = Array.from({ length: SIGNATURE_SIZE + 1 }, () => []);

  get size(): number {
    return this.count;
  }

  /** Adds the next antibody (index = the number added before it). */
  add(sig: Signature): number {
    const i = this.count++;
    if (this.count * SIGNATURE_SIZE > this.next.length) {
      const next = new Int32Array(this.next.length * 2);
      next.set(this.next);
      this.next = next;
      this.counts = new Int32Array(this.counts.length * 2);
    }
    for (let k = 0; k < SIGNATURE_SIZE; k++) {
      if ((this.entries + 1) * 4 > this.tableHead.length * 3) this.grow();
      const value = sig[k] as number;
      const at = this.find(k, value);
      if (this.tableHead[at] === NONE) {
        this.tableValue[at] = value;
        this.tableSlot[at] = k;
        this.entries += 1;
      }
      this.next[i * SIGNATURE_SIZE + k] = this.tableHead[at] as number;
      this.tableHead[at] = i;
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
      for (let i = this.tableHead[this.find(k, sig[k] as number)] as number; i !== NONE; i = this.next[i * SIGNATURE_SIZE + k] as number) {
        if ((counts[i] as number) === 0) touched.push(i);
        counts[i] = (counts[i] as number) + 1;
      }
    }
    const out: number[] = [];
    const shown = new Set<string>();
    const take = (i: number): void => {
      if (!eligible(i)) return;
      const k = key(i);
      if (shown.has(k)) return;
      shown.add(k);
      out.push(i);
    };
    // Ranked by count (most slots shared first), newest first on ties: bucketed by count, each
    // bucket sorted only when the walk reaches it. Sorting every touched antibody (hundreds per
    // round late in a run) to take eight was most of a round's healer time.
    const byCount = this.byCount;
    for (const i of touched) (byCount[counts[i] as number] as number[]).push(i);
    for (let c = SIGNATURE_SIZE; c >= 1 && out.length < limit; c--) {
      const bucket = byCount[c] as number[];
      if (bucket.length === 0) continue;
      bucket.sort((a, b) => b - a);
      for (let t = 0; t < bucket.length && out.length < limit; t++) take(bucket[t] as number);
    }
    for (const bucket of byCount) bucket.length = 0;
    // Similarity 0: newest first.
    for (let i = this.count - 1; i >= 0 && out.length < limit; i--) if ((counts[i] as number) === 0) take(i);
    for (const i of touched) counts[i] = 0;
    return out;
  }

  /** Calls `visit` with every antibody whose slot `slot` holds `value`, newest first. */
  forEachSharing(slot: number, value: number, visit: (i: number) => void): void {
    for (let i = this.tableHead[this.find(slot, value)] as number; i !== NONE; i = this.next[i * SIGNATURE_SIZE + slot] as number) visit(i);
  }

  /** The table position holding (slot, value), or the empty one where it would go (linear probing). */
  private find(slot: number, value: number): number {
    const mask = this.tableHead.length - 1;
    let at = mix(slot, value) & mask;
    while (this.tableHead[at] !== NONE && (this.tableValue[at] !== value || this.tableSlot[at] !== slot)) at = (at + 1) & mask;
    return at;
  }

  private grow(): void {
    const value = this.tableValue;
    const slot = this.tableSlot;
    const head = this.tableHead;
    const size = head.length * 2;
    this.tableValue = new Uint32Array(size);
    this.tableSlot = new Uint8Array(size);
    this.tableHead = new Int32Array(size).fill(NONE);
    for (let j = 0; j < head.length; j++) {
      if (head[j] === NONE) continue;
      const at = this.find(slot[j] as number, value[j] as number);
      this.tableValue[at] = value[j] as number;
      this.tableSlot[at] = slot[j] as number;
      this.tableHead[at] = head[j] as number;
    }
  }
}
