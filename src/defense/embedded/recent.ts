/**
 * A map that keeps its `capacity` most recently added entries (the oldest goes first) and at most
 * `maxKeyChars` characters of keys: the bounded per-text memory of the embedded detectors, which
 * must grow neither with a run's length nor with the length of its texts (4,096 inputs of 64 KiB
 * would otherwise be half a gigabyte). A key longer than the whole budget is not kept at all.
 */
export class Recent<V> {
  private readonly map = new Map<string, V>();
  private chars = 0;

  constructor(
    private readonly capacity: number,
    private readonly maxKeyChars = 4_000_000,
  ) {}

  get(key: string): V | undefined {
    return this.map.get(key);
  }

  /** Characters of the keys held now (what `maxKeyChars` bounds). */
  get keyChars(): number {
    return this.chars;
  }

  get size(): number {
    return this.map.size;
  }

  /** Adds `value` under `key` (dropping the oldest entries while over either bound) and returns it. */
  put(key: string, value: V): V {
    if (this.map.has(key)) {
      this.map.set(key, value);
      return value;
    }
    if (key.length > this.maxKeyChars) return value;
    this.chars += key.length;
    // Map keeps insertion order: the first key is the oldest.
    while (this.map.size >= this.capacity || this.chars > this.maxKeyChars) {
      const first = this.map.keys().next();
      if (first.done) break;
      this.map.delete(first.value);
      this.chars -= first.value.length;
    }
    this.map.set(key, value);
    return value;
  }
}
