/**
 * Honest accounting of what the healer did in a run, from the database: per batch, what the
 * healer's blocklist stopped beside what the swarm stopped (the learning curve) and the healer's
 * false positives beside its blocks; how many instant blocks were exact or near repeats of an
 * earlier breach (a blocklist that only catches verbatim replays is a cache, not immunity); the
 * figures of the held-out phase after `--freeze-healer-after`; and what antibodies cost in prompt
 * tokens.
 */
import { OUTCOMES } from '../domain.js';
import { signature, similarity, SIGNATURE_SIZE, type Signature } from '../healer/minhash.js';
import { emptyCounts } from '../stats/outcomes.js';
import type { Store } from '../store/store.js';
import { groupFigures } from './group-figures.js';
import type { FrozenPhase, ImmunityFigures, LearningCurveRow, RepeatFigures } from './types.js';

/** An instant block at least this similar (estimated shingle Jaccard) to an earlier breach is a near repeat. */
export const NEAR_REPEAT_SIMILARITY = 0.8;

/** `freezeAfter`: the run's --freeze-healer-after, or null. */
export function immunityFigures(store: Store, runId: number, freezeAfter: number | null): ImmunityFigures {
  const learningCurve = curve(store, runId);
  const cost = store.figures.antibodyCost(runId);
  return {
    healerBlocked: learningCurve.reduce((n, b) => n + b.healerBlocked, 0),
    healerFalsePositives: learningCurve.reduce((n, b) => n + b.healerFalsePositives, 0),
    learningCurve,
    repeats: repeats(store, runId),
    frozen: freezeAfter === null ? null : frozen(store, runId, freezeAfter),
    antibodyTokens: { rounds: cost.rounds, meanPerPrompt: cost.mean, maxPerPrompt: cost.max, total: cost.total },
  };
}

function curve(store: Store, runId: number): LearningCurveRow[] {
  const learnedIn = store.healerEvents.learnedByBatch(runId);
  return store.figures.learningCurve(runId).map((r) => ({ ...r, patternsLearned: learnedIn.get(r.batch) ?? 0 }));
}

const BANDS = 16;
const ROWS = SIGNATURE_SIZE / BANDS;

/** Locality-sensitive buckets of a signature: pairs above ~0.6 similarity share one almost surely. */
function bandKeys(sig: Signature): string[] {
  const keys: string[] = [];
  for (let b = 0; b < BANDS; b++) keys.push(`${b}:${Array.from(sig.subarray(b * ROWS, (b + 1) * ROWS)).join(',')}`);
  return keys;
}

function repeats(store: Store, runId: number): RepeatFigures {
  const breachShas = new Set<string>();
  const breachSigs: Signature[] = [];
  const buckets = new Map<string, number[]>();
  const out: RepeatFigures = { instantBlocks: 0, exact: 0, near: 0, novel: 0, nearThreshold: NEAR_REPEAT_SIMILARITY };
  // Rounds come in order, so everything indexed so far is an earlier breach.
  for (const r of store.rounds.breachesAndBlocks(runId)) {
    if (r.outcome === 'BREACHED') {
      breachShas.add(r.sha);
      const sig = signature(r.text);
      const index = breachSigs.push(sig) - 1;
      for (const k of bandKeys(sig)) {
        const list = buckets.get(k);
        if (list) list.push(index);
        else buckets.set(k, [index]);
      }
      continue;
    }
    out.instantBlocks += 1;
    if (breachShas.has(r.sha)) {
      out.exact += 1;
      continue;
    }
    const sig = signature(r.text);
    const tried = new Set<number>();
    let near = false;
    for (const k of bandKeys(sig)) {
      for (const i of buckets.get(k) ?? []) {
        if (tried.has(i)) continue;
        tried.add(i);
        if (similarity(sig, breachSigs[i] as Signature) >= NEAR_REPEAT_SIMILARITY) near = true;
        if (near) break;
      }
      if (near) break;
    }
    if (near) out.near += 1;
    else out.novel += 1;
  }
  return out;
}

function frozen(store: Store, runId: number, after: number): FrozenPhase {
  const counts = emptyCounts();
  let healerBlocked = 0;
  let healerFalsePositives = 0;
  for (const r of store.figures.countsAfter(runId, after)) {
    if (!(OUTCOMES as readonly string[]).includes(r.outcome)) continue;
    counts.rounds += r.n;
    if (r.kind === 'attack') counts.attacks += r.n;
    else counts.benign += r.n;
    counts[r.outcome] += r.n;
    if (r.outcome === 'INSTANT_BLOCKED') healerBlocked += r.n;
    if (r.outcome === 'FALSE_POSITIVE' && r.healer === 1) healerFalsePositives += r.n;
  }
  return { afterRound: after, ...groupFigures(counts), healerBlocked, healerFalsePositives, patternsLearned: store.healerEvents.learnedAfter(runId, after) };
}
