/**
 * RFC 6901 JSON pointers, read only: `""` is the whole document, `/a/b/0` walks objects by key
 * and arrays by index, `~1` stands for "/" and `~0` for "~". Small enough to keep here rather
 * than take a dependency for: evaluation is the RFC's section 4 and nothing else (no "-", no
 * relative pointers). The documents walked are untrusted answers: only own keys count, so a
 * pointer can never reach `__proto__` or `constructor` through the prototype.
 */

/** The reference tokens of a pointer, unescaped; undefined when the pointer is malformed. */
export function pointerTokens(pointer: string): string[] | undefined {
  if (pointer === '') return [];
  if (!pointer.startsWith('/') || /~[^01]|~$/.test(pointer)) return undefined;
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export type Resolved = { found: true; value: unknown } | { found: false };

/** What `pointer` points at in `doc`, or `{ found: false }` when any step is missing. */
export function resolvePointer(doc: unknown, pointer: string): Resolved {
  const tokens = pointerTokens(pointer);
  if (!tokens) return { found: false };
  let at: unknown = doc;
  for (const t of tokens) {
    if (Array.isArray(at)) {
      // Array indices are "0" or digits without a leading zero.
      if (!/^(?:0|[1-9]\d*)$/.test(t) || Number(t) >= at.length) return { found: false };
      at = at[Number(t)];
    } else if (at !== null && typeof at === 'object' && Object.hasOwn(at, t)) {
      at = (at as Record<string, unknown>)[t];
    } else {
      return { found: false };
    }
  }
  return { found: true, value: at };
}
