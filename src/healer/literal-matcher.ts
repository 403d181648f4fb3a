/**
 * Aho–Corasick over UTF-16 code units: finds which of many literal patterns occur in a text in
 * time linear in the text, whatever the number of patterns. Patterns are data, never regexes.
 */
interface Node {
  next: Map<number, number>;
  fail: number;
  /** Nearest node on the fail chain that ends a pattern (-1: none). */
  outLink: number;
  ids: number[];
}

export class LiteralMatcher {
  private nodes: Node[] = [newNode()];
  private built = true;

  /** Adds a pattern; `id` is returned by `find` when it occurs. */
  add(pattern: string, id: number): void {
    if (pattern.length === 0) return;
    let state = 0;
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern.charCodeAt(i);
      const node = this.nodes[state] as Node;
      let nextState = node.next.get(c);
      if (nextState === undefined) {
        nextState = this.nodes.length;
        this.nodes.push(newNode());
        node.next.set(c, nextState);
      }
      state = nextState;
    }
    (this.nodes[state] as Node).ids.push(id);
    this.built = false;
  }

  get size(): number {
    return this.nodes.length;
  }

  /**
   * Ids of the patterns occurring in `text`, each once, in order of first occurrence;
   * `accept` filters ids, and the scan stops at the first accepted id when `firstOnly`.
   */
  find(text: string, accept: (id: number) => boolean = () => true, firstOnly = false): number[] {
    if (!this.built) this.build();
    const found: number[] = [];
    const seen = new Set<number>();
    // Each output node is walked at most once per scan, which keeps the scan linear.
    const reported = new Set<number>();
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      state = this.step(state, c);
      let out = (this.nodes[state] as Node).ids.length > 0 ? state : (this.nodes[state] as Node).outLink;
      while (out > 0 && !reported.has(out)) {
        reported.add(out);
        for (const id of (this.nodes[out] as Node).ids) {
          if (seen.has(id) || !accept(id)) continue;
          seen.add(id);
          found.push(id);
          if (firstOnly) return found;
        }
        out = (this.nodes[out] as Node).outLink;
      }
    }
    return found;
  }

  private step(state: number, c: number): number {
    for (;;) {
      const node = this.nodes[state] as Node;
      const next = node.next.get(c);
      if (next !== undefined) return next;
      if (state === 0) return 0;
      state = node.fail;
    }
  }

  private build(): void {
    const root = this.nodes[0] as Node;
    const queue: number[] = [];
    for (const child of root.next.values()) {
      const n = this.nodes[child] as Node;
      n.fail = 0;
      n.outLink = -1;
      queue.push(child);
    }
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head] as number;
      const node = this.nodes[state] as Node;
      for (const [c, child] of node.next) {
        const childNode = this.nodes[child] as Node;
        let f = node.fail;
        for (;;) {
          const target = (this.nodes[f] as Node).next.get(c);
          if (target !== undefined && target !== child) {
            childNode.fail = target;
            break;
          }
          if (f === 0) {
            childNode.fail = 0;
            break;
          }
          f = (this.nodes[f] as Node).fail;
        }
        const failNode = this.nodes[childNode.fail] as Node;
        childNode.outLink = failNode.ids.length > 0 ? childNode.fail : failNode.outLink;
        queue.push(child);
      }
    }
    this.built = true;
  }
}

function newNode(): Node {
  return { next: new Map(), fail: 0, outLink: -1, ids: [] };
}
