/**
 * The embedded attacker: attacks composed from parts (src/attack/composer/) — no model, no
 * network, no tokens. Same brief, same text; it never refuses.
 */
import type { SharedAttackParts } from '../config/schemas.js';
import type { Attacker, AttackBrief, AttackText } from '../domain.js';
import { ConfigError } from '../errors.js';
import { composeAttack, type ComposedAttack } from './composer/compose.js';

/** The models the embedded attacker offers (`mutator`: its name since the first version). */
export const EMBEDDED_ATTACKER_MODELS = ['mutator'] as const;

export function createEmbeddedAttacker(name: string, model: string, parts: SharedAttackParts): Attacker {
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
      const a = embeddedAttack(brief, parts);
      return { text: a.text, strategy: a.strategy, payload: a.payload, refused: false, attempts: 1, promptTokens: 0, completionTokens: 0, latencyMs: performance.now() - started };
    },
  };
}

/** The pure core of the embedded attacker, for tests and benches. */
export function embeddedAttack(brief: Pick<AttackBrief, 'category' | 'scenario' | 'seed' | 'ordinal' | 'deckSeed' | 'heldOut'>, parts: SharedAttackParts): ComposedAttack {
  return composeAttack(
    { category: brief.category, scenario: brief.scenario, seed: brief.seed, deckSeed: brief.deckSeed, ordinal: brief.ordinal, heldOut: brief.heldOut },
    parts,
  );
}
