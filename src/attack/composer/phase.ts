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
