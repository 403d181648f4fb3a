/**
 * Multi-pattern literal matching over UTF-16 code units: which of many literal patterns occur in
 * a text. Patterns are data, never regexes.
 *
 * The patterns live in one trie that grows in place: adding a pattern touches only its own
 * characters, so a healer that learns a pattern every few rounds never pays for the patterns it
 * already has. (The first version was a textbook Aho–Corasick; its failure links had to be
 * rebuilt over the whole trie after every add, which made a long run quadratic: 10,000 rounds
 * spent two thirds of their time rebuilding.) A scan walks the trie from each position of the
 * text, so its cost is at most text length × longest pattern, whatever the number of patterns; in
 * practice a walk ends after a character or two, because the healer's patterns all start with a
 * space (whole words: see normalize.ts) and diverge within their first word.
 *
 * Memory: a node with one child (most of them: the tails of patterns) keeps its edge in two typed
 * arrays; only branching nodes get a Map.
 */
const NONE = -1;

export class LiteralMatcher {
  private count = 1;
  /** Single-child edges: the child's character (NONE: no child, or see `kids`) and the child. */
  private oneChar: Int32Array = new Int32Array(1024).fill(NONE);
  private oneNext: Int32Array = new Int32Array(1024);
  /** 1 where a pattern ends at the node (its ids are in `ends`). */
  private ending: Uint8Array = new Uint8Array(1024);
  /** Children of branching nodes. */
  private readonly kids: Array<Map<number, number> | undefined> = [];
  /** Ids of the patterns ending at a node, in the order they were added. */
  private readonly ends = new Map<number, number[]>();

  /** Adds a pattern; `id` is returned by `find` when it occurs. */
  add(pattern: string, id: number): void {
    if (pattern.length === 0) return;
    let state = 0;
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern.charCodeAt(i);
      let next = this.child(state, c);
      if (next === NONE) {
        next = this.newNode();
        this.link(state, c, next);
      }
      state = next;
    }
    const ids = this.ends.get(state);
    if (ids) ids.push(id);
    else this.ends.set(state, [id]);
    this.ending[state] = 1;
  }

  /** Trie nodes (the root included). */
  get size(): number {
    return this.count;
  }

  /**
   * Ids of the patterns occurring in `text`, each once, in order of first occurrence (by where the
   * occurrence ends; of two ending at the same place, the longer first); `accept` filters ids, and
   * with `firstOnly` only the first accepted id is returned.
   */
  find(text: string, accept: (id: number) => boolean = () => true, firstOnly = false): number[] {
    if (this.ends.size === 0) return [];
    if (firstOnly) {
      let best = NONE;
      let bestEnd = Number.POSITIVE_INFINITY;
      // A match starting at i ends after i, so once i reaches the best end nothing can beat it.
      for (let i = 0; i < text.length && i + 1 < bestEnd; i++) {
        let state = 0;
        for (let j = i; j < text.length && j + 1 < bestEnd; j++) {
          state = this.child(state, text.charCodeAt(j));
          if (state === NONE) break;
          const ids = this.ending[state] ? this.ends.get(state) : undefined;
          if (!ids) continue;
          const id = ids.find(accept);
          // Walking on only finds longer matches ending later: this start is done.
          if (id !== undefined) {
            best = id;
            bestEnd = j + 1;
            break;
          }
        }
      }
      return best === NONE ? [] : [best];
    }
    const first = new Map<number, { end: number; length: number; order: number }>();
    let order = 0;
    for (let i = 0; i < text.length; i++) {
      let state = 0;
      for (let j = i; j < text.length; j++) {
        state = this.child(state, text.charCodeAt(j));
        if (state === NONE) break;
        const ids = this.ending[state] ? this.ends.get(state) : undefined;
        if (!ids) continue;
        for (const id of ids) {
          if (first.has(id) || !accept(id)) continue;
          first.set(id, { end: j + 1, length: j + 1 - i, order: order++ });
        }
      }
    }
    return [...first]
      .sort(([, a], [, b]) => a.end - b.end || b.length - a.length || a.order - b.order)
      .map(([id]) => id);
  }

  private child(state: number, c: number): number {
    const kids = this.kids[state];
    if (kids) return kids.get(c) ?? NONE;
    return this.oneChar[state] === c ? (this.oneNext[state] as number) : NONE;
  }

  private link(state: number, c: number, next: number): void {
    const kids = this.kids[state];
    if (kids) {
      kids.set(c, next);
    } else if (this.oneChar[state] === NONE) {
      this.oneChar[state] = c;
      this.oneNext[state] = next;
    } else {
      this.kids[state] = new Map([
        [this.oneChar[state] as number, this.oneNext[state] as number],
        [c, next],
      ]);
      this.oneChar[state] = NONE;
    }
  }

  private newNode(): number {
    if (this.count === this.oneChar.length) {
      const grow = (a: Int32Array, fill: number): Int32Array => {
        const b = new Int32Array(a.length * 2).fill(fill);
        b.set(a);
        return b;
      };
      this.oneChar = grow(this.oneChar, NONE);
      this.oneNext = grow(this.oneNext, 0);
      const ending = new Uint8Array(this.ending.length * 2);
      ending.set(this.ending);
      this.ending = ending;
    }
    return this.count++;
  }
}
