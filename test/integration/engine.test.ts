import { describe, expect, it } from 'vitest';
import { thresholdConsensus } from '../../src/defense/consensus.js';
import type { Probe } from '../../src/domain.js';
import type { WargameEvent } from '../../src/engine/events.js';
import { drawPlan } from '../../src/engine/plan.js';
import { runWargame, type WargameSetup } from '../../src/engine/wargame.js';
import { Healer } from '../../src/healer/healer.js';
import type { BatchRecord, RoundRecord } from '../../src/store/records.js';
import { CATEGORY_IDS } from '../../src/categories.js';
import { fixtureScenarios, scriptedAttacker, scriptedDefender } from '../helpers/scripted.js';

/** A store that keeps records in memory, to look at what the engine writes and in which order. */
function memoryStore() {
  const rounds: RoundRecord[] = [];
  const batches: BatchRecord[] = [];
  return { rounds, batches, recordRounds: (_: number, rs: ReadonlyArray<{ record: RoundRecord }>) => void rounds.push(...rs.map((x) => x.record)), recordBatch: (_: number, b: BatchRecord) => void batches.push(b) };
}

function setup(concurrency: number, overrides: Partial<WargameSetup> = {}) {
  const scenarios = fixtureScenarios();
  const plan = drawPlan({
    seed: 3,
    rounds: 120,
    batchSize: 20,
    categories: CATEGORY_IDS,
    attackers: [{ name: 'scripted', weight: 1 }],
    benignRatio: 0.25,
    benignCount: () => 9,
  });
  // Variant numbers 0-2 are caught by two defenders, the rest by one: so some attacks breach.
  const caught = (p: Probe) => (p.kind === 'attack' && /sequence [0-2] /.test(p.text) ? 'block' : 'allow');
  const store = memoryStore();
  const events: WargameEvent[] = [];
  const s: WargameSetup = {
    runId: 1,
    seed: 3,
    plan,
    scenarios,
    attackers: new Map([['scripted', scriptedAttacker({ variety: 7 })]]),
    defenders: [
      scriptedDefender('a', caught),
      scriptedDefender('b', caught),
      scriptedDefender('c', (p) => (p.kind === 'attack' ? 'block' : 'allow')),
      scriptedDefender('d', () => 'allow'),
    ],
    consensus: thresholdConsensus({ threshold: 3, on_abstain: 'allow' }),
    strategy: 'parallel',
    healer: new Healer({ enabled: true, antibodies: 4, patterns_per_breach: 2, lag: 4 }, { texts: [...scenarios.values()].flatMap((x) => [...x.benign_guard, ...x.controls]) }),
    lag: 4,
    store,
    concurrency,
    emit: (e) => events.push(e),
    ...overrides,
  };
  return { s, store, events };
}

describe('the wargame loop', () => {
  it('records rounds in order, with identical outcomes at concurrency 1 and 8', async () => {
    const one = setup(1);
    const eight = setup(8);
    await runWargame(one.s);
    await runWargame(eight.s);
    const seq = (xs: RoundRecord[]) => xs.map((r) => `${r.round}:${r.outcome}:${r.votesBlock}`);
    expect(one.store.rounds.map((r) => r.round)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    expect(seq(eight.store.rounds)).toEqual(seq(one.store.rounds));
    const outcomes = new Set(one.store.rounds.map((r) => r.outcome));
    // The scripted swarm breaches, the healer learns and then instantly blocks repeats.
    expect(outcomes).toContain('BREACHED');
    expect(outcomes).toContain('DEFENDED');
    expect(outcomes).toContain('INSTANT_BLOCKED');
    expect(outcomes).toContain('TRUE_NEGATIVE');
    // A healer lesson is never used before lag rounds have passed.
    const learnedAt = new Map<number, number>();
    for (const r of one.store.rounds) for (const e of r.healerEvents) if (e.kind === 'pattern_learned') learnedAt.set(e.patternId!, r.round);
    for (const r of one.store.rounds.filter((x) => x.outcome === 'INSTANT_BLOCKED')) {
      expect(r.round - (learnedAt.get(r.patternId!) ?? -100)).toBeGreaterThanOrEqual(4);
    }
  });

  it('emits batches in order and a run_ended event with the totals', async () => {
    const { s, events, store } = setup(4);
    const result = await runWargame(s);
    expect(result.status).toBe('completed');
    expect(store.batches.map((b) => b.batch)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(store.batches.reduce((n, b) => n + b.counts.rounds, 0)).toBe(120);
    expect(events[0]?.type).toBe('run_started');
    expect(events.at(-1)).toMatchObject({ type: 'run_ended', status: 'completed' });
    expect(events.filter((e) => e.type === 'breach')).toHaveLength(result.totals.BREACHED);
  });

  it('turns a swarm below quorum into ERROR rounds, never breaches', async () => {
    const { s, store } = setup(4, {
      defenders: [scriptedDefender('a', () => 'abstain'), scriptedDefender('b', () => 'abstain'), scriptedDefender('c', () => 'allow')],
      healer: undefined,
      // Never stop for a lost quorum (see resilience-engine.test.ts for that), to see every round.
      quorumLossAfter: Number.POSITIVE_INFINITY,
    });
    const result = await runWargame(s);
    expect(result.totals.BREACHED).toBe(0);
    expect(result.totals.ERROR).toBe(120);
    expect(store.rounds[0]?.votes.filter((v) => v.verdict === 'abstain' && v.error?.includes('is down'))).toHaveLength(2);
  });

  it('stores refusals as ATTACKER_REFUSED without asking the swarm', async () => {
    const { s, store } = setup(4, { attackers: new Map([['scripted', scriptedAttacker({ variety: 7, refuseEvery: 2 })]]) });
    const result = await runWargame(s);
    const refused = store.rounds.filter((r) => r.outcome === 'ATTACKER_REFUSED');
    expect(refused.length).toBe(result.totals.ATTACKER_REFUSED);
    expect(refused.length).toBeGreaterThan(20);
    expect(refused.every((r) => r.votes.length === 0 && r.refused && r.round % 2 === 0)).toBe(true);
  });

  it('stops dispatching on a graceful stop and records a gap-free prefix', async () => {
    const stop = new AbortController();
    const { s, store } = setup(4, {
      stop: stop.signal,
      emit: (e) => {
        if (e.type === 'round_done' && e.roundsDone === 30) stop.abort();
      },
    });
    const result = await runWargame(s);
    expect(result.status).toBe('interrupted');
    const rounds = store.rounds.map((r) => r.round);
    expect(rounds.length).toBeGreaterThanOrEqual(30);
    expect(rounds.length).toBeLessThan(120);
    expect(rounds).toEqual(Array.from({ length: rounds.length }, (_, i) => i + 1));
  });

  it('skips rounds already recorded (resume) and counts them in the totals', async () => {
    const full = setup(4);
    await runWargame(full.s);
    const previous = full.store.rounds.slice(0, 50).map((r) => ({ round: r.round, kind: r.kind, outcome: r.outcome }));
    const rest = setup(4, { previous, healer: undefined });
    const result = await runWargame(rest.s);
    expect(rest.store.rounds[0]?.round).toBe(51);
    expect(rest.store.rounds).toHaveLength(70);
    expect(result.roundsDone).toBe(120);
    expect(result.totals.rounds).toBe(120);
  });
});
