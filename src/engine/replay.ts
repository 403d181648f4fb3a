/**
 * Replay: the stored inputs of an earlier run (attacks and benign controls, same rounds, same
 * order, same batches, same categories and attacker names) judged by another cast. No attacker is
 * called. The new run has kind `replay` and records `replay_of`, so `hive compare` pairs it with
 * its source round by round.
 *
 * Decisions (README "Replay and compare"):
 * - A round whose attacker refused stays ATTACKER_REFUSED, and a round whose attacker failed stays
 *   an ERROR with the same message: there was no attack to judge, and both runs keep the same
 *   denominators. Every other round (including a source round that was an ERROR because too few
 *   defenders answered) is judged again.
 * - The healer is on when the source run's healer was on, unless `--heal` / `--no-heal` says
 *   otherwise, and only if the replaying cast has `healer.enabled`. Its parameters (lag,
 *   antibodies, patterns per breach) are the replaying cast's. What the source loaded before its
 *   first round (immunity files, vaccines: its round-0 healer events) is loaded again, from the
 *   database, so the files need not exist any more. `--freeze-healer-after` carries over.
 * - An input stored truncated (longer than the store's cap) is judged as stored; the count of such
 *   rounds is reported, since their outcomes may differ from the source's for that reason alone.
 *
 * Replaying a run with its own cast (embedded defenders) reproduces every round's outcome.
 */
import { existsSync } from 'node:fs';
import { isCategoryId, type RoundCategory } from '../categories.js';
import { loadCast, loadScenarios } from '../config/load.js';
import { DEFAULT_PATHS } from '../config/paths.js';
import type { Cast } from '../config/schemas.js';
import { thresholdConsensus } from '../defense/consensus.js';
import type { Outcome, RoundKind } from '../domain.js';
import { UsageError } from '../errors.js';
import { Healer, type HealerEvent, type PatternSource, type Provenance } from '../healer/healer.js';
import { buildDefender, modelRecord, type ModelContext } from '../models/factory.js';
import { needsPreflight, preflight, preflightError } from '../models/preflight.js';
import type { RunRow } from '../store/records.js';
import { Store } from '../store/store.js';
import type { EventSink } from './events.js';
import type { PlannedRound } from './plan.js';
import { benignGuard, checkNumber } from './session.js';
import { playStoredRun, type WargameSession } from './stored-run.js';

export interface ReplayOptions {
  sourceRunId: number;
  castPath: string;
  dbPath: string;
  /** Undefined: as the source run. */
  heal?: boolean | undefined;
  /** Undefined: the source run's scenario folder when it still exists, else the shipped one. */
  scenariosDir?: string | undefined;
  concurrency: number;
  env?: NodeJS.ProcessEnv;
  emit?: EventSink;
  stop?: AbortSignal;
  abort?: AbortSignal;
}

/** What was read from the source run, before anything is judged. */
export interface ReplaySource {
  run: RunRow;
  plan: PlannedRound[];
  heal: boolean;
  scenariosDir: string | null;
  freezeHealerAfter: number | null;
  corpus: string | null;
  /** Source rounds kept as they were: the attacker refused or failed. */
  carried: { refused: number; attackerErrors: number };
  /** Inputs stored truncated: judged as stored. */
  truncated: number;
  /** Healer events the source loaded before round 1. */
  preloaded: HealerEvent[];
}

/** `runs.config_json` of a replay run. */
export interface StoredReplayConfig {
  options: {
    replayOf: number;
    sourceKind: string;
    sourceCast: string;
    sourceConfigHash: string;
    rounds: number;
    batchSize: number;
    heal: boolean;
    /** The healer setting differs from the source's (flag or cast). */
    healChanged: boolean;
    scenariosDir: string;
    freezeHealerAfter: number | null;
    /** The source's corpus, when it was an eval run (reports show it). */
    corpus?: string;
    carried: { refused: number; attackerErrors: number };
    truncatedInputs: number;
  };
  cast: Cast;
}

export interface ReplaySession extends WargameSession {
  source: ReplaySource;
  heal: boolean;
  castName: string;
}

interface InputRow {
  round: number;
  batch: number;
  kind: RoundKind;
  category: string;
  attacker: string;
  outcome: Outcome;
  decided_by: string;
  calls: number;
  error: string | null;
  text: string;
  truncated: number;
  refused: number;
  strategy: string | null;
  source: string | null;
}

interface EventRow {
  kind: HealerEvent['kind'];
  round: number;
  pattern_id: number | null;
  pattern: string | null;
  category: string | null;
  source: string;
  source_round: number | null;
  reason: string | null;
  origin_json: string | null;
  text: string | null;
}

function parseObject(json: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(json);
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** A source round whose attacker failed: no text was written, no defender was asked. */
function attackerFailed(r: InputRow): boolean {
  return r.kind === 'attack' && r.outcome === 'ERROR' && r.calls === 0 && r.decided_by === 'error';
}

/** Reads the source run's inputs, in round order, as a fixed plan. Throws UsageError when there is nothing to replay. */
export function readReplaySource(store: Store, runId: number): ReplaySource {
  const run = store.getRun(runId);
  if (!run) throw new UsageError(`run ${runId} is not in ${store.path}; "hive runs --db ${store.path}" lists the runs it holds.`);
  const rows = store.database
    .prepare(
      `SELECT r.round, r.batch, r.kind, r.category, r.attacker, r.outcome, r.decided_by, r.calls, r.error,
              a.text, a.truncated, a.refused, a.strategy, a.source
       FROM rounds r JOIN attacks a ON a.run_id = r.run_id AND a.round = r.round
       WHERE r.run_id = ? ORDER BY r.round`,
    )
    .all(runId) as InputRow[];
  if (rows.length === 0) throw new UsageError(`run ${runId} has no stored rounds to replay.`);
  const carried = { refused: 0, attackerErrors: 0 };
  let truncated = 0;
  const plan: PlannedRound[] = rows.map((r) => {
    const p: PlannedRound = { round: r.round, batch: r.batch, kind: r.kind, category: r.category as RoundCategory, attacker: r.attacker, text: r.text };
    if (r.source !== null) p.source = r.source;
    if (r.strategy !== null) p.strategy = r.strategy;
    if (r.truncated) truncated += 1;
    if (attackerFailed(r)) {
      p.attackerError = (r.error ?? 'attacker failed').replace(/^attacker: /, '');
      carried.attackerErrors += 1;
    } else if (r.refused) {
      p.refused = true;
      carried.refused += 1;
    }
    return p;
  });
  const config = parseObject(run.configJson);
  const options = (typeof config.options === 'object' && config.options !== null ? config.options : {}) as Record<string, unknown>;
  const events = store.database
    .prepare(
      `SELECT kind, round, pattern_id, pattern, category, source, source_round, reason, origin_json, text FROM healer_events
       WHERE run_id = ? AND round = 0 ORDER BY id`,
    )
    .all(runId) as EventRow[];
  const preloaded = events.map(toHealerEvent);
  return {
    run,
    plan,
    heal: typeof options.heal === 'boolean' ? options.heal : preloaded.length > 0,
    scenariosDir: typeof options.scenariosDir === 'string' ? options.scenariosDir : null,
    freezeHealerAfter: typeof options.freezeHealerAfter === 'number' ? options.freezeHealerAfter : null,
    corpus: typeof options.corpus === 'string' ? options.corpus : null,
    carried,
    truncated,
    preloaded,
  };
}

function toHealerEvent(e: EventRow): HealerEvent {
  let origin: Provenance | null = null;
  if (e.origin_json !== null) {
    try {
      origin = JSON.parse(e.origin_json) as Provenance;
    } catch {
      origin = null;
    }
  }
  return {
    kind: e.kind,
    round: e.round,
    patternId: e.pattern_id,
    pattern: e.pattern,
    category: e.category !== null && isCategoryId(e.category) ? e.category : null,
    source: e.source as PatternSource,
    sourceRound: e.source_round,
    reason: e.reason,
    origin,
    text: e.text,
  };
}

/** Reads the source, builds the cast and plays the replay as a new run. Never prints. */
export async function startReplay(o: ReplayOptions): Promise<ReplaySession> {
  checkNumber('--concurrency', o.concurrency, 1, 1024);
  const cast = loadCast(o.castPath);
  const reader = Store.open(o.dbPath, { mustExist: true });
  let source: ReplaySource;
  try {
    source = readReplaySource(reader, o.sourceRunId);
  } finally {
    reader.close();
  }
  const scenariosDir = o.scenariosDir ?? (source.scenariosDir !== null && existsSync(source.scenariosDir) ? source.scenariosDir : DEFAULT_PATHS.scenarios);
  const scenarios = loadScenarios(scenariosDir);
  const ctx: ModelContext = { scenarios, env: o.env ?? process.env };
  const defenders = cast.defenders.map((d) => buildDefender(d, ctx));
  const ready = needsPreflight({ cast }) ? await preflight({ cast, env: ctx.env, signal: o.abort }) : undefined;
  if (ready && ready.problems.length > 0) throw preflightError(ready, `hive doctor --cast ${o.castPath}`);

  const heal = (o.heal ?? source.heal) && cast.healer.enabled;
  let healer: Healer | undefined;
  const preloaded: HealerEvent[] = [];
  if (heal) {
    healer = new Healer(cast.healer, benignGuard(scenarios), { freezeAfter: source.freezeHealerAfter ?? undefined });
    // What the source loaded before round 1, given back in the order it was stored.
    for (const e of source.preloaded) {
      if (e.kind === 'pattern_learned' || e.kind === 'antibody_added' || e.kind === 'pattern_retired') healer.restore(e);
      preloaded.push(e);
    }
  }
  const batchSize = source.run.batchSize;
  const config: StoredReplayConfig = {
    options: {
      replayOf: source.run.id,
      sourceKind: source.run.kind,
      sourceCast: source.run.castName,
      sourceConfigHash: source.run.configHash,
      rounds: source.plan.length,
      batchSize,
      heal,
      healChanged: heal !== source.heal,
      scenariosDir,
      freezeHealerAfter: source.freezeHealerAfter,
      ...(source.corpus !== null ? { corpus: source.corpus } : {}),
      carried: source.carried,
      truncatedInputs: source.truncated,
    },
    cast,
  };
  const session = await playStoredRun({
    dbPath: o.dbPath,
    manifest: {
      kind: 'replay',
      seed: source.run.seed,
      castName: cast.name,
      attackersName: source.run.attackersName,
      roundsPlanned: source.plan.length,
      batchSize,
      replayOf: source.run.id,
      config,
      plan: source.plan.map((p) => [p.kind === 'attack' ? 'A' : 'B', p.category, p.attacker]),
      models: cast.defenders.map((d) => modelRecord('defender', d)),
    },
    onCreated: (store, runId) => {
      for (const d of ready?.digests ?? []) store.setModelDigest(runId, d.role, d.name, d.digest);
      if (preloaded.length > 0) {
        store.recordHealerEvents(runId, preloaded);
        for (const event of preloaded) o.emit?.({ type: 'healer', runId, event });
      }
    },
    setup: {
      seed: source.run.seed,
      plan: source.plan,
      scenarios,
      attackers: new Map(),
      defenders,
      consensus: thresholdConsensus(cast.consensus),
      strategy: cast.consensus.strategy,
      healer,
      lag: cast.healer.lag,
      concurrency: o.concurrency,
      ...(o.emit ? { emit: o.emit } : {}),
      ...(o.stop ? { stop: o.stop } : {}),
      ...(o.abort ? { abort: o.abort } : {}),
    },
  });
  return { ...session, source, heal, castName: cast.name };
}
