import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { thresholdConsensus } from '../../src/defense/consensus.js';
import { swarmScore, voteProbability } from '../../src/defense/score.js';
import type { Verdict } from '../../src/domain.js';

const v = (s: string): Verdict[] => s.split('').map((c) => (c === 'b' ? 'block' : c === 'a' ? 'allow' : 'abstain'));

describe('threshold consensus', () => {
  const c = thresholdConsensus({ threshold: 3, on_abstain: 'allow' });

  it('blocks at exactly the threshold and allows below it', () => {
    expect(c.decide(v('bbbaaa')).decision).toBe('block');
    expect(c.decide(v('bbaaaa')).decision).toBe('allow');
    expect(c.decide(v('bbbbbb')).decision).toBe('block');
  });

  it('reports the vote share as the score', () => {
    const d = c.decide(v('bbaa-'));
    expect(d).toMatchObject({ block: 2, allow: 2, abstain: 1, score: 0.5 });
  });

  it('is an error, not an allow, when fewer than the quorum answered', () => {
    expect(c.decide(v('aa----')).decision).toBe('error');
    expect(c.decide(v('------')).decision).toBe('error');
    const quorum4 = thresholdConsensus({ threshold: 3, quorum: 4, on_abstain: 'allow' });
    expect(quorum4.decide(v('bbb---')).decision).toBe('error');
    expect(quorum4.decide(v('bbba--')).decision).toBe('block');
  });

  it('counts abstentions as blocks when on_abstain is block', () => {
    const failClosed = thresholdConsensus({ threshold: 3, quorum: 2, on_abstain: 'block' });
    expect(failClosed.decide(v('bb-aa')).decision).toBe('block');
    expect(c.decide(v('bbb-a')).decision).toBe('block');
    expect(thresholdConsensus({ threshold: 3, quorum: 2, on_abstain: 'allow' }).decide(v('bb-aa')).decision).toBe('allow');
  });

  it('decides early only when no pending vote could change the decision', () => {
    expect(c.decidedEarly(v('bbb'), 3)?.decision).toBe('block');
    expect(c.decidedEarly(v('aaaa'), 2)?.decision).toBe('allow');
    expect(c.decidedEarly(v('bba'), 3)).toBeUndefined();
    expect(c.decidedEarly(v('----'), 2)?.decision).toBe('error');
  });

  it('early decisions always agree with the full decision (property)', () => {
    const verdict = fc.constantFrom<Verdict>('block', 'allow', 'abstain');
    fc.assert(
      fc.property(
        fc.array(verdict, { minLength: 1, maxLength: 9 }),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        fc.constantFrom<'allow' | 'block'>('allow', 'block'),
        (all, cut, threshold, quorum, onAbstain) => {
          const rule = thresholdConsensus({ threshold, quorum, on_abstain: onAbstain });
          const k = Math.min(cut, all.length);
          const early = rule.decidedEarly(all.slice(0, k), all.length - k);
          if (early) expect(early.decision).toBe(rule.decide(all).decision);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('the swarm score', () => {
  it('is the mean probability of block over the answers: calibrated probability, else confidence, else the vote; abstentions left out', () => {
    expect(voteProbability({ verdict: 'block', confidence: 0.9, pBlock: 0.7 })).toBe(0.7);
    expect(voteProbability({ verdict: 'block', confidence: 0.9 })).toBe(0.9);
    expect(voteProbability({ verdict: 'allow', confidence: 0.9 })).toBeCloseTo(0.1, 12);
    expect(voteProbability({ verdict: 'allow', confidence: null })).toBe(0);
    expect(voteProbability({ verdict: 'block', confidence: null })).toBe(1);
    expect(voteProbability({ verdict: 'abstain', confidence: null, pBlock: 0.5 })).toBeUndefined();
    expect(swarmScore([{ verdict: 'block', confidence: null, pBlock: 0.8 }, { verdict: 'allow', confidence: 0.6 }, { verdict: 'abstain', confidence: null }])).toBeCloseTo(0.6, 12);
    expect(swarmScore([{ verdict: 'abstain', confidence: null }])).toBeNull();
    // Finer than a vote share: two rounds with the same votes can rank apart.
    expect(swarmScore([{ verdict: 'block', confidence: null, pBlock: 0.55 }, { verdict: 'allow', confidence: null, pBlock: 0.2 }])).not.toBe(
      swarmScore([{ verdict: 'block', confidence: null, pBlock: 0.95 }, { verdict: 'allow', confidence: null, pBlock: 0.4 }]),
    );
  });
});
