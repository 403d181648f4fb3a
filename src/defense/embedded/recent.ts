/**
 * A map that keeps its `capacity` most recently added entries (the oldest goes first): the
 * bounded per-text memory of the embedded detectors, which must not grow with a run's length.
 */
export class Recent<V> {
  private readonly map = new Map<string, V>();

  constructor(private readonly capacity: number) {}

  get(key: string): V | undefined {
    return this.map.get(key);
  }

  /** Adds `value` under `key` (dropping the oldest entry when full) and returns it. */
  put(key: string, value: V): V {
    if (this.map.size >= this.capacity && !this.map.has(key)) {
      // Map keeps insertion order: the first key is the oldest.
      const first = this.map.keys().next();
      if (!first.done) this.map.delete(first.value);
    }
    this.map.set(key, value);
    return value;
  }
}
