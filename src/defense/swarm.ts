import type { Defender, DefenseContext, Probe, Verdict, Vote } from '../domain.js';
import { errorMessage } from '../errors.js';
import { onAbort } from '../models/policy.js';
import type { Consensus, Decision } from './consensus.js';

export type Strategy = 'parallel' | 'cascade';

export interface SwarmVerdict {
  /** The answers, in cast order (cascade: only the defenders asked that answered). */
  votes: Vote[];
  decision: Decision;
  /** Cascade: calls cancelled in flight because the decision was reached without them. */
  aborted: number;
  /** Cascade: defenders never asked because the decision was reached without them. */
  skipped: number;
}

/** Asks one defender; any failure becomes an abstention that keeps its error. */
export async function askDefender(defender: Defender, probe: Probe, ctx: DefenseContext, signal?: AbortSignal): Promise<Vote> {
  const started = performance.now();
  try {
    const r = await defender.vote(probe, ctx, signal);
    // A literal, not `{ ...r, defender }`: V8 (Node 20) gives every object made by spreading and
    // then adding keys a hidden class of its own, allocated in the old generation: five per round.
    return {
      defender: defender.name,
      verdict: r.verdict,
      confidence: r.confidence,
      pBlock: r.pBlock,
      reason: r.reason,
      error: r.error,
      raw: r.raw,
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
 * `parallel` asks every defender at once. `cascade` asks them in cast order (list the cheapest
 * first), never more at a time than the fewest further answers that could settle the decision,
 * checks the decision after every answer and stops as soon as no pending answer could change it.
 * While defenders answer, it asks exactly the defenders that asking one at a time would have
 * asked, in fewer round trips. A failing defender can end a round early (the quorum can no longer
 * be met): calls still in flight then are aborted, and the abort reaches the HTTP request.
 * For the same votes it reaches the decision `parallel` would: only the tallies differ, since
 * the defenders it never asked have no vote.
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
    return { votes, decision: consensus.decide(votes.map((v) => v.verdict)), aborted: 0, skipped: 0 };
  }
  return cascade(defenders, consensus, probe, ctx, signal);
}

function cascade(defenders: readonly Defender[], consensus: Consensus, probe: Probe, ctx: DefenseContext, signal?: AbortSignal): Promise<SwarmVerdict> {
  const n = defenders.length;
  // One controller per round: aborting it cancels this round's calls in flight, nothing else.
  const round = new AbortController();
  const unlink = signal ? onAbort(signal, () => round.abort(signal.reason)) : undefined;
  if (signal?.aborted) round.abort(signal.reason);
  const answers: Array<Vote | undefined> = new Array(n);
  const verdicts: Verdict[] = [];
  let started = 0;
  let inFlight = 0;
  let settled = false;

  return new Promise((resolve) => {
    const settle = (decision: Decision): void => {
      settled = true;
      unlink?.();
      const aborted = inFlight;
      if (aborted > 0) round.abort(new Error('the swarm reached its decision'));
      resolve({ votes: answers.filter((v): v is Vote => v !== undefined), decision, aborted, skipped: n - started });
    };
    const step = (): void => {
      const pending = n - verdicts.length;
      const early = consensus.decidedEarly(verdicts, pending);
      if (early) return settle(early);
      if (pending === 0) return settle(consensus.decide(verdicts));
      // Calls in flight count towards the next answers; start only what is missing.
      const wanted = waveSize(consensus, verdicts, pending);
      while (inFlight < wanted && started < n) ask(started++);
    };
    const ask = (i: number): void => {
      inFlight += 1;
      void askDefender(defenders[i] as Defender, probe, ctx, round.signal).then((vote) => {
        if (settled) return;
        inFlight -= 1;
        answers[i] = vote;
        verdicts.push(vote.verdict);
        step();
      });
    };
    step();
  });
}

/**
 * The fewest further answers that could settle the decision one way or the other (each answer
 * adds at most one blocking vote or takes away one that could still come).
 */
export function waveSize(consensus: Consensus, verdicts: readonly Verdict[], pending: number): number {
  let block = 0;
  let answered = 0;
  for (const v of verdicts) {
    if (v !== 'abstain') answered += 1;
    if (v === 'block' || (v === 'abstain' && consensus.onAbstain === 'block')) block += 1;
  }
  const toBlock = consensus.threshold - block;
  const toAllow = block + pending - consensus.threshold + 1;
  const toQuorum = consensus.quorum - answered;
  return Math.max(1, Math.min(pending, Math.max(Math.min(toBlock, toAllow), toQuorum)));
}
