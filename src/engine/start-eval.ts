/** `hive eval` (and `hive ci --corpus`): a labelled corpus through a cast, stored as a run of kind `eval`. */
import { loadCast } from '../config/load.js';
import { loadScenarios } from '../config/scenarios.js';
import type { Corpus, CorpusRow } from '../config/corpus.js';
import { storedRunConfig, type EvalConfig } from '../config/run-config.js';
import { ConfigError } from '../errors.js';
import { buildRun } from './build.js';
import type { EventSink } from './events.js';
import { checkNumber } from './options.js';
import { thresholdFrom } from './threshold.js';
import { BENIGN_ATTACKER, type PlannedRound } from './plan.js';
import { playNewRun, type WargameSession } from './run-session.js';

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
  command?: 'eval' | 'ci' | undefined;
  /** --threshold-from RUN: report TPR and FPR at that run's 1%-FPR score threshold (out-of-sample). */
  thresholdFrom?: number | undefined;
  env?: NodeJS.ProcessEnv;
  emit?: EventSink;
  stop?: AbortSignal;
  abort?: AbortSignal;
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
  const fixed = o.thresholdFrom !== undefined ? thresholdFrom(o.dbPath, o.thresholdFrom, cast) : null;
  // What the corpus was (file, hash, rows read and unread) and how it was judged.
  const options: EvalConfig['options'] = {
    corpus: o.corpus.file,
    corpusSha256: o.corpus.sha256,
    corpusFormat: o.corpus.format,
    rows: o.corpus.rows.length,
    unreadableRows: o.corpus.problems.length,
    batchSize: o.batchSize,
    heal: o.heal,
    scenariosDir: o.scenariosDir,
    thresholdFrom: fixed,
  };
  const config = storedRunConfig({ version: 2, kind: 'eval', command: o.command ?? 'eval', options, cast }) as EvalConfig;
  for (const text of scenarios.notices) o.emit?.({ type: 'notice', text });
  const built = await buildRun({
    cast,
    scenarios,
    env: o.env ?? process.env,
    heal: o.heal,
    doctorCommand: `hive doctor --cast ${o.castPath}`,
    signal: o.abort,
  });
  return playNewRun({
    dbPath: o.dbPath,
    config,
    plan: corpusPlan(o.corpus.rows, o.batchSize),
    built,
    seed: 0,
    scenarios: scenarios.categories,
    attackersName: null,
    replayOf: null,
    controls: { concurrency: o.concurrency, emit: o.emit, stop: o.stop, abort: o.abort },
  });
}
