import type { Rng } from '../../util/random.js';
import { homoglyphs, leetspeak, noise, zeroWidth } from './character.js';
import { base64, hex } from './encoding.js';
import { split } from './framing.js';
import { FAMILY_PHASE, MUTATION_FAMILIES, type Mutation, type MutationContext, type MutationFamily } from './mutation.js';
import { synonym } from './paraphrase.js';

export { MUTATION_FAMILIES, type Mutation, type MutationContext, type MutationFamily } from './mutation.js';

/**
 * Every mutation, registered once. A new mutation is a `defineMutation` in its family's file (or a
 * new file for a new family) and one entry here. Append: attackers draw over this list in this
 * order, so reordering it changes every seeded attack (and the pinned behaviour hashes).
 */
export const MUTATIONS = [synonym, noise, leetspeak, homoglyphs, zeroWidth, base64, hex, split] as const;

export type MutationName = (typeof MUTATIONS)[number]['id'];

/** The ids of `MUTATIONS`, in registry order. */
export const MUTATION_NAMES: readonly MutationName[] = MUTATIONS.map((m) => m.id);

const BY_NAME: ReadonlyMap<string, Mutation<MutationName>> = new Map(MUTATIONS.map((m) => [m.id, m]));

const BY_FAMILY: ReadonlyMap<MutationFamily, readonly Mutation<MutationName>[]> = new Map(
  MUTATION_FAMILIES.map((family) => [family, MUTATIONS.filter((m) => m.family === family)]),
);

/** The registered mutation called `name`. */
export function mutationNamed(name: MutationName): Mutation<MutationName> {
  return BY_NAME.get(name) as Mutation<MutationName>;
}

/** The mutations of one family, in registry order (e.g. every `character` disguise, to draw one from). */
export function mutationsOf(family: MutationFamily): readonly Mutation<MutationName>[] {
  return BY_FAMILY.get(family) ?? [];
}

/**
 * Applies `names` in family phase order (see FAMILY_PHASE; names of one phase keep their given
 * order), each drawing from `rng` in turn. Returns the text and the order used.
 */
export function applyMutations(
  text: string,
  names: readonly MutationName[],
  rng: Rng,
  ctx: MutationContext,
): { text: string; applied: MutationName[] } {
  const phase = (name: MutationName): number => FAMILY_PHASE[mutationNamed(name).family];
  const ordered = [...names].sort((a, b) => phase(a) - phase(b));
  let out = text;
  for (const name of ordered) out = mutationNamed(name).apply(out, rng, ctx);
  return { text: out, applied: ordered };
}
