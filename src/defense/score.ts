/**
 * The swarm score: one number per judged input, in [0, 1], that ranks inputs by how sure the swarm
 * is that they should be blocked, so ROC curves and true-positive rates at a fixed false-positive
 * rate can be read at fine thresholds (a vote share has only as many levels as the cast has
 * defenders). It is the mean, over the defenders that answered, of each one's probability of
 * block: an embedded detector's calibrated probability, an LLM defender's confidence turned into a
 * probability (block with confidence c → c; allow with confidence c → 1 − c), or, when a
 * defender gives neither, its vote (block 1, allow 0). Abstentions take no part. Consensus still
 * decides by votes: the score never changes an outcome.
 */
import type { Vote } from '../domain.js';

/** One vote's probability of block, or undefined for an abstention. */
export function voteProbability(v: Pick<Vote, 'verdict' | 'confidence' | 'pBlock'>): number | undefined {
  if (v.verdict === 'abstain') return undefined;
  if (v.pBlock !== undefined && Number.isFinite(v.pBlock)) return Math.min(1, Math.max(0, v.pBlock));
  if (v.confidence !== null && Number.isFinite(v.confidence)) {
    const c = Math.min(1, Math.max(0, v.confidence));
    return v.verdict === 'block' ? c : 1 - c;
  }
  return v.verdict === 'block' ? 1 : 0;
}

/** The mean probability of block over the votes that answered; null when none did. */
export function swarmScore(votes: ReadonlyArray<Pick<Vote, 'verdict' | 'confidence' | 'pBlock'>>): number | null {
  let sum = 0;
  let n = 0;
  for (const v of votes) {
    const p = voteProbability(v);
    if (p === undefined) continue;
    sum += p;
    n += 1;
  }
  return n === 0 ? null : sum / n;
}
