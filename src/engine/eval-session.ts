import { loadCast, loadScenarios } from '../config/load.js';
import type { Corpus, CorpusRow } from '../config/corpus.js';
import type { Cast } from '../config/schemas.js';
import { thresholdConsensus } from '../defense/consensus.js';
import { ConfigError } from '../errors.js';
import { Healer } from '../healer/healer.js';
import { buildDefender, modelRecord, type ModelContext } from '../models/factory.js';
import { needsPreflight, preflight, preflightError } from '../models/preflight.js';
import type { EventSink } from './events.js';
import { BENIGN_ATTACKER, type PlannedRound } from './plan.js';
import { benignGuard, checkNumber } from './session.js';
import { playStoredRun, type WargameSession } from './stored-run.js';

/** The attacker name of a corpus's attack rows (benign rows use BENIGN_ATTACKER, as in a wargame). */
export const CORPUS_ATTACKER = 'corpus';

export interface EvalOptions {
  /** Already read and checked by the caller, which decides what to do with its problems. */
  corpus: Corpus;
  castPath: string;
  scenariosDir: string;
  dbPath: string;
  batchSize: number;
  concurrency: number;
  /** The healer is off for a corpus unless asked for: it learns from the rows it is measured on. */
  heal: boolean;
  env?: NodeJS.ProcessEnv;
  emit?: EventSink;
  stop?: AbortSignal;
  abort?: AbortSignal;
}

/** `runs.config_json` of an eval run: enough to say what was measured and to run it again. */
export interface StoredEvalConfig {
  options: {
    corpus: string;
    corpusSha256: string;
    corpusFormat: string;
    rows: number;
    /** Rows left out because they could not be read (listed when the run started). */
    unreadableRows: number;
    batchSize: number;
    heal: boolean;
    scenariosDir: string;
  };
  cast: Cast;
}

/** Corpus rows in file order: fixed inputs, so no attacker is called and the seed decides nothing. */
export function corpusPlan(rows: readonly CorpusRow[], batchSize: number): PlannedRound[] {
  return rows.map((row, i) => ({
    round: i + 1,
    batch: Math.floor(i / batchSize) + 1,
    kind: row.kind,
    category: row.category,
    attacker: row.kind === 'attack' ? CORPUS_ATTACKER : BENIGN_ATTACKER,
    text: row.text,
    ...(row.source !== null ? { source: row.source } : {}),
  }));
}

/** Puts a labelled corpus through a cast and stores it as a run of kind `eval`. Never prints. */
export async function startEval(o: EvalOptions): Promise<WargameSession> {
  checkNumber('--batch', o.batchSize, 1, 1_000_000);
  checkNumber('--concurrency', o.concurrency, 1, 1024);
  if (o.corpus.rows.length === 0) throw new ConfigError(`corpus ${o.corpus.file} has no readable rows.`);
  const cast = loadCast(o.castPath);
  // Embedded defenders learn from the scenarios; the healer's benign guard comes from them too.
  const scenarios = loadScenarios(o.scenariosDir);
  const ctx: ModelContext = { scenarios, env: o.env ?? process.env };
  const defenders = cast.defenders.map((d) => buildDefender(d, ctx));
  const ready = needsPreflight({ cast }) ? await preflight({ cast, env: ctx.env, signal: o.abort }) : undefined;
  if (ready && ready.problems.length > 0) throw preflightError(ready, `hive doctor --cast ${o.castPath}`);

  const plan = corpusPlan(o.corpus.rows, o.batchSize);
  const config: StoredEvalConfig = {
    options: {
      corpus: o.corpus.file,
      corpusSha256: o.corpus.sha256,
      corpusFormat: o.corpus.format,
      rows: o.corpus.rows.length,
      unreadableRows: o.corpus.problems.length,
      batchSize: o.batchSize,
      heal: o.heal,
      scenariosDir: o.scenariosDir,
    },
    cast,
  };
  return playStoredRun({
    dbPath: o.dbPath,
    manifest: {
      kind: 'eval',
      seed: 0,
      castName: cast.name,
      attackersName: null,
      roundsPlanned: plan.length,
      batchSize: o.batchSize,
      replayOf: null,
      config,
      plan: plan.map((p) => [p.kind === 'attack' ? 'A' : 'B', p.category, p.attacker]),
      models: cast.defenders.map((d) => modelRecord('defender', d)),
    },
    onCreated: (store, runId) => {
      for (const d of ready?.digests ?? []) store.setModelDigest(runId, d.role, d.name, d.digest);
    },
    setup: {
      seed: 0,
      plan,
      scenarios,
      attackers: new Map(),
      defenders,
      consensus: thresholdConsensus(cast.consensus),
      strategy: cast.consensus.strategy,
      healer: o.heal ? new Healer(cast.healer, benignGuard(scenarios)) : undefined,
      lag: cast.healer.lag,
      concurrency: o.concurrency,
      ...(o.emit ? { emit: o.emit } : {}),
      ...(o.stop ? { stop: o.stop } : {}),
      ...(o.abort ? { abort: o.abort } : {}),
    },
  });
}
