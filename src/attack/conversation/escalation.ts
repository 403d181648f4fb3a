/**
 * The embedded multi-turn attacker's conversations: an escalation per category, composed from
 * the category's conversation parts (scenarios/conversations/) — an innocent opener, rapport or
 * context-building, one or more reframings that move towards the goal without stating it, and a
 * last turn that makes the move: a bridge whose {payload} is an attack written by the single-turn
 * composer (its payload decks with the held-out rule of --freeze-healer-after, its framings and
 * its obfuscations). Not one attack cut into pieces: only the last turn carries the payload.
 * Pure: the same brief gives the same conversation.
 */
import type { ConversationFile } from '../../config/conversations.js';
import type { SharedAttackParts } from '../../config/schemas.js';
import type { AttackBrief } from '../../domain.js';
import { deriveSeed, Rng } from '../../util/random.js';
import { composeAttack, type ComposedAttack } from '../composer/compose.js';
import { fillSlots } from '../composer/slots.js';

export interface Escalation {
  /** The user turns, in order; the last carries the payload. */
  turns: string[];
  /** Which parts were used, e.g. `o3+r1+f7+b2|p12+f40+synonym`. */
  strategy: string;
  payload: string;
}

/** Attack parts of one round, as the single-turn composer is asked for them. */
type Brief = Pick<AttackBrief, 'category' | 'scenario' | 'seed' | 'ordinal' | 'deckSeed' | 'heldOut'>;

/**
 * The conversation of one round: between min(3, maxTurns) and maxTurns user turns (one when
 * maxTurns is 1: the composed attack in a bridge). Middle turns are rapport first, then
 * reframings, never the same part twice.
 */
export function escalation(brief: Brief, maxTurns: number, parts: ConversationFile['escalation'], shared: SharedAttackParts): Escalation {
  const rng = new Rng(deriveSeed(brief.seed, 'escalation'));
  const count = maxTurns <= 1 ? 1 : rng.int(Math.min(3, maxTurns), maxTurns);
  const attack: ComposedAttack = composeAttack({ category: brief.category, scenario: brief.scenario, seed: brief.seed, deckSeed: brief.deckSeed, ordinal: brief.ordinal, heldOut: brief.heldOut }, shared);
  const used: string[] = [];
  const turns: string[] = [];
  const fill = (t: string): string => fillSlots(t, shared.slots, rng);
  if (count >= 2) {
    const o = rng.int(0, parts.openers.length - 1);
    used.push(`o${o}`);
    turns.push(fill(parts.openers[o] as string));
    const middle = count - 2;
    // Rapport for the first middle turn (or two when the conversation is long), reframings after.
    const rapportTurns = middle === 0 ? 0 : middle >= 3 ? 2 : 1;
    const rapport = rng.shuffle(parts.rapport.map((_, i) => i)).slice(0, rapportTurns);
    const reframings = rng.shuffle(parts.reframings.map((_, i) => i)).slice(0, middle - rapportTurns);
    for (const i of rapport) {
      used.push(`r${i}`);
      turns.push(fill(parts.rapport[i] as string));
    }
    for (const i of reframings) {
      used.push(`f${i}`);
      turns.push(fill(parts.reframings[i] as string));
    }
  }
  const b = rng.int(0, parts.bridges.length - 1);
  used.push(`b${b}`);
  turns.push(fillSlots(parts.bridges[b] as string, shared.slots, rng, { payload: attack.text }));
  return { turns, strategy: `${used.join('+')}|${attack.strategy}`, payload: attack.payload };
}

/**
 * The embedded attacker's rewrite of a blocked attempt: the same payload (the same deck and
 * ordinal), with other framings and obfuscations drawn for attempt `attempt`. It does not read
 * feedback: it has no model to read it with.
 */
export function refinedAttack(brief: Brief, attempt: number, shared: SharedAttackParts): ComposedAttack {
  const a = composeAttack({ category: brief.category, scenario: brief.scenario, seed: deriveSeed(brief.seed, 'refine', attempt), deckSeed: brief.deckSeed, ordinal: brief.ordinal, heldOut: brief.heldOut }, shared);
  return { ...a, strategy: `${a.strategy}+a${attempt}` };
}
