/**
 * A reusable set of 30-bit integers in typed arrays (open addressing, cleared by bumping a stamp),
 * for counting how many shingles of each antibody the input shares without a merge per antibody.
 */
export class ScratchSet {
  private keys = new Int32Array(1024);
  private stamps = new Int32Array(1024);
  private stamp = 0;

  /** Empties the set, making room for `n` values. */
  clear(n: number): void {
    let cap = this.keys.length;
    while (cap < n * 2) cap *= 2;
    if (cap !== this.keys.length) {
      this.keys = new Int32Array(cap);
      this.stamps = new Int32Array(cap);
      this.stamp = 0;
    }
    if (++this.stamp === 0x7fffffff) {
      this.stamps.fill(0);
      this.stamp = 1;
    }
  }

  /** Adds `v`; false when it was already there. */
  add(v: number): boolean {
    const mask = this.keys.length - 1;
    let slot = Math.imul(v, 0x9e3779b1) >>> 0 & mask;
    while (this.stamps[slot] === this.stamp) {
      if (this.keys[slot] === v) return false;
      slot = (slot + 1) & mask;
    }
    this.keys[slot] = v;
    this.stamps[slot] = this.stamp;
    return true;
  }

  /** How many of `values` are in the set. */
  countIn(values: Int32Array): number {
    const mask = this.keys.length - 1;
    let n = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      let slot = Math.imul(v, 0x9e3779b1) >>> 0 & mask;
      while (this.stamps[slot] === this.stamp) {
        if (this.keys[slot] === v) {
          n++;
          break;
        }
        slot = (slot + 1) & mask;
      }
    }
    return n;
  }
}
