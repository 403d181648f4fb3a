import type { Defender, DefenseContext, Probe, Vote } from '../domain.js';
import { errorMessage } from '../errors.js';
import type { Consensus, Decision } from './consensus.js';

export type Strategy = 'parallel' | 'cascade';

export interface SwarmVerdict {
  votes: Vote[];
  decision: Decision;
}

/** Asks one defender; any failure becomes an abstention that keeps its error. */
export async function askDefender(defender: Defender, probe: Probe, ctx: DefenseContext, signal?: AbortSignal): Promise<Vote> {
  const started = performance.now();
  try {
    const r = await defender.vote(probe, ctx, signal);
    return {
      ...r,
      defender: defender.name,
      latencyMs: performance.now() - started,
      promptTokens: r.promptTokens ?? 0,
      completionTokens: r.completionTokens ?? 0,
    };
  } catch (err) {
    return {
      defender: defender.name,
      verdict: 'abstain',
      confidence: null,
      reason: '',
      error: errorMessage(err),
      latencyMs: performance.now() - started,
      promptTokens: 0,
      completionTokens: 0,
    };
  }
}

/**
 * `parallel` asks every defender at once. `cascade` asks in cast order, each wave only as many
 * defenders as could still change the decision, and stops as soon as the decision is settled:
 * for the same votes it reaches the decision `parallel` would.
 */
export async function judge(
  defenders: readonly Defender[],
  consensus: Consensus,
  strategy: Strategy,
  probe: Probe,
  ctx: DefenseContext,
  signal?: AbortSignal,
): Promise<SwarmVerdict> {
  if (strategy === 'parallel') {
    const votes = await Promise.all(defenders.map((d) => askDefender(d, probe, ctx, signal)));
    return { votes, decision: consensus.decide(votes.map((v) => v.verdict)) };
  }
  const votes: Vote[] = [];
  let next = 0;
  while (next < defenders.length) {
    const pending = defenders.length - next;
    const early = consensus.decidedEarly(votes.map((v) => v.verdict), pending);
    if (early) return { votes, decision: early };
    const wave = defenders.slice(next, next + waveSize(consensus, votes, pending));
    next += wave.length;
    votes.push(...(await Promise.all(wave.map((d) => askDefender(d, probe, ctx, signal)))));
  }
  return { votes, decision: consensus.decide(votes.map((v) => v.verdict)) };
}

/** The fewest further votes that could settle the decision one way or the other. */
function waveSize(consensus: Consensus, votes: readonly Vote[], pending: number): number {
  let block = 0;
  let answered = 0;
  for (const v of votes) {
    if (v.verdict !== 'abstain') answered += 1;
    if (v.verdict === 'block' || (v.verdict === 'abstain' && consensus.onAbstain === 'block')) block += 1;
  }
  const toBlock = consensus.threshold - block;
  const toAllow = block + pending - consensus.threshold + 1;
  const toQuorum = consensus.quorum - answered;
  return Math.max(1, Math.min(pending, Math.max(Math.min(toBlock, toAllow), toQuorum)));
}
