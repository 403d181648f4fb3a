/**
 * The rows as SQLite returns them, and one converter per row type into hive's own types. Only
 * this folder sees column names; everything outside reads the converted shapes.
 */
import { isCategoryId, type CategoryId } from '../categories.js';
import { OUTCOMES, type HealerEvent, type HealerEventKind, type Outcome, type PatternSource, type Provenance, type RoundKind } from '../domain.js';
import { StoreError } from '../errors.js';
import { emptyCounts, type OutcomeCounts } from '../stats/outcomes.js';
import type { RunStatus } from '../domain.js';
import type { RunRow } from './records.js';

export interface RawRun {
  id: number;
  kind: RunRow['kind'];
  status: RunStatus;
  stop_reason: string | null;
  created_at: string;
  finished_at: string | null;
  seed: number;
  tool_version: string;
  cast_name: string;
  attackers_name: string | null;
  rounds_planned: number;
  batch_size: number;
  replay_of: number | null;
  config_json: string;
  config_hash: string;
  plan_json: string;
  rounds_done: number;
}

export function toRunRow(r: RawRun): RunRow {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    stopReason: r.stop_reason,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
    seed: r.seed,
    toolVersion: r.tool_version,
    castName: r.cast_name,
    attackersName: r.attackers_name,
    roundsPlanned: r.rounds_planned,
    batchSize: r.batch_size,
    replayOf: r.replay_of,
    configJson: r.config_json,
    configHash: r.config_hash,
    planJson: r.plan_json,
    roundsDone: r.rounds_done,
  };
}

export interface RawHealerEvent {
  round: number;
  kind: HealerEventKind;
  pattern_id: number | null;
  pattern: string | null;
  category: string | null;
  source: PatternSource;
  source_round: number | null;
  reason: string | null;
  origin_json: string | null;
  text: string | null;
}

/** Stored provenance JSON; anything unreadable counts as no provenance. */
export function parseProvenance(json: string | null): Provenance | null {
  if (json === null) return null;
  try {
    const v = JSON.parse(json) as Partial<Provenance> | null;
    if (!v || typeof v !== 'object' || typeof v.source !== 'string') return null;
    return {
      source: v.source,
      run: typeof v.run === 'number' ? v.run : null,
      round: typeof v.round === 'number' ? v.round : null,
      technique: typeof v.technique === 'string' ? v.technique : null,
      vaccine: typeof v.vaccine === 'string' ? v.vaccine : null,
      hits: typeof v.hits === 'number' ? v.hits : 0,
      false_positive_hits: typeof v.false_positive_hits === 'number' ? v.false_positive_hits : 0,
    };
  } catch {
    return null;
  }
}

export const categoryOrNull = (c: string | null): CategoryId | null => (c !== null && isCategoryId(c) ? c : null);

export function toHealerEvent(r: RawHealerEvent): HealerEvent {
  return {
    kind: r.kind,
    round: r.round,
    patternId: r.pattern_id,
    pattern: r.pattern,
    category: categoryOrNull(r.category),
    source: r.source,
    sourceRound: r.source_round,
    reason: r.reason,
    origin: parseProvenance(r.origin_json),
    text: r.text,
  };
}

/** A grouped count: rounds of one kind and outcome under one key. */
export interface CountRow<K> {
  key: K;
  kind: string;
  outcome: string;
  n: number;
}

const OUTCOME_SET = new Set<string>(OUTCOMES);

/** Folds (key, kind, outcome, n) rows into outcome counts per key, keeping the rows' key order. */
export function foldCounts<K>(rows: Iterable<CountRow<K>>): Map<K, OutcomeCounts> {
  const out = new Map<K, OutcomeCounts>();
  for (const r of rows) {
    if (!OUTCOME_SET.has(r.outcome) || (r.kind !== 'attack' && r.kind !== 'benign')) {
      throw new StoreError(`the rounds table holds an unknown outcome "${r.outcome}" or kind "${r.kind}"; is this database from a newer hive?`);
    }
    let c = out.get(r.key);
    if (!c) out.set(r.key, (c = emptyCounts()));
    c.rounds += r.n;
    if ((r.kind as RoundKind) === 'attack') c.attacks += r.n;
    else c.benign += r.n;
    c[r.outcome as Outcome] += r.n;
  }
  return out;
}
