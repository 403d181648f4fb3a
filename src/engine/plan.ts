import type { CategoryId, RoundCategory } from '../categories.js';
import type { WargameConfig } from '../config/run-config.js';
import type { Scenario } from '../config/schemas.js';
import type { ConversationTurn, RoundKind } from '../domain.js';
import { createHash } from 'node:crypto';
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
 * A plan as the engine reads it: round `i + 1` at index `i`, in round order. A replay's or an
 * eval's plan is an array (its rounds hold texts); a wargame's is a {@link CompactPlan}. Arrays
 * are plans as they stand.
 */
export interface Plan {
  readonly length: number;
  /** The round at 0-based `index` (a new object for a compact plan: do not keep it past its round). */
  at(index: number): PlannedRound | undefined;
}

/** The rounds of a plan, in order. */
export function* planRounds(plan: Plan): Generator<PlannedRound> {
  for (let i = 0; i < plan.length; i++) yield plan.at(i) as PlannedRound;
}

const KIND_BENIGN = 1;
const KIND_CONVERSATION = 2;
/** An attack round of a plan drawn with no attacker in the pool. */
const NO_ATTACKER = 0xffff;

/**
 * A drawn wargame plan in typed arrays, 8 bytes a round (a million-round plan of objects held
 * about 100 MB); `at` builds the round's object when the engine asks for it.
 */
export class CompactPlan implements Plan {
  /** Bit 0: benign; bit 1: a conversation. */
  private readonly flags: Uint8Array;
  private readonly category: Uint8Array;
  private readonly attacker: Uint16Array;
  /** Benign: the control's index; attack: its ordinal among its category's attacks. */
  private readonly index: Uint32Array;

  constructor(
    readonly length: number,
    private readonly batchSize: number,
    private readonly categories: readonly CategoryId[],
    private readonly attackers: readonly string[],
  ) {
    this.flags = new Uint8Array(length);
    this.category = new Uint8Array(length);
    this.attacker = new Uint16Array(length);
    this.index = new Uint32Array(length);
  }

  /** Sets round `i + 1`; `category` and `attacker` index the constructor's lists. */
  set(i: number, benign: boolean, category: number, attacker: number, index: number): void {
    this.flags[i] = benign ? KIND_BENIGN : 0;
    this.category[i] = category;
    this.attacker[i] = attacker;
    this.index[i] = index;
  }

  isBenign(i: number): boolean {
    return ((this.flags[i] as number) & KIND_BENIGN) !== 0;
  }

  categoryOf(i: number): CategoryId {
    return this.categories[this.category[i] as number] as CategoryId;
  }

  /** Marks round `i + 1` a conversation (`benignIndex`: a benign conversation's index). */
  markConversation(i: number, benignIndex?: number): void {
    this.flags[i] = (this.flags[i] as number) | KIND_CONVERSATION;
    if (benignIndex !== undefined) this.index[i] = benignIndex;
  }

  *[Symbol.iterator](): Generator<PlannedRound> {
    for (let i = 0; i < this.length; i++) yield this.at(i) as PlannedRound;
  }

  at(i: number): PlannedRound | undefined {
    if (!Number.isInteger(i) || i < 0 || i >= this.length) return undefined;
    const round = i + 1;
    const batch = Math.floor(i / this.batchSize) + 1;
    const category = this.categoryOf(i);
    const flags = this.flags[i] as number;
    const conversation = (flags & KIND_CONVERSATION) !== 0;
    // Plain literals with a fixed key order, not spreads: one hidden class for every round.
    const p: PlannedRound =
      (flags & KIND_BENIGN) !== 0
        ? { round, batch, category, kind: 'benign', attacker: BENIGN_ATTACKER, benignIndex: this.index[i] as number }
        : { round, batch, category, kind: 'attack', attacker: this.attackers[this.attacker[i] as number] ?? 'none', ordinal: this.index[i] as number };
    if (conversation) p.conversation = true;
    return p;
  }
}

/**
 * The whole plan, drawn from the seed before the first round: categories in shuffled cycles (so
 * every category appears every |categories| rounds), exactly round(ratio × N) benign rounds at
 * random positions, attackers by weight. Each category's controls are dealt from a shuffled deck,
 * reshuffled only when exhausted: a control repeats only after every control of its category was
 * played, because a repeated text is not new evidence.
 */
export function drawPlan(o: PlanOptions): CompactPlan {
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
  // Category indices, one byte a round, drawn by the same shuffles as ever.
  const positions = o.categories.map((_, i) => i);
  const categories = new Uint8Array(o.rounds);
  for (let filled = 0; filled < o.rounds; ) {
    for (const c of rng.shuffle(positions)) {
      if (filled >= o.rounds) break;
      categories[filled++] = c;
    }
  }
  const benignRounds = Math.round(o.benignRatio * o.rounds);
  const benign = new Uint8Array(o.rounds);
  const order = shuffledIndices(rng, o.rounds);
  for (let k = 0; k < benignRounds; k++) benign[order[k] as number] = 1;
  const weights = o.attackers.map((a) => a.weight);
  const plan = new CompactPlan(o.rounds, o.batchSize, o.categories, o.attackers.map((a) => a.name));
  const attacksSoFar = new Map<CategoryId, number>();
  for (let i = 0; i < o.rounds; i++) {
    const c = categories[i] as number;
    const category = o.categories[c] as CategoryId;
    if (benign[i] === 1) {
      plan.set(i, true, c, 0, deal(category));
    } else {
      // An empty pool still draws (index -1: no attacker), as the plan always has.
      const drawn = rng.weightedIndex(weights);
      const attacker = drawn < 0 ? NO_ATTACKER : drawn;
      const ordinal = attacksSoFar.get(category) ?? 0;
      attacksSoFar.set(category, ordinal + 1);
      plan.set(i, false, c, attacker, ordinal);
    }
  }
  if (o.multiTurn !== undefined && o.multiTurn > 0) markConversations(plan, o);
  return plan;
}

/**
 * `rng.shuffle` of 0..n-1 in an Int32Array: the same draws and the same order as shuffling an
 * array of numbers, at 4 bytes an entry.
 */
function shuffledIndices(rng: Rng, n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(0, i);
    const t = out[i] as number;
    out[i] = out[j] as number;
    out[j] = t;
  }
  return out;
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
function markConversations(plan: CompactPlan, o: PlanOptions): void {
  const rng = new Rng(deriveSeed(o.seed, 'conversations'));
  const deckRng = new Rng(deriveSeed(o.seed, 'benign-conversations'));
  const decks = new Map<CategoryId, { order: number[]; next: number }>();
  const share = o.multiTurn as number;
  for (const benign of [false, true]) {
    const rounds: number[] = [];
    for (let i = 0; i < plan.length; i++) if (plan.isBenign(i) === benign) rounds.push(i);
    const chosen = rng.shuffle(rounds).slice(0, Math.round(share * rounds.length)).sort((a, b) => a - b);
    for (const i of chosen) {
      if (!benign) {
        plan.markConversation(i);
        continue;
      }
      const category = plan.categoryOf(i);
      let deck = decks.get(category);
      if (!deck || deck.next >= deck.order.length) {
        deck = { order: deckRng.shuffle(Array.from({ length: Math.max(1, o.benignConversations?.(category) ?? 1) }, (_, k) => k)), next: 0 };
        decks.set(category, deck);
      }
      plan.markConversation(i, deck.order[deck.next++] as number);
    }
  }
}

/** A wargame's plan, drawn from its stored configuration (a new run and its resume draw the same). */
export function wargamePlan(
  config: Pick<WargameConfig, 'options' | 'attackers'>,
  scenarios: ReadonlyMap<CategoryId, Scenario>,
  benignConversations?: (category: CategoryId) => number,
): CompactPlan {
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
 * The SHA-256 of a plan's encoding, the JSON array `[kind A(ttack) or B(enign), category,
 * attacker]` per round with a fourth element `C` for a conversation round: the bytes that
 * `runs.plan_json` held whole before it held this digest, so a run stored either way compares the
 * same. Hashed in chunks as it is written: a million-round encoding is never one string.
 */
export function planDigest(plan: Plan): string {
  const hash = createHash('sha256');
  let chunk = '[';
  for (let i = 0; i < plan.length; i++) {
    const p = plan.at(i) as PlannedRound;
    const entry = [p.kind === 'attack' ? 'A' : 'B', p.category, p.attacker];
    if (p.conversation) entry.push('C');
    chunk += (i === 0 ? '' : ',') + JSON.stringify(entry);
    if (chunk.length >= 1 << 16) {
      hash.update(chunk);
      chunk = '';
    }
  }
  hash.update(`${chunk}]`);
  return hash.digest('hex');
}

/** What `runs.plan_json` stores of a plan: its digest and length. */
export function storedPlan(plan: Plan): { sha256: string; rounds: number } {
  return { sha256: planDigest(plan), rounds: plan.length };
}

/**
 * Whether a stored `plan_json` is `plan`: the digest and length {@link storedPlan} wrote, or (a
 * run stored before the digest) the whole encoding, hashed as it stands.
 */
export function samePlan(planJson: string, plan: Plan): boolean {
  if (planJson.startsWith('[')) return createHash('sha256').update(planJson).digest('hex') === planDigest(plan);
  let stored: unknown;
  try {
    stored = JSON.parse(planJson);
  } catch {
    return false;
  }
  const s = stored as { sha256?: unknown; rounds?: unknown } | null;
  return typeof s === 'object' && s !== null && s.rounds === plan.length && s.sha256 === planDigest(plan);
}
