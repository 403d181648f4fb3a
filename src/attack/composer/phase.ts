/**
 * The two phases of the embedded attacker's parts: before `--freeze-healer-after` (learning) and
 * after it (held out). Each list of alternatives is split by position, not content.
 */

/** Every HELD_OUT_EVERY-th part (index % HELD_OUT_EVERY === HELD_OUT_EVERY - 1) is held out. */
const HELD_OUT_EVERY = 4;
export const isHeldOutIndex = (i: number): boolean => i % HELD_OUT_EVERY === HELD_OUT_EVERY - 1;

/**
 * The alternatives of a part that a phase may use: the held-out share in the held-out phase, the
 * rest before it (all of them when a list is too short to split). Each keeps its index in `list`.
 */
export function phaseOf<T>(list: readonly T[], heldOut: boolean): Array<{ item: T; i: number }> {
  const all = list.map((item, i) => ({ item, i }));
  const phase = all.filter(({ i }) => isHeldOutIndex(i) === heldOut);
  return phase.length > 0 ? phase : all;
}

/** Per list: its items of the learning phase and of the held-out phase, computed on first use. */
const itemsCache = new WeakMap<readonly unknown[], { learning?: readonly unknown[]; heldOut?: readonly unknown[] }>();

/**
 * The items of `list` that a phase may use (phaseOf without the indices), computed once per list
 * and phase: the lists are the scenario's parsed parts, which live as long as the run, and a
 * round's attack would otherwise allocate these arrays again for every part it draws.
 */
export function phaseItems<T>(list: readonly T[], heldOut: boolean): readonly T[] {
  let entry = itemsCache.get(list);
  if (!entry) itemsCache.set(list, (entry = {}));
  const key = heldOut ? 'heldOut' : 'learning';
  let items = entry[key] as readonly T[] | undefined;
  if (!items) entry[key] = items = Object.freeze(phaseOf(list, heldOut).map(({ item }) => item));
  return items;
}
