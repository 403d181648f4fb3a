import type { RoundCategory } from '../../src/categories.js';
import type { Outcome, RoundKind, Verdict, Vote } from '../../src/domain.js';
import type { HealerEvent } from '../../src/healer/healer.js';
import type { RoundRecord } from '../../src/store/records.js';
import type { Store } from '../../src/store/store.js';
import { storedRunConfig } from '../../src/config/run-config.js';
import { CATEGORY_IDS } from '../../src/categories.js';

/**
 * Runs written straight into a Store, with outcomes and votes chosen by the test: reports on them
 * have answers known in advance (no engine, no models involved).
 */

export interface CraftedRound {
  kind: RoundKind;
  outcome: Outcome;
  category?: RoundCategory;
  attacker?: string;
  source?: string | null;
  text?: string;
  /** One verdict per defender, in cast order; [] when no defender was asked. */
  verdicts?: Verdict[];
  patternId?: number | null;
  healerEvents?: HealerEvent[];
  batch?: number;
  /** Votes written as given instead of from `verdicts` (timings, queue waits, flags chosen by the test). */
  votes?: Vote[];
  judgedTruncated?: boolean;
}

/** A defender of the run's models table: the crafted ones are `test` models without a host. */
export interface CraftedDefender {
  name: string;
  provider: string;
  host: string | null;
}

export const CRAFTED_DEFENDERS = ['d1', 'd2', 'd3'] as const;

export function createCraftedRun(store: Store, opts: { rounds: number; batchSize: number; heal?: boolean; lag?: number; attackers?: string[]; defenders?: CraftedDefender[] }): number {
  const defenders = opts.defenders ?? CRAFTED_DEFENDERS.map((name) => ({ name, provider: 'test', host: null }));
  return store.createRun({
    kind: 'wargame',
    seed: 7,
    castName: 'crafted',
    attackersName: 'crafted-pool',
    roundsPlanned: opts.rounds,
    batchSize: opts.batchSize,
    replayOf: null,
    config: storedRunConfig({
      version: 2,
      kind: 'wargame',
      command: 'wargame',
      options: { rounds: opts.rounds, batchSize: opts.batchSize, seed: 7, benignRatio: 0.2, heal: opts.heal ?? false, categories: [...CATEGORY_IDS], scenariosDir: 'scenarios' },
      cast: {
        name: 'crafted',
        consensus: { threshold: 2 },
        healer: { lag: opts.lag ?? 4 },
        defenders: CRAFTED_DEFENDERS.map((name) => ({ name, provider: 'embedded' as const, model: 'signatures' })),
      },
      attackers: { name: 'crafted-pool', attackers: (opts.attackers ?? ['alice', 'bob']).map((name) => ({ name, provider: 'embedded' as const, model: 'mutator' })) },
    }),
    plan: [],
    models: [
      ...defenders.map((d) => ({ role: 'defender' as const, name: d.name, defenderRole: 'generic', provider: d.provider, model: d.name, host: d.host, digest: null })),
      ...(opts.attackers ?? ['alice', 'bob']).map((name) => ({ role: 'attacker' as const, name, defenderRole: null, provider: 'test', model: name, host: null, digest: null })),
    ],
  });
}

/** Vote latency of defender i in round r: known values, so medians can be checked. */
export const voteLatency = (defenderIndex: number, round: number): number => 10 * (defenderIndex + 1) + (round % 7);

export function recordCrafted(store: Store, runId: number, round: number, batchSize: number, r: CraftedRound): void {
  const verdicts = r.votes?.map((v) => v.verdict) ?? r.verdicts ?? [];
  const votes: Vote[] = r.votes ?? verdicts.map((verdict, i) => ({
    defender: CRAFTED_DEFENDERS[i] as string,
    verdict,
    confidence: verdict === 'abstain' ? null : 0.8,
    reason: verdict === 'abstain' ? '' : `says ${verdict}`,
    ...(verdict === 'abstain' ? { error: 'timed out' } : {}),
    latencyMs: voteLatency(i, round),
    promptTokens: 100,
    completionTokens: 5,
  }));
  const block = verdicts.filter((v) => v === 'block').length;
  const allow = verdicts.filter((v) => v === 'allow').length;
  const abstain = verdicts.filter((v) => v === 'abstain').length;
  const decidedBy: RoundRecord['decidedBy'] =
    r.outcome === 'INSTANT_BLOCKED' || (r.outcome === 'FALSE_POSITIVE' && r.patternId != null)
      ? 'healer'
      : r.outcome === 'ATTACKER_REFUSED'
        ? 'attacker'
        : r.outcome === 'ERROR'
          ? 'error'
          : 'consensus';
  const record: RoundRecord = {
    round,
    batch: r.batch ?? Math.floor((round - 1) / batchSize) + 1,
    kind: r.kind,
    category: r.category ?? 'prompt_injection',
    attacker: r.attacker ?? (r.kind === 'benign' ? 'benign' : 'alice'),
    text: r.text ?? `${r.kind} text of round ${round}`,
    refused: r.outcome === 'ATTACKER_REFUSED',
    strategy: null,
    attempts: 1,
    attackPromptTokens: 20,
    attackCompletionTokens: 30,
    attackLatencyMs: 5,
    source: r.source ?? null,
    outcome: r.outcome,
    decidedBy,
    patternId: r.patternId ?? null,
    votes,
    votesBlock: block,
    votesAllow: allow,
    votesAbstain: abstain,
    score: votes.length === 0 ? null : block + allow === 0 ? 0 : block / (block + allow),
    latencyMs: 50,
    error: r.outcome === 'ERROR' ? 'crafted error' : null,
    healerEvents: r.healerEvents ?? [],
    judgedTruncated: r.judgedTruncated ?? false,
  };
  store.recordRound(runId, record);
}

export function healerEvent(kind: HealerEvent['kind'], round: number, patternId: number | null, pattern: string | null): HealerEvent {
  return { kind, round, patternId, pattern, category: 'prompt_injection', source: 'ngram', sourceRound: round, reason: null };
}
