import type { ConsensusConfig } from '../config/schemas.js';
import type { Verdict } from '../domain.js';

export interface Tally {
  block: number;
  allow: number;
  abstain: number;
}

export interface Decision extends Tally {
  /** `error`: fewer defenders answered than the quorum, so the round is neither a breach nor a defence. */
  decision: 'block' | 'allow' | 'error';
  /** Block votes over defenders that answered: the round's score (0 when none answered). */
  score: number;
}

export interface Consensus {
  readonly threshold: number;
  readonly quorum: number;
  readonly onAbstain: 'allow' | 'block';
  decide(verdicts: readonly Verdict[]): Decision;
  /** The decision when no verdict still pending could change it, else undefined (cascade). */
  decidedEarly(verdicts: readonly Verdict[], pending: number): Decision | undefined;
}

export function tally(verdicts: readonly Verdict[]): Tally {
  const t: Tally = { block: 0, allow: 0, abstain: 0 };
  for (const v of verdicts) t[v] += 1;
  return t;
}

/** Block when at least `threshold` defenders vote block (abstentions count as `on_abstain` says). */
export function thresholdConsensus(config: Pick<ConsensusConfig, 'threshold' | 'on_abstain'> & { quorum?: number | undefined }): Consensus {
  const threshold = config.threshold;
  const quorum = config.quorum ?? threshold;
  const onAbstain = config.on_abstain;

  const blocking = (t: Tally): number => t.block + (onAbstain === 'block' ? t.abstain : 0);
  const finish = (t: Tally, decision: Decision['decision']): Decision => ({
    ...t,
    decision,
    score: t.block + t.allow === 0 ? 0 : t.block / (t.block + t.allow),
  });

  return {
    threshold,
    quorum,
    onAbstain,
    decide(verdicts) {
      const t = tally(verdicts);
      if (t.block + t.allow < quorum) return finish(t, 'error');
      return finish(t, blocking(t) >= threshold ? 'block' : 'allow');
    },
    decidedEarly(verdicts, pending) {
      const t = tally(verdicts);
      const answered = t.block + t.allow;
      // Quorum can no longer be met whatever the pending defenders say.
      if (answered + pending < quorum) return finish(t, 'error');
      // A pending defender may still abstain, so the quorum must already be met to decide early.
      if (answered < quorum) return undefined;
      if (blocking(t) >= threshold) return finish(t, 'block');
      // Each pending defender adds at most one blocking vote (a block, or an abstention counted as one).
      if (blocking(t) + pending < threshold) return finish(t, 'allow');
      return undefined;
    },
  };
}
