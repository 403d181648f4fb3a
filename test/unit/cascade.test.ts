/**
 * Cascade consensus against parallel: for any cast size, threshold, quorum, abstention rule,
 * votes and order in which answers arrive, the cascade reaches the decision parallel reaches,
 * asks no defender the decision did not need, and accounts for every defender.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { thresholdConsensus } from '../../src/defense/consensus.js';
import { judge } from '../../src/defense/swarm.js';
import type { Defender, DefenseContext, Probe, Verdict } from '../../src/domain.js';

const probe: Probe = { round: 1, kind: 'attack', category: 'prompt_injection', text: 'x' };
const ctx: DefenseContext = { antibodies: [], nonce: 'n' };

/** Answers `verdict` after `ticks` event-loop turns (so answers arrive in any order); counts its calls. */
function defender(name: string, verdict: Verdict, ticks: number, log: { asked: string[]; aborted: string[] }): Defender {
  return {
    name,
    role: 'generic',
    provider: 'test',
    model: name,
    async vote(_p, _c, signal) {
      log.asked.push(name);
      for (let i = 0; i < ticks; i++) {
        await new Promise((r) => setImmediate(r));
        if (signal?.aborted) {
          log.aborted.push(name);
          throw new Error('aborted');
        }
      }
      if (verdict === 'abstain') throw new Error('unparseable answer');
      return { verdict, confidence: 0.9, reason: '' };
    },
  };
}

/** The fewest defenders, asked one at a time in cast order, that settle the decision. */
function sequentialCalls(verdicts: Verdict[], c: ReturnType<typeof thresholdConsensus>): number {
  for (let k = 0; k <= verdicts.length; k++) if (c.decidedEarly(verdicts.slice(0, k), verdicts.length - k)) return k;
  return verdicts.length;
}

const swarmCase = fc
  .integer({ min: 1, max: 9 })
  .chain((n) =>
    fc.record({
      verdicts: fc.array(fc.constantFrom<Verdict>('block', 'allow', 'abstain'), { minLength: n, maxLength: n }),
      ticks: fc.array(fc.integer({ min: 0, max: 6 }), { minLength: n, maxLength: n }),
      threshold: fc.integer({ min: 1, max: n }),
      quorum: fc.option(fc.integer({ min: 1, max: n }), { nil: undefined }),
      onAbstain: fc.constantFrom<'allow' | 'block'>('allow', 'block'),
    }),
  );

describe('cascade consensus', () => {
  it('reaches the decision parallel reaches, for any votes and any order of answers', async () => {
    await fc.assert(
      fc.asyncProperty(swarmCase, async ({ verdicts, ticks, threshold, quorum, onAbstain }) => {
        const consensus = thresholdConsensus({ threshold, quorum, on_abstain: onAbstain });
        const cascadeLog = { asked: [] as string[], aborted: [] as string[] };
        const parallelLog = { asked: [] as string[], aborted: [] as string[] };
        const cast = (log: typeof cascadeLog) => verdicts.map((v, i) => defender(`d${i}`, v, ticks[i] as number, log));
        const parallel = await judge(cast(parallelLog), consensus, 'parallel', probe, ctx);
        const cascade = await judge(cast(cascadeLog), consensus, 'cascade', probe, ctx);

        expect(cascade.decision.decision).toBe(parallel.decision.decision);
        expect(parallel.decision.decision).toBe(consensus.decide(verdicts).decision);
        // Every defender is accounted for: answered, cancelled in flight, or never asked.
        expect(cascade.votes.length + cascade.aborted + cascade.skipped).toBe(verdicts.length);
        expect(cascadeLog.asked.length).toBe(cascade.votes.length + cascade.aborted);
        // Asked in cast order; while every defender answers, never more than asking one at a time
        // would have needed (a failure can end a round early, cancelling calls then in flight).
        expect(cascadeLog.asked).toEqual(verdicts.slice(0, cascadeLog.asked.length).map((_, i) => `d${i}`));
        if (!verdicts.includes('abstain')) {
          expect(cascadeLog.asked.length).toBe(sequentialCalls(verdicts, consensus));
          expect(cascade.aborted).toBe(0);
        }
        // The votes it kept are the defenders' own.
        for (const v of cascade.votes) expect(v.verdict).toBe(verdicts[Number(v.defender.slice(1))]);
      }),
      { numRuns: 400 },
    );
  });

  it('asks the fewest defenders a unanimous swarm needs', async () => {
    const consensus = thresholdConsensus({ threshold: 3, on_abstain: 'allow' });
    const log = { asked: [] as string[], aborted: [] as string[] };
    const six = (v: Verdict) => Array.from({ length: 6 }, (_, i) => defender(`d${i}`, v, i % 3, log));
    const blocked = await judge(six('block'), consensus, 'cascade', probe, ctx);
    expect(blocked).toMatchObject({ decision: { decision: 'block' }, aborted: 0, skipped: 3 });
    const allowed = await judge(six('allow'), consensus, 'cascade', probe, ctx);
    expect(allowed).toMatchObject({ decision: { decision: 'allow' }, aborted: 0, skipped: 2 });
  });

  it('cancels calls still in flight once the quorum can no longer be met', async () => {
    const consensus = thresholdConsensus({ threshold: 2, quorum: 2, on_abstain: 'allow' });
    const log = { asked: [] as string[], aborted: [] as string[] };
    // d0 and d2 fail at once; d1 would take 1,000 turns: the round cannot reach its quorum without it... nor with it.
    const cast = [defender('d0', 'abstain', 0, log), defender('d1', 'block', 1000, log), defender('d2', 'abstain', 0, log)];
    const verdict = await judge(cast, consensus, 'cascade', probe, ctx);
    expect(verdict).toMatchObject({ decision: { decision: 'error' }, aborted: 1, skipped: 0 });
    await new Promise((r) => setImmediate(r));
    expect(log.aborted).toEqual(['d1']);
  });
});
