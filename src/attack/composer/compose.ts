/**
 * The embedded attacker's composer. An attack is composed from parts, each drawn from the round's
 * seed:
 * - a **payload** (the goal, from the category's `attack.payloads`, or written in another language
 *   from `attack.payloads_i18n`), dealt from a shuffled deck per category so that a payload repeats
 *   only after every payload of its phase was used;
 * - a **pretext** (persona or justification) and a **framing** (how it is asked), or, for an
 *   indirect attack, a **carrier** document of some genre that hides it, often with the task the
 *   user asks about the document;
 * - 0–2 **obfuscations** from the mutation registry (paraphrase, character disguises, encodings,
 *   payload splitting), applied to the payload.
 * Every fourth alternative of every part (payloads, pretexts, framings, carrier openers, bodies,
 * hiding sentences and closers, tasks) is **held out**: used only in the held-out phase (rounds
 * after `--freeze-healer-after`), never before, so that phase measures generalisation to attacks
 * none of whose text the healer saw — not only a new payload in a framing or document it already
 * learned. Nothing is padded to look distinct.
 */
import type { CategoryId } from '../../categories.js';
import type { Scenario, SharedAttackParts } from '../../config/schemas.js';
import { deriveSeed, Rng } from '../../util/random.js';
import { applyMutations, type MutationName } from '../mutations/registry.js';
import { composeCarrier } from './carrier.js';
import { phaseItems, phaseOf } from './phase.js';
import { fillSlots } from './slots.js';

/** Share of a category's attacks delivered inside a carrier document (indirect). */
const CARRIER_SHARE: Partial<Record<CategoryId, number>> = {
  indirect_injection: 0.9,
  data_exfiltration: 0.35,
  supply_chain: 0.35,
  tool_misuse: 0.3,
  context_poisoning: 0.3,
  logic_bomb: 0.25,
};
const DEFAULT_CARRIER_SHARE = 0.12;

/** Share of attacks whose payload is written in another language. */
const LANGUAGE_SHARE: Partial<Record<CategoryId, number>> = { obfuscation: 0.3 };
const DEFAULT_LANGUAGE_SHARE = 0.1;

/** How many obfuscations an attack stacks: index = count. Obfuscation attacks are about disguise. */
const OBFUSCATION_COUNT: readonly number[] = [0.6, 0.32, 0.08];
const OBFUSCATION_COUNT_OBFUSCATION: readonly number[] = [0.1, 0.55, 0.35];

/** The mutations an attack may be disguised with, and their relative weights. */
const OBFUSCATIONS: ReadonlyArray<readonly [MutationName, number]> = [
  ['synonym', 3],
  ['noise', 2],
  ['leetspeak', 1.5],
  ['homoglyphs', 1.5],
  ['zero_width', 1.5],
  ['base64', 1],
  ['hex', 0.6],
  ['split', 1],
];
/** Encodings hide the whole payload: one is enough. */
const ONE_OF: ReadonlySet<MutationName> = new Set(['base64', 'hex']);

/** What a round asks of the composer. */
export interface CompositionRequest {
  category: CategoryId;
  scenario: Scenario;
  /** The round's seed (run seed and round): every draw of this attack comes from it. */
  seed: number;
  /** The run's deck seed for this category, and this attack's 0-based index among the category's attacks. */
  deckSeed: number;
  ordinal: number;
  /** The round is in the held-out phase: only held-out payloads and carrier bodies. */
  heldOut: boolean;
}

export interface ComposedAttack {
  text: string;
  /** Which parts were used, e.g. `p12+f40+synonym` or `de3+c:email+base64`. */
  strategy: string;
  /** The payload's stable id, e.g. `prompt_injection/p12` or `prompt_injection/de3`: attacks that share it share a goal. */
  payload: string;
}

interface PayloadChoice {
  id: string;
  text: string;
}

interface Decks {
  english: PayloadChoice[];
  foreign: PayloadChoice[];
}

/**
 * What every round of a run would otherwise rebuild from the same inputs: a scenario's decks, and
 * a deck's shuffled order per run seed and phase. Keyed by the scenario object (dropped with it);
 * the orders of one deck are bounded by MAX_ORDERS (a process that plays many runs starts over).
 */
const decksOf = new WeakMap<Scenario, Decks>();
const ordersOf = new WeakMap<readonly PayloadChoice[], Map<string, readonly PayloadChoice[]>>();
const MAX_ORDERS = 64;

function payloadDecks(s: Scenario): Decks {
  let decks = decksOf.get(s);
  if (!decks) decksOf.set(s, (decks = buildDecks(s)));
  return decks;
}

/**
 * A scenario's payloads in two decks: English (its templates when it has no attack parts) and the
 * other languages together (ids like `de3`, held out by their place in that joint list).
 */
function buildDecks(s: Scenario): Decks {
  const english = (s.attack?.payloads ?? s.templates).map((text, i) => ({ id: `p${i}`, text }));
  const foreign = Object.entries(s.attack?.payloads_i18n ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([lang, list]) => list.map((text, i) => ({ id: `${lang}${i}`, text })));
  return { english, foreign };
}

/** The `ordinal`-th payload of a deck: the phase's payloads shuffled once per run, category and deck. */
/** A scenario without pretexts: one shared empty list (phaseItems caches per list). */
const NO_PRETEXTS: readonly string[] = [];

function deal(list: readonly PayloadChoice[], deck: string, req: CompositionRequest): PayloadChoice {
  let orders = ordersOf.get(list);
  if (!orders) ordersOf.set(list, (orders = new Map()));
  const key = `${req.deckSeed}|${deck}|${req.heldOut}`;
  let order = orders.get(key);
  if (!order) {
    const from = phaseItems(list, req.heldOut);
    order = new Rng(deriveSeed(req.deckSeed, deck, req.heldOut ? 'held-out' : 'learning')).shuffle(from);
    if (orders.size >= MAX_ORDERS) orders.clear();
    orders.set(key, order);
  }
  return order[req.ordinal % order.length] as PayloadChoice;
}

/** The framings a scenario may use (those asking for a pretext only when it has pretexts), with their index. */
const framingsOf = new WeakMap<SharedAttackParts, Map<boolean, { withPretexts: IndexedFraming[]; without: IndexedFraming[] }>>();
type IndexedFraming = SharedAttackParts['framings'][number] & { i: number };

function usableFramings(parts: SharedAttackParts, hasPretexts: boolean, heldOut: boolean): IndexedFraming[] {
  let byPhase = framingsOf.get(parts);
  if (!byPhase) framingsOf.set(parts, (byPhase = new Map()));
  let f = byPhase.get(heldOut);
  if (!f) {
    const all = phaseOf(parts.framings, heldOut).map(({ item, i }) => ({ ...item, i }));
    byPhase.set(heldOut, (f = { withPretexts: all, without: all.filter((x) => !x.text.includes('{pretext}')) }));
  }
  return hasPretexts ? f.withPretexts : f.without;
}

/** Composes the attack of one round. Pure: the same request gives the same text. */
export function composeAttack(req: CompositionRequest, parts: SharedAttackParts): ComposedAttack {
  const rng = new Rng(deriveSeed(req.seed, 'composer'));
  const decks = payloadDecks(req.scenario);
  const useLanguage = decks.foreign.length > 0 && rng.chance(LANGUAGE_SHARE[req.category] ?? DEFAULT_LANGUAGE_SHARE);
  const payload = useLanguage ? deal(decks.foreign, 'foreign', req) : deal(decks.english, 'english', req);
  const used: string[] = [payload.id];

  let text = fillSlots(payload.text, parts.slots, rng);
  const count = rng.weightedIndex(req.category === 'obfuscation' ? OBFUSCATION_COUNT_OBFUSCATION : OBFUSCATION_COUNT);
  const chosen: MutationName[] = [];
  while (chosen.length < count) {
    const open = OBFUSCATIONS.filter(([n]) => !chosen.includes(n) && !(ONE_OF.has(n) && chosen.some((c) => ONE_OF.has(c))));
    if (open.length === 0) break;
    chosen.push((open[rng.weightedIndex(open.map(([, w]) => w))] as readonly [MutationName, number])[0]);
  }
  const mutated = applyMutations(text, chosen, rng, { category: req.category });
  text = mutated.text;

  const pretexts = phaseItems(req.scenario.attack?.pretexts ?? NO_PRETEXTS, req.heldOut);
  if (rng.chance(CARRIER_SHARE[req.category] ?? DEFAULT_CARRIER_SHARE)) {
    // Indirect: the (perhaps disguised) payload hidden in a document, with a pretext now and then.
    const hidden = pretexts.length > 0 && rng.chance(0.25) ? `${fillSlots(rng.pick(pretexts), parts.slots, rng)} ${text}` : text;
    const carrier = composeCarrier(parts, hidden, rng, req.heldOut);
    used.push(`c:${carrier.genre}`);
    text = carrier.text;
  } else {
    const framing = rng.pick(usableFramings(parts, pretexts.length > 0, req.heldOut));
    used.push(`f${framing.i}`);
    const pretext = framing.text.includes('{pretext}') ? fillSlots(rng.pick(pretexts), parts.slots, rng) : undefined;
    text = fillSlots(framing.text, parts.slots, rng, { payload: text, ...(pretext !== undefined ? { pretext } : {}) });
  }
  return { text, strategy: [...used, ...mutated.applied].join('+'), payload: `${req.category}/${payload.id}` };
}
