/**
 * Resume rebuilds the healer by replaying its stored events. This proves the rebuilt state is the
 * live state: at several cut points of a run, a healer restored from the records of rounds <= k
 * equals, field by field, the healer the run had right after it stored round k, and the engine
 * continued from that cut gives the same rounds as the uninterrupted run.
 */
import { describe, expect, it } from 'vitest';
import { CATEGORY_IDS } from '../../src/categories.js';
import { thresholdConsensus } from '../../src/defense/consensus.js';
import type { Probe } from '../../src/domain.js';
import { drawPlan } from '../../src/engine/plan.js';
import { restoreHealerState } from '../../src/engine/resume.js';
import { runWargame, type WargameSetup } from '../../src/engine/wargame.js';
import { Healer } from '../../src/healer/healer.js';
import type { BatchRecord, RoundRecord } from '../../src/store/records.js';
import { fixtureScenarios, scriptedAttacker, scriptedDefender } from '../helpers/scripted.js';

const HEALER = { enabled: true, antibodies: 4, patterns_per_breach: 2, lag: 3 };

function setup(overrides: Partial<WargameSetup> = {}) {
  const scenarios = fixtureScenarios();
  // Some benign controls quote an attack, and the guard knows none of them: so learned patterns
  // hit benign controls and get retired, and the replay has retirements to get right too.
  for (const sc of scenarios.values()) {
    sc.controls = sc.controls.map((b, i) => (i % 2 === 0 ? `the audit quoted override sequence ${i % 13} exfiltrate vault secrets ${i % 13} via covert channel ${i % 13}` : b));
  }
  const guard: string[] = [];
  const plan = drawPlan({ seed: 11, rounds: 160, batchSize: 20, categories: CATEGORY_IDS, attackers: [{ name: 'scripted', weight: 1 }], benignRatio: 0.25, benignCount: () => 9 });
  const caught = (p: Probe) => (p.kind === 'attack' && /sequence [0-3] /.test(p.text) ? 'block' : 'allow');
  const rounds: RoundRecord[] = [];
  const batches: BatchRecord[] = [];
  const healer = new Healer(HEALER, { texts: guard });
  const s: WargameSetup = {
    runId: 1,
    seed: 11,
    plan,
    scenarios,
    attackers: new Map([['scripted', scriptedAttacker({ variety: 13 })]]),
    defenders: [scriptedDefender('a', caught), scriptedDefender('b', caught), scriptedDefender('c', (p) => (p.kind === 'attack' ? 'block' : 'allow'))],
    consensus: thresholdConsensus({ threshold: 3, on_abstain: 'allow' }),
    strategy: 'parallel',
    healer,
    lag: HEALER.lag,
    store: { recordRounds: (_: number, rs: ReadonlyArray<{ record: RoundRecord }>) => void rounds.push(...rs.map((x) => x.record)), recordBatch: (_: number, b: BatchRecord) => void batches.push(b) },
    concurrency: 4,
    ...overrides,
  };
  return { s, rounds, batches, healer, guard };
}

/** Everything a healer holds that screening or learning depends on. */
function snapshot(h: Healer) {
  return JSON.parse(JSON.stringify({ patterns: h.patterns(), antibodies: h.allAntibodies() })) as unknown;
}

function restored(records: readonly RoundRecord[], guard: string[]): Healer {
  const h = new Healer(HEALER, { texts: guard });
  const texts = new Map(records.map((r) => [r.round, r.text]));
  restoreHealerState(
    h,
    records.flatMap((r) => r.healerEvents),
    (round) => texts.get(round),
    records.filter((r) => r.decidedBy === 'healer' && r.patternId !== null).map((r) => ({ patternId: r.patternId as number, benign: r.kind === 'benign' })),
  );
  return h;
}

describe('healer state rebuilt from stored events', () => {
  it('equals the live healer at every cut point, and the continued run equals the uninterrupted one', async () => {
    const cuts = [1, 17, 40, 41, 77, 100, 159];
    const live = new Map<number, unknown>();
    // round_done goes out once the round's group is committed (src/engine/round-writer.ts): at
    // concurrency 1 that is before the next round is finalised, so the live healer is then the
    // state after round k (at 4, later rounds may already have taught it).
    const full = setup({ concurrency: 1 });
    full.s.emit = (e) => {
      if (e.type === 'round_done' && cuts.includes(e.record.round)) live.set(e.record.round, snapshot(full.healer));
    };
    await runWargame(full.s);
    const outcomes = full.rounds.map((r) => `${r.round}:${r.outcome}:${r.patternId}`);
    // The run exercised every kind of healer event, so the equality below is not about an idle healer.
    const kinds = new Set(full.rounds.flatMap((r) => r.healerEvents.map((e) => e.kind)));
    expect(kinds).toContain('pattern_learned');
    expect(kinds).toContain('pattern_retired');
    expect(kinds).toContain('antibody_added');
    expect(full.rounds.some((r) => r.outcome === 'INSTANT_BLOCKED')).toBe(true);
    expect(full.rounds.some((r) => r.outcome === 'FALSE_POSITIVE' && r.decidedBy === 'healer')).toBe(true);

    for (const k of cuts) {
      const before = full.rounds.filter((r) => r.round <= k);
      const healer = restored(before, full.guard);
      expect(snapshot(healer), `healer after round ${k}`).toEqual(live.get(k));

      const rest = setup({ healer, previous: before.map((r) => ({ round: r.round, kind: r.kind, outcome: r.outcome, category: r.category, text: r.text })) });
      const result = await runWargame(rest.s);
      expect(result.status).toBe('completed');
      expect([...before, ...rest.rounds].map((r) => `${r.round}:${r.outcome}:${r.patternId}`), `resumed after round ${k}`).toEqual(outcomes);
      // The healer events of the continued run are the uninterrupted run's, ids included.
      expect(rest.rounds.flatMap((r) => r.healerEvents)).toEqual(full.rounds.filter((r) => r.round > k).flatMap((r) => r.healerEvents));
    }
  });
});
