/**
 * The embedded attacker: attacks composed from parts (src/attack/composer/) — no model, no
 * network, no tokens. Same brief, same text; it never refuses. In conversation rounds it plays an
 * escalation (src/attack/conversation/); after a block it rewrites with other framings and
 * obfuscations.
 */
import type { ConversationParts } from '../config/conversations.js';
import type { SharedAttackParts } from '../config/schemas.js';
import type { Attacker, AttackBrief, AttackText, RefineBrief, TurnBrief, TurnText } from '../domain.js';
import { ConfigError } from '../errors.js';
import { composeAttack, type ComposedAttack } from './composer/compose.js';
import { escalation, refinedAttack } from './conversation/escalation.js';

/** The models the embedded attacker offers (`mutator`: its name since the first version). */
export const EMBEDDED_ATTACKER_MODELS = ['mutator'] as const;

/**
 * `conversations`: the folder's conversation parts, read on first use (only runs with
 * conversation rounds need them).
 */
export function createEmbeddedAttacker(name: string, model: string, parts: SharedAttackParts, conversations?: () => ConversationParts): Attacker {
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
    async converse(brief: TurnBrief, signal?: AbortSignal): Promise<TurnText> {
      signal?.throwIfAborted();
      if (!conversations) throw new Error(`attacker ${name} was built without conversation parts`);
      const file = conversations().categories.get(brief.category);
      if (!file) throw new Error(`no conversation parts for category ${brief.category}`);
      // The whole conversation is drawn from the round's seed; turn t is its t-th turn.
      const e = escalation(brief, brief.maxTurns, file.escalation, parts);
      const text = e.turns[Math.min(brief.turn, e.turns.length) - 1] as string;
      // Only the escalation's last turn carries the payload (escalation.ts).
      return { text, strategy: e.strategy, payload: e.payload, final: brief.turn >= e.turns.length, payloadTurn: e.turns.length, refused: false, attempts: 1, promptTokens: 0, completionTokens: 0, latencyMs: 0 };
    },
    async refine(brief: RefineBrief, signal?: AbortSignal): Promise<AttackText> {
      signal?.throwIfAborted();
      const a = refinedAttack(brief, brief.attempt, parts);
      return { text: a.text, strategy: a.strategy, payload: a.payload, refused: false, attempts: 1, promptTokens: 0, completionTokens: 0, latencyMs: 0 };
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
