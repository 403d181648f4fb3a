/**
 * The engine under failing defenders and budgets, with scripted in-process models: a host that
 * dies stops the run as quorum_lost without storing its error rounds, a short outage is stored
 * as ERROR rounds and the run goes on, a flaky defender is reported degraded per batch, and each
 * budget stops the run gracefully with a gap-free prefix of rounds.
 */
import { setMaxListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { CATEGORY_IDS } from '../../src/categories.js';
import { thresholdConsensus } from '../../src/defense/consensus.js';
import type { Defender, Probe } from '../../src/domain.js';
import { BudgetMeter } from '../../src/engine/budget.js';
import type { WargameEvent } from '../../src/engine/events.js';
import { drawPlan } from '../../src/engine/plan.js';
import { runAheadWindow, runWargame, type WargameSetup } from '../../src/engine/wargame.js';
import type { BatchRecord, RoundRecord } from '../../src/store/records.js';
import { fixtureScenarios, scriptedAttacker, scriptedDefender } from '../helpers/scripted.js';

function setup(defenders: Defender[], overrides: Partial<WargameSetup> = {}) {
  const plan = drawPlan({ seed: 4, rounds: 200, batchSize: 20, categories: CATEGORY_IDS, attackers: [{ name: 'scripted', weight: 1 }], benignRatio: 0.2, benignCount: () => 9 });
  const rounds: RoundRecord[] = [];
  const batches: BatchRecord[] = [];
  const events: WargameEvent[] = [];
  const s: WargameSetup = {
    runId: 1,
    seed: 4,
    plan,
    scenarios: fixtureScenarios(),
    attackers: new Map([['scripted', scriptedAttacker({ variety: 7 })]]),
    defenders,
    consensus: thresholdConsensus({ threshold: 2, on_abstain: 'allow' }),
    strategy: 'parallel',
    lag: 4,
    store: { recordRounds: (_: number, rs: ReadonlyArray<{ record: RoundRecord }>) => void rounds.push(...rs.map((x) => x.record)), recordBatch: (_: number, b: BatchRecord) => void batches.push(b) },
    concurrency: 4,
    emit: (e) => events.push(e),
    ...overrides,
  };
  return { s, rounds, batches, events };
}

const blockAttacks = (p: Probe) => (p.kind === 'attack' && /sequence [0-4] /.test(p.text) ? 'block' : 'allow');
const prefix = (rs: RoundRecord[]) => rs.map((r) => r.round);
const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('failing defenders', () => {
  it('stops as quorum_lost when a host dies, storing none of the error rounds and no breach for them', async () => {
    // Two of three defenders share a host that goes down for good at round 60.
    const down = (p: Probe) => (p.round >= 60 ? 'abstain' : blockAttacks(p));
    const { s, rounds, events } = setup([scriptedDefender('a', down), scriptedDefender('b', down), scriptedDefender('c', blockAttacks)]);
    const result = await runWargame(s);
    expect(result.status).toBe('quorum_lost');
    expect(result.reason).toMatch(/^quorum lost: 5 rounds in a row \(60-64\) had fewer than 2 of 3 defenders answering; failing: a \(a is down\), b \(b is down\)/);
    // Rounds 1..59 are stored, nothing from the outage: a resume plays round 60 again.
    expect(prefix(rounds)).toEqual(oneTo(59));
    expect(rounds.some((r) => r.outcome === 'ERROR')).toBe(false);
    expect(result.totals.rounds).toBe(59);
    expect(events.at(-1)).toMatchObject({ type: 'run_ended', status: 'quorum_lost' });
  });

  it('stores a short outage as ERROR rounds (never breaches) and plays on', async () => {
    const blip = (p: Probe) => (p.round >= 70 && p.round < 73 ? 'abstain' : blockAttacks(p));
    const { s, rounds } = setup([scriptedDefender('a', blip), scriptedDefender('b', blip), scriptedDefender('c', blockAttacks)]);
    const result = await runWargame(s);
    expect(result.status).toBe('completed');
    expect(prefix(rounds)).toEqual(oneTo(200));
    expect(rounds.filter((r) => r.outcome === 'ERROR').map((r) => r.round)).toEqual([70, 71, 72]);
    expect(rounds.filter((r) => r.outcome === 'ERROR').every((r) => r.error?.startsWith('quorum not met: 1 of 3'))).toBe(true);
  });

  it('stores error rounds at the very end of a completed run', async () => {
    const tail = (p: Probe) => (p.round > 197 ? 'abstain' : blockAttacks(p));
    const { s, rounds } = setup([scriptedDefender('a', tail), scriptedDefender('b', tail), scriptedDefender('c', blockAttacks)]);
    expect((await runWargame(s)).status).toBe('completed');
    expect(rounds.filter((r) => r.outcome === 'ERROR').map((r) => r.round)).toEqual([198, 199, 200]);
  });

  it('marks a defender degraded in the batches where it abstains on more than the set share', async () => {
    // "flaky" abstains on every 3rd round of batch 2 (rounds 21-40) and on 1 in 10 elsewhere.
    const flaky = (p: Probe) => ((p.round > 20 && p.round <= 40 ? p.round % 3 === 0 : p.round % 10 === 0) ? 'abstain' : blockAttacks(p));
    const { s, batches, events } = setup([scriptedDefender('a', blockAttacks), scriptedDefender('b', blockAttacks), scriptedDefender('flaky', flaky)]);
    await runWargame(s);
    const degraded = events.filter((e) => e.type === 'defender_degraded');
    expect(degraded).toHaveLength(1);
    expect(degraded[0]).toMatchObject({ batch: 2, health: { defender: 'flaky', asked: 20, abstained: 7, degraded: true, lastError: 'flaky is down' } });
    const b1 = batches.find((b) => b.batch === 1);
    expect(b1?.defenders).toEqual([
      { defender: 'a', asked: 20, abstained: 0, degraded: false, lastError: null },
      { defender: 'b', asked: 20, abstained: 0, degraded: false, lastError: null },
      { defender: 'flaky', asked: 20, abstained: 2, degraded: false, lastError: 'flaky is down' },
    ]);
  });

  it('a lower degraded share flags more', async () => {
    const flaky = (p: Probe) => (p.round % 10 === 0 ? 'abstain' : blockAttacks(p));
    const { s, events } = setup([scriptedDefender('a', blockAttacks), scriptedDefender('b', blockAttacks), scriptedDefender('flaky', flaky)], { degradedShare: 0.05 });
    await runWargame(s);
    expect(events.filter((e) => e.type === 'defender_degraded')).toHaveLength(10);
  });
});

describe('run-ahead', () => {
  it('without a lag rule, rounds start at most the run-ahead window past a slow one, and every round is stored in order', async () => {
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const asked = new Set<number>();
    const inner = scriptedDefender('a', blockAttacks, 0);
    const slow: Defender = {
      ...inner,
      async vote(p, ctx, signal) {
        asked.add(p.round);
        if (p.round === 2) await gate;
        return inner.vote(p, ctx, signal);
      },
    };
    const { s, rounds } = setup([slow, scriptedDefender('b', blockAttacks, 0), scriptedDefender('c', blockAttacks, 0)], {
      attackers: new Map([['scripted', scriptedAttacker({ variety: 7, maxDelayMs: 1 })]]),
    });
    const run = runWargame(s);
    // Until the pool reaches the window's edge (a deadline only for a hang), then a while longer:
    // a round past the edge, if any started, has had time to be asked.
    const edge = 1 + runAheadWindow(s.concurrency);
    for (const deadline = Date.now() + 60_000; Math.max(0, ...asked) < edge && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(rounds.map((r) => r.round)).toEqual([1]);
    expect(Math.max(...asked)).toBe(edge);
    release();
    expect((await run).status).toBe('completed');
    expect(prefix(rounds)).toEqual(oneTo(200));
  });
});

describe('budgets', () => {
  const swarm = () => [scriptedDefender('a', blockAttacks), scriptedDefender('b', blockAttacks), scriptedDefender('c', blockAttacks)];

  it('--max-tokens stops gracefully once the run has spent it', async () => {
    // Each judged round costs 8 attacker tokens (3 + 5) and 3 × (10 + 2) for the votes.
    const budget = new BudgetMeter({ maxTokens: 2000 }, new Map());
    const { s, rounds } = setup(swarm(), { budget });
    const result = await runWargame(s);
    expect(result.status).toBe('budget_exhausted');
    expect(result.reason).toMatch(/^token budget spent: \d+ of 2000 tokens \(--max-tokens\)$/);
    expect(prefix(rounds)).toEqual(oneTo(rounds.length));
    const spent = rounds.reduce((n, r) => n + r.attackPromptTokens + r.attackCompletionTokens + r.votes.reduce((m, v) => m + v.promptTokens + v.completionTokens, 0), 0);
    expect(spent).toBeGreaterThanOrEqual(2000);
    // It stopped soon after: only rounds already judged or in flight ran past the budget.
    expect(spent - 2000).toBeLessThan(30 * 44);
  });

  it('--max-cost prices each model per million tokens, rounds stored before counting too', async () => {
    const prices = new Map([['defender\u0000a', { input: 1_000_000, output: 0 }]]); // $1 per prompt token of "a"
    const budget = new BudgetMeter({ maxCost: 100 }, prices, [{ role: 'defender', name: 'a', promptTokens: 50, completionTokens: 0 }]);
    const { s, rounds } = setup(swarm(), { budget });
    const result = await runWargame(s);
    expect(result.status).toBe('budget_exhausted');
    // 50 already spent, 10 per judged round: the budget is spent exactly at the 5th judged round.
    expect(result.reason).toBe('cost budget spent: $100.0000 of $100 (--max-cost)');
    // Rounds started before that still finish and are stored. Without the lag rule (no healer, no
    // adaptive attacker) rounds that finished ahead of a slower one are among them, so how many is
    // timing-dependent (CI once stored 10): assert the order of magnitude, far below the 200 planned.
    const judged = rounds.filter((r) => r.votes.length > 0).length;
    expect(judged).toBeGreaterThanOrEqual(5);
    expect(judged).toBeLessThan(40);
    expect(prefix(rounds)).toEqual(oneTo(rounds.length));
  });

  it('--max-minutes stops dispatching once the time is up', async () => {
    let now = 0;
    const budget = new BudgetMeter({ maxMinutes: 1 }, new Map(), [], () => now);
    const { s, rounds } = setup(swarm(), {
      budget,
      emit: (e) => {
        if (e.type === 'round_done' && e.roundsDone === 30) now = 61_000;
      },
    });
    const result = await runWargame(s);
    expect(result.status).toBe('budget_exhausted');
    expect(result.reason).toMatch(/^time budget spent: 1\.0 of 1\.0 minutes \(--max-minutes\)$/);
    expect(rounds.length).toBeGreaterThanOrEqual(30);
    // Rounds already judged or in flight still finish (a slow round holds later ones back: up to a few dozen).
    expect(rounds.length).toBeLessThan(60);
    expect(prefix(rounds)).toEqual(oneTo(rounds.length));
  });
});

describe('hard abort', () => {
  it('cancels calls in flight and stores only a gap-free prefix', async () => {
    const abort = new AbortController();
    setMaxListeners(100, abort.signal);
    const slow = (name: string): Defender => ({
      ...scriptedDefender(name, blockAttacks),
      vote: (p, _ctx, signal) =>
        new Promise((resolve, reject) => {
          if (p.round >= 40) {
            // Hangs until aborted, like a model that never answers.
            signal?.addEventListener('abort', () => reject(new Error('aborted')));
            return;
          }
          resolve({ verdict: blockAttacks(p), confidence: 1, reason: '' });
        }),
    });
    const { s, rounds } = setup([slow('a'), slow('b'), slow('c')], {
      abort: abort.signal,
      emit: (e) => {
        if (e.type === 'round_done' && e.roundsDone === 39) setTimeout(() => abort.abort(), 20);
      },
    });
    const result = await runWargame(s);
    expect(result.status).toBe('interrupted');
    expect(prefix(rounds)).toEqual(oneTo(39));
  });
});
