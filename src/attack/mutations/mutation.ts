import type { CategoryId } from '../../categories.js';
import type { Rng } from '../../util/random.js';

/**
 * What a mutation is: a small pure rewrite of an attack text that keeps its intent readable to an
 * LLM. Every random choice comes from the `rng` passed in, so the same seed gives the same text.
 * Each family lives in its own file beside this one; registry.ts lists them all.
 */

export interface MutationContext {
  category: CategoryId;
}

/**
 * Families, in the order they are applied when several mutations are stacked: word-level rewrites
 * (paraphrase), then character disguises, then structural framing (payload splitting), then
 * encodings, which therefore always encode the finished payload. (Framings, carrier documents and
 * other languages are parts of the composer, src/attack/composer/, not mutations.)
 */
export const MUTATION_FAMILIES = ['paraphrase', 'character', 'framing', 'encoding'] as const;
export type MutationFamily = (typeof MUTATION_FAMILIES)[number];

/** Stacking phase of each family (lower first); families of one phase keep the order they were drawn in. */
export const FAMILY_PHASE: Readonly<Record<MutationFamily, number>> = {
  paraphrase: 0,
  character: 1,
  framing: 2,
  encoding: 3,
};

export interface Mutation<Id extends string = string> {
  /** Stable name: stored in each attack's `strategy` (e.g. `t3+synonym+base64`), so never renamed. */
  readonly id: Id;
  readonly family: MutationFamily;
  /** Rewrites `text`; never throws, whatever the input. */
  apply(text: string, rng: Rng, ctx: MutationContext): string;
}

/** Declares a mutation, keeping its id as a literal type so the registry can type its names. */
export function defineMutation<const Id extends string>(mutation: Mutation<Id>): Mutation<Id> {
  return mutation;
}
