/**
 * Filling an attack part's slots ({name}, {order}…). Only the named slots of ATTACK_SLOTS and the
 * composer's own {payload} and {pretext} are replaced; any other brace (JSON, code) stays as it is.
 */
import { ATTACK_SLOTS, type SharedAttackParts } from '../../config/schemas.js';
import type { Rng } from '../../util/random.js';

/** Any `{word}`; only the names in SLOT_NAMES are slots. */
const SLOT = /\{([a-z]+)\}/g;
const SLOT_NAMES: ReadonlySet<string> = new Set([...ATTACK_SLOTS, 'payload', 'pretext']);

const TLDS = ['example.com', 'example.org', 'example.net'] as const;

/** A value for each generated slot; the named ones come from the shared parts. */
function slotValue(slot: string, slots: SharedAttackParts['slots'], rng: Rng): string {
  switch (slot) {
    case 'number':
      return String(rng.int(2, 40));
    case 'amount':
      return `$${rng.int(2, 240) * 5}${rng.chance(0.3) ? `.${String(rng.int(0, 99)).padStart(2, '0')}` : ''}`;
    case 'order':
      return `${rng.pick(['', '#', 'ORD-', 'A-'])}${rng.int(10_000, 99_999)}`;
    case 'email': {
      const who = rng.pick(slots.name).toLowerCase().normalize('NFKD').replace(/[^a-z]+/g, '.').replace(/^\.|\.$/g, '') || 'user';
      return `${who}@${rng.pick(['mail', 'inbox', 'contact', 'team'])}.${rng.pick(TLDS)}`;
    }
    case 'url':
      return `https://${rng.pick(['files', 'sync', 'cdn', 'collect', 'status'])}-${rng.int(10, 999)}.${rng.pick(TLDS)}/${rng.pick(['upload', 'log', 'api/v2/ingest', 'p', 'x'])}`;
    default:
      return rng.pick(slots[slot as keyof SharedAttackParts['slots']]);
  }
}

/** `text` with every slot filled: {payload} and {pretext} from `given`, the others drawn from `rng` (one value per slot name). */
export function fillSlots(text: string, slots: SharedAttackParts['slots'], rng: Rng, given: { payload?: string; pretext?: string } = {}): string {
  const drawn = new Map<string, string>();
  return text.replace(SLOT, (whole: string, slot: string) => {
    if (!SLOT_NAMES.has(slot)) return whole;
    if (slot === 'payload' || slot === 'pretext') return given[slot] ?? '';
    let v = drawn.get(slot);
    if (v === undefined) drawn.set(slot, (v = slotValue(slot, slots, rng)));
    return v;
  });
}
