/**
 * Carrier documents for indirect attacks: a document of one genre (email, web page, ticket…)
 * composed from its opener, a few of its body sentences in a drawn order, one of its ways to hide a
 * payload, and a closer; often with the task a user asks about it. Every document differs: no
 * fixed filler paragraph, the bodies are drawn without repeats and their slots filled anew.
 */
import type { SharedAttackParts } from '../../config/schemas.js';
import type { Rng } from '../../util/random.js';
import { phaseItems } from './phase.js';
import { fillSlots } from './slots.js';

/** Genre-specific joins: emails and notes are paragraphs, chat logs and tool output lines. */
const JOIN: Readonly<Record<string, string>> = { chat_log: '\n', tool_output: '\n' };

export interface Carrier {
  text: string;
  genre: string;
}

/** The carriers' genres in sorted order, once per parsed parts. */
const genresCache = new WeakMap<SharedAttackParts['carriers'], readonly string[]>();
function genresOf(carriers: SharedAttackParts['carriers']): readonly string[] {
  let genres = genresCache.get(carriers);
  if (!genres) genresCache.set(carriers, (genres = Object.keys(carriers).sort()));
  return genres;
}

/**
 * A document of a drawn genre hiding `payload`. `heldOut` selects which share of each genre's
 * openers, bodies, hiding sentences and closers, and of the tasks, may be used (phaseItems): the
 * learning phase and the held-out phase never share one.
 */
export function composeCarrier(parts: SharedAttackParts, payload: string, rng: Rng, heldOut: boolean): Carrier {
  const genre = rng.pick(genresOf(parts.carriers));
  const g = parts.carriers[genre] as SharedAttackParts['carriers'][string];
  const of = (list: readonly string[]): readonly string[] => phaseItems(list, heldOut);
  const pool = of(g.bodies);
  const bodies = rng.shuffle(pool).slice(0, rng.int(2, Math.min(6, Math.max(2, pool.length))));
  const hide = fillSlots(rng.pick(of(g.hides)), parts.slots, rng, { payload });
  // The payload sits anywhere among the bodies: first, last or in between.
  const at = rng.int(0, bodies.length);
  const lines = [rng.pick(of(g.openers)), ...bodies.slice(0, at), hide, ...bodies.slice(at), rng.pick(of(g.closers))].map((l) => (l === hide ? l : fillSlots(l, parts.slots, rng)));
  const doc = lines.join(JOIN[genre] ?? '\n\n');
  if (!rng.chance(0.6)) return { text: doc, genre };
  const task = rng.pick(of(parts.tasks));
  return { text: rng.chance(0.8) ? `${task}\n\n${doc}` : `${doc}\n\n${task}`, genre };
}
