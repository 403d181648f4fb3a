import type { AddressReader } from './address.js';
import type { Analysis } from './analysis.js';
import type { EmbeddedDetector, Reading } from './detector.js';
import { Recent } from './recent.js';
import type { IndexTables, InIndex, Nearest, SimilarityIndex } from './similarity-index.js';
import { SimilarityIndex as Index } from './similarity-index.js';
import type { StateCodec } from './training-cache.js';
import type { Lexicon } from './tokens.js';

/**
 * Similarity detector: character 4-gram shingles of the deobfuscated text (links masked), compared
 * by cosine with known attacks (the scenarios' exemplars and the healer's antibodies) and with
 * known benign texts (the benign training split and the generic corpus), through an inverted
 * index built once per run. It blocks when
 * - the input is a near-copy of a known attack or antibody (cosine ≥ NEAR_COPY), or
 * - its three nearest known attacks are, on average, nearer than its three nearest benign texts
 *   by at least MARGIN (a nearest-neighbour vote).
 * The reason names the nearest known attack.
 */

/** Cosine at which an input counts as a copy of a known attack or antibody. */
export const NEAR_COPY = 0.5;
/** Required lead of the mean top-3 attack similarity over the mean top-3 benign similarity. */
export const MARGIN = 0.0;

/** How far `near` is past the old block line: positive when a near-copy, or nearer to attacks than to benign texts. */
function lead(near: Nearest): number {
  return Math.max(near.margin - MARGIN, near.cosine - NEAR_COPY);
}

/** In a document, windows that do not speak to an AI lose this much lead (see classifier.ts PEOPLE_WINDOW_PENALTY). */
export const PEOPLE_WINDOW_PENALTY = 0.05;

export interface SimilarityState {
  index: SimilarityIndex;
  address: AddressReader;
  /** What the index said of recent texts: per unit, its answer and the penalty of its window. */
  recent: Recent<{ found: InIndex; penalty: number }[]>;
}

/** Texts whose answers from the index a run keeps (see EmbeddedDetector.readsAntibodies). */
const KEPT = 4096;

/** The index's tables, bit for bit, in the training cache (the indexed texts in the JSON part). */
const stored: StateCodec<SimilarityState, { address: AddressReader; lexicon: Lexicon }> = {
  pack: ({ index }) => {
    const { docs, mask, invNorm, weight2ByDf, isAttack, table, postings } = index.tables;
    return { meta: { docs, mask }, arrays: [invNorm, weight2ByDf, isAttack, table, postings] };
  },
  unpack: ({ meta, arrays }, shared) => {
    const [invNorm, weight2ByDf, isAttack, table, postings] = arrays;
    const { docs, mask } = meta as Pick<IndexTables, 'docs' | 'mask'>;
    if (!(invNorm instanceof Float64Array && weight2ByDf instanceof Float64Array && isAttack instanceof Uint8Array && table instanceof Int32Array)) throw new RangeError('not a similarity entry');
    if (arrays.length !== 5 || !(postings instanceof Uint16Array || postings instanceof Int32Array)) throw new RangeError('not a similarity entry');
    const tables: IndexTables = { docs, mask, invNorm, weight2ByDf, isAttack, table, postings };
    return { index: new Index([], [], shared.lexicon, tables), address: shared.address, recent: new Recent(KEPT) };
  },
};

/** Indexes what it will read: messages whole, documents window by window (Analysis.units). */
export const similarityDetector: EmbeddedDetector<SimilarityState, 'similarity'> = {
  id: 'similarity',
  learns: true,
  readsAntibodies: true,
  stored,
  train: (pools, shared) => ({
    index: new Index(pools.units.attacks, pools.units.benign, shared.lexicon),
    address: shared.address,
    recent: new Recent(KEPT),
  }),
  read: (a, state, ctx) => {
    const { index } = state;
    const units = state.recent.get(a.text) ?? state.recent.put(a.text, inIndex(a, state));
    // A message is compared whole; a document window by window, its nearest window speaking for it.
    if (!a.layout.document) return reading(index, index.withAntibodies((units[0] as { found: InIndex }).found, ctx.antibodies), 0);
    let best: { near: Nearest; penalty: number } | undefined;
    for (const { found, penalty } of units) {
      const near = index.withAntibodies(found, ctx.antibodies);
      if (best === undefined || lead(near) - penalty > lead(best.near) - best.penalty) best = { near, penalty };
    }
    return best ? reading(index, best.near, best.penalty) : { score: -1, why: 'nothing to compare' };
  },
};

/** The index's answers for the units of an input: the whole message, or each window of a document. */
function inIndex(a: Analysis, { index, address }: SimilarityState): { found: InIndex; penalty: number }[] {
  if (!a.layout.document) return [{ found: index.inIndex(a.foldText), penalty: 0 }];
  const level = address.read(a).level;
  return a.units.map((u, i) => ({ found: index.inIndex(index.fold(u)), penalty: level[i] === 0 ? PEOPLE_WINDOW_PENALTY : 0 }));
}

function reading(index: SimilarityIndex, near: Nearest, penalty: number): Reading {
  const k = near.nearest;
  const what = k ? `${k.source}${k.category ? ` (${k.category})` : ''} "${index.quote(k.text)}" at ${near.cosine.toFixed(2)}` : 'none';
  const why = near.cosine >= NEAR_COPY ? `near-copy of a known attack: ${what}` : `lead over benign texts ${near.margin.toFixed(3)}; nearest known attack: ${what}`;
  return { score: lead(near) - penalty, why };
}
