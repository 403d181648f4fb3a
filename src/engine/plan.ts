import type { CategoryId, RoundCategory } from '../categories.js';
import type { WargameConfig } from '../config/run-config.js';
import type { Scenario } from '../config/schemas.js';
import type { ConversationTurn, RoundKind } from '../domain.js';
import { deriveSeed, Rng } from '../util/random.js';

export interface PlannedRound {
  /** 1-based. */
  round: number;
  /** 1-based. */
  batch: number;
  kind: RoundKind;
  /** `uncategorised` only for eval corpus rows that name no category. */
  category: RoundCategory;
  /** The attacker's name; `benign` for benign controls, `corpus` for eval rows; a replay keeps the source run's names. */
  attacker: string;
  /** Which benign control (index into the scenario's `controls`). */
  benignIndex?: number;
  /** Attack rounds: the 0-based index of this attack among the plan's attacks of its category. */
  ordinal?: number;
  /** A fixed input (replay, eval): no attacker is called. */
  text?: string;
  /** Where a fixed input came from (eval corpora). */
  source?: string;
  /** Replay: how the stored input was written (mutation strategies…), kept for reports. */
  strategy?: string;
  /** Replay: the source round's attacker refused; the round stays ATTACKER_REFUSED, no defender is asked. */
  refused?: boolean;
  /** Replay: the source round's attacker failed; the round stays an ERROR with this message. */
  attackerError?: string;
  /** Replay: the stored input was cut to the store's cap, so the round judges a cut text. */
  truncated?: boolean;
  /** --multi-turn: the round is a conversation (benign: `benignIndex` is then an index into the category's benign_conversations). */
  conversation?: boolean;
  /**
   * Replay of a conversation round: the stored user turns and replies, in order (judged by the new
   * cast turn by turn, stopping where it blocks); of an iterative round: its attempts (`attempts`).
   */
  turns?: readonly ConversationTurn[];
  attempts?: readonly string[];
  /** Replay of an attack conversation: the source round's payload turn (the same stored turns carry it). */
  payloadTurn?: number;
  /** Replay of an iterative round: how many attempts the source round could play (more than `attempts` when it breached early). */
  attemptsAllowed?: number;
  /**
   * Replay of an attack conversation the source stopped before its payload turn (or, payload turn
   * unknown, at any turn): the recording ends where the source's conversation would have gone on,
   * so a cast that allows every recorded turn never saw the payload — RECORDING_ENDED, not BREACHED.
   */
  recordingCut?: boolean;
}

export interface PlanOptions {
  seed: number;
  rounds: number;
  batchSize: number;
  categories: readonly CategoryId[];
  attackers: ReadonlyArray<{ name: string; weight: number }>;
  benignRatio: number;
  /** How many scored controls a category has. */
  benignCount: (category: CategoryId) => number;
  /** --multi-turn: the share of attack rounds and of benign rounds played as conversations (0 or absent: none). */
  multiTurn?: number | undefined;
  /** How many benign conversations a category has (needed when multiTurn > 0). */
  benignConversations?: ((category: CategoryId) => number) | undefined;
}

export const BENIGN_ATTACKER = 'benign';

/**
 * The whole plan, drawn from the seed before the first round: categories in shuffled cycles (so
 * every category appears every |categories| rounds), exactly round(ratio × N) benign rounds at
 * random positions, attackers by weight. Each category's controls are dealt from a shuffled deck,
 * reshuffled only when exhausted: a control repeats only after every control of its category was
 * played, because a repeated text is not new evidence.
 */
export function drawPlan(o: PlanOptions): PlannedRound[] {
  const rng = new Rng(deriveSeed(o.seed, 'plan'));
  const deckRng = new Rng(deriveSeed(o.seed, 'controls'));
  const decks = new Map<CategoryId, { order: number[]; next: number }>();
  const deal = (category: CategoryId): number => {
    let deck = decks.get(category);
    if (!deck || deck.next >= deck.order.length) {
      deck = { order: deckRng.shuffle(Array.from({ length: Math.max(1, o.benignCount(category)) }, (_, i) => i)), next: 0 };
      decks.set(category, deck);
    }
    return deck.order[deck.next++] as number;
  };
  const categories: CategoryId[] = [];
  while (categories.length < o.rounds) categories.push(...rng.shuffle(o.categories));
  const benignRounds = Math.round(o.benignRatio * o.rounds);
  const benign = new Set(rng.shuffle(Array.from({ length: o.rounds }, (_, i) => i)).slice(0, benignRounds));
  const weights = o.attackers.map((a) => a.weight);
  const plan: PlannedRound[] = [];
  const attacksSoFar = new Map<CategoryId, number>();
  for (let i = 0; i < o.rounds; i++) {
    const category = categories[i] as CategoryId;
    // Plain literals, not `{ ...base, kind }`: V8 (Node 20) gives every object made by spreading
    // and then adding keys its own hidden class, 200 bytes each; a 100,000-round plan held 20 MB of them.
    const round = i + 1;
    const batch = Math.floor(i / o.batchSize) + 1;
    if (benign.has(i)) {
      plan.push({ round, batch, category, kind: 'benign', attacker: BENIGN_ATTACKER, benignIndex: deal(category) });
    } else {
      const attacker = o.attackers[rng.weightedIndex(weights)];
      const ordinal = attacksSoFar.get(category) ?? 0;
      attacksSoFar.set(category, ordinal + 1);
      plan.push({ round, batch, category, kind: 'attack', attacker: attacker?.name ?? 'none', ordinal });
    }
  }
  if (o.multiTurn !== undefined && o.multiTurn > 0) markConversations(plan, o);
  return plan;
}

/**
 * How many attack rounds a plan of `rounds` plays as conversations, known before it is drawn:
 * round(multiTurn × attacks), attacks = rounds − round(benignRatio × rounds) (drawPlan's counts).
 */
export function plannedAttackConversations(o: { rounds: number; benignRatio: number; multiTurn?: number | undefined }): { attacks: number; conversations: number } {
  const attacks = o.rounds - Math.round(o.benignRatio * o.rounds);
  return { attacks, conversations: Math.round((o.multiTurn ?? 0) * attacks) };
}

/** The one line saying why a plan with --multi-turn has no attack conversation, or undefined when it has one. */
export function noConversationReason(o: { rounds: number; benignRatio: number; multiTurn?: number | undefined }): string | undefined {
  if (o.multiTurn === undefined || o.multiTurn === 0) return undefined;
  const { attacks, conversations } = plannedAttackConversations(o);
  return conversations > 0 ? undefined : `--multi-turn ${o.multiTurn} plays no attack conversation: ${o.multiTurn} × ${attacks} attack rounds rounds to 0; raise --multi-turn or --rounds`;
}

/**
 * Which rounds are conversations: exactly round(share × attacks) attack rounds and round(share ×
 * controls) benign rounds, at positions drawn from their own seeded stream (after every other
 * draw, so a plan without --multi-turn is drawn exactly as before); a benign conversation is dealt
 * without replacement from its category's pool, like controls.
 */
function markConversations(plan: PlannedRound[], o: PlanOptions): void {
  const rng = new Rng(deriveSeed(o.seed, 'conversations'));
  const deckRng = new Rng(deriveSeed(o.seed, 'benign-conversations'));
  const decks = new Map<CategoryId, { order: number[]; next: number }>();
  const share = o.multiTurn as number;
  for (const kind of ['attack', 'benign'] as const) {
    const rounds = plan.filter((p) => p.kind === kind);
    const chosen = rng.shuffle(rounds).slice(0, Math.round(share * rounds.length)).sort((a, b) => a.round - b.round);
    for (const p of chosen) {
      p.conversation = true;
      if (kind === 'benign') {
        const category = p.category as CategoryId;
        let deck = decks.get(category);
        if (!deck || deck.next >= deck.order.length) {
          deck = { order: deckRng.shuffle(Array.from({ length: Math.max(1, o.benignConversations?.(category) ?? 1) }, (_, i) => i)), next: 0 };
          decks.set(category, deck);
        }
        p.benignIndex = deck.order[deck.next++] as number;
      }
    }
  }
}

/** A wargame's plan, drawn from its stored configuration (a new run and its resume draw the same). */
export function wargamePlan(
  config: Pick<WargameConfig, 'options' | 'attackers'>,
  scenarios: ReadonlyMap<CategoryId, Scenario>,
  benignConversations?: (category: CategoryId) => number,
): PlannedRound[] {
  const o = config.options;
  return drawPlan({
    seed: o.seed,
    rounds: o.rounds,
    batchSize: o.batchSize,
    categories: o.categories,
    attackers: config.attackers.attackers.map((a) => ({ name: a.name, weight: a.weight })),
    benignRatio: o.benignRatio,
    benignCount: (c) => (scenarios.get(c) as Scenario).controls.length,
    multiTurn: o.multiTurn,
    benignConversations,
  });
}

/**
 * A plan as `runs.plan_json` stores it: [kind A(ttack) or B(enign), category, attacker] per round,
 * and a fourth element `C` for a conversation round (absent otherwise, so older plans read the same).
 */
export type EncodedPlan = Array<['A' | 'B', RoundCategory, string] | ['A' | 'B', RoundCategory, string, 'C']>;

export function encodePlan(plan: readonly PlannedRound[]): EncodedPlan {
  return plan.map((p) => (p.conversation ? [p.kind === 'attack' ? 'A' : 'B', p.category, p.attacker, 'C'] : [p.kind === 'attack' ? 'A' : 'B', p.category, p.attacker]));
}

/** Whether a stored `plan_json` is the encoding of `plan`. */
export function samePlan(planJson: string, plan: readonly PlannedRound[]): boolean {
  let stored: unknown;
  try {
    stored = JSON.parse(planJson);
  } catch {
    return false;
  }
  return JSON.stringify(stored) === JSON.stringify(encodePlan(plan));
}
