import type { CategoryId } from '../categories.js';
import type { Attacker, AttackBrief, AttackText } from '../domain.js';
import { ConfigError } from '../errors.js';
import { deriveSeed, Rng } from '../util/random.js';
import { DEFAULT_FILLER } from './mutations/phrases/carriers.js';
import { applyMutations, MUTATION_NAMES, type MutationName } from './mutations/registry.js';

/** The models the embedded attacker offers. */
export const EMBEDDED_ATTACKER_MODELS = ['mutator'] as const;

/** How many strategies a round stacks: index = count. A fair share of rounds stays unmutated. */
const STACK_WEIGHTS: readonly number[] = [0.28, 0.36, 0.26, 0.1];
/** Obfuscation templates are attacks about disguise: they are mutated more often. */
const STACK_WEIGHTS_OBFUSCATION: readonly number[] = [0.12, 0.4, 0.33, 0.15];

/**
 * Relative weight of each mutation before the category's favourites. A mutation missing here
 * weighs 1: registering a new one is enough for this attacker to draw it (and changes its
 * seeded attacks, so the pinned behaviour hashes move with it).
 */
const BASE_WEIGHT: Readonly<Partial<Record<MutationName, number>>> = {
  synonym: 3,
  noise: 2,
  leetspeak: 1.5,
  homoglyphs: 1.5,
  zero_width: 1.5,
  base64: 1,
  hex: 0.7,
  split: 1,
  roleplay: 1.5,
  bury: 1.5,
  language: 1.5,
};

const FAVOURED: Partial<Record<CategoryId, Partial<Record<MutationName, number>>>> = {
  indirect_injection: { bury: 6 },
  obfuscation: { base64: 4, hex: 4, homoglyphs: 4, zero_width: 4, leetspeak: 2, split: 2, language: 2 },
  jailbreak_roleplay: { roleplay: 2.5 },
  tool_misuse: { bury: 2 },
  data_exfiltration: { bury: 2 },
  supply_chain: { bury: 2 },
};

/** Strategies that cannot be stacked with each other in one round. */
const EXCLUSIVE: readonly (readonly MutationName[])[] = [['base64', 'hex']];

const weightsByCategory = new Map<CategoryId, Readonly<Record<MutationName, number>>>();

/** Relative weight of each strategy for a category (base weights times the category's favourites). */
export function strategyWeights(category: CategoryId): Readonly<Record<MutationName, number>> {
  let out = weightsByCategory.get(category);
  if (!out) {
    const boost = FAVOURED[category] ?? {};
    const w = Object.fromEntries(MUTATION_NAMES.map((name) => [name, (BASE_WEIGHT[name] ?? 1) * (boost[name] ?? 1)]));
    weightsByCategory.set(category, (out = w as Record<MutationName, number>));
  }
  return out;
}

/** Draws 0–3 strategies for one round, without repeats and without exclusive pairs. */
export function drawStrategies(category: CategoryId, rng: Rng): MutationName[] {
  const count = rng.weightedIndex(category === 'obfuscation' ? STACK_WEIGHTS_OBFUSCATION : STACK_WEIGHTS);
  const weights = strategyWeights(category);
  const chosen: MutationName[] = [];
  while (chosen.length < count) {
    const available = MUTATION_NAMES.filter(
      (n) => !chosen.includes(n) && !EXCLUSIVE.some((group) => group.includes(n) && group.some((o) => chosen.includes(o))),
    );
    if (available.length === 0) break;
    chosen.push(available[rng.weightedIndex(available.map((n) => weights[n]))] as MutationName);
  }
  return chosen;
}

/**
 * The embedded attack generator: a scenario template (index 0-based in the YAML `templates` list)
 * plus 0–3 seeded mutation strategies. Same brief seed, same text. Never refuses; uses no tokens.
 */
export function createEmbeddedAttacker(name: string, model: string): Attacker {
  if (!(EMBEDDED_ATTACKER_MODELS as readonly string[]).includes(model)) {
    throw new ConfigError(
      `attacker ${name}: embedded model "${model}" does not exist; valid embedded attacker models: ${EMBEDDED_ATTACKER_MODELS.join(', ')}.`,
    );
  }
  return {
    name,
    provider: 'embedded',
    model,
    async generate(brief: AttackBrief, signal?: AbortSignal): Promise<AttackText> {
      signal?.throwIfAborted();
      const started = performance.now();
      const { text, strategy } = embeddedAttack(brief);
      return { text, strategy, refused: false, attempts: 1, promptTokens: 0, completionTokens: 0, latencyMs: performance.now() - started };
    },
  };
}

/** The pure core of the embedded attacker, for tests and calibration scripts. */
export function embeddedAttack(brief: Pick<AttackBrief, 'category' | 'scenario' | 'seed'>): { text: string; strategy: string } {
  const templates = brief.scenario.templates;
  if (templates.length === 0) throw new ConfigError(`scenario ${brief.scenario.id} has no templates for the embedded attacker.`);
  // The brief's seed is re-hashed: xoroshiro128+ seeded with small consecutive integers gives
  // nearly identical first draws (seed 0, 1, 2… all start near 1.0), which would bias the first picks.
  const rng = new Rng(deriveSeed(brief.seed, 'embedded-attacker'));
  const index = rng.int(0, templates.length - 1);
  const strategies = drawStrategies(brief.category, rng);
  const { text, applied } = applyMutations(templates[index] as string, strategies, rng, { category: brief.category, filler: DEFAULT_FILLER });
  return { text, strategy: [`t${index}`, ...applied].join('+') };
}
