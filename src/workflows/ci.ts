/**
 * `hive ci`: play one run (a wargame against an attacker pool, a replay of a stored run, or a
 * labelled corpus through `hive eval`'s machinery), then check its report against the gates.
 * Never prints; the CLI turns the result into lines, JUnit and Markdown, and the exit code. A
 * workflow above the engine (which plays the run) and the report (which measures it and gates).
 */
import { DEFAULT_CI_ROUNDS } from '../config/defaults.js';
import { existsSync } from 'node:fs';
import { readCorpus } from '../config/corpus.js';
import { loadAttackerPool, loadCast } from '../config/load.js';
import type { Gates } from '../config/schemas.js';
import { ConfigError, UsageError } from '../errors.js';
import { buildRunReport } from '../report/build.js';
import { compareRuns } from '../report/compute/compare.js';
import {
  collectGates,
  DEFAULT_ORIGIN,
  compareWithFile,
  evaluateDropGate,
  evaluateRateGates,
  loadGatesFile,
  readBaselineFile,
  type BaselineComparison,
  type BaselineFile,
  type GateSpec,
} from '../report/compute/gates.js';
import { MODE_GATES, type GatedRun, type PairedGroup, type UnpairedGroup } from '../report/compute/types.js';
import { Store } from '../store/store.js';
import type { EventSink } from '../engine/events.js';
import { startEval } from '../engine/start-eval.js';
import { readReplaySource, startReplay } from '../engine/replay.js';
import { startWargame } from '../engine/start-wargame.js';
import { noConversationReason, plannedAttackConversations } from '../engine/plan.js';
import type { WargameResult } from '../engine/wargame.js';

export interface CiOptions {
  castPath: string;
  /** Exactly one input, or none (then the default attacker pool). */
  attackersPath?: string | undefined;
  replayRun?: number | undefined;
  corpusPath?: string | undefined;
  defaultAttackersPath: string;
  rounds?: number | undefined;
  seed: number;
  batchSize: number;
  benignRatio: number;
  concurrency: number;
  scenariosDir: string;
  dbPath: string;
  heal?: boolean | undefined;
  minDefence?: number | undefined;
  maxFpr?: number | undefined;
  /** Default DEFAULT_MAX_ERROR_RATE; a gates file's `max_error_rate` in between. */
  maxErrorRate?: number | undefined;
  gatesPath?: string | undefined;
  /** A run id (same database) or a `hive report --format json` file. */
  baseline?: string | undefined;
  maxDrop?: number | undefined;
  alpha: number;
  /** A wargame's ways of playing rounds, as `hive wargame` takes them (docs/conversations.md). */
  multiTurn?: number | undefined;
  maxTurns?: number | undefined;
  refinements?: number | undefined;
  /** Gates on the conversation rounds' defence rate at the payload turn, and on the iterative rounds' after every attempt. */
  minMultiTurnDefence?: number | undefined;
  minIterativeDefence?: number | undefined;
  env?: NodeJS.ProcessEnv;
  emit?: EventSink;
  stop?: AbortSignal;
  abort?: AbortSignal;
}


/** The run, its report and its gates (a `GatedRun`, what the JUnit and Markdown renderers read). */
export interface CiResult extends GatedRun {
  runId: number;
  /** How the run ended. */
  result: WargameResult;
  /** Every gate passed and the run completed. */
  passed: boolean;
  baseline: BaselineComparison | undefined;
}

/**
 * Each rate flag's example fits its meaning: a floor on a defence rate is high, a ceiling on a
 * false-positive or error rate and a drop are small.
 */
const FRACTION_EXAMPLE = {
  '--min-defence': 0.95,
  '--max-fpr': 0.05,
  '--max-error-rate': 0.05,
  '--max-drop': 0.05,
  '--min-multi-turn-defence': 0.9,
  '--min-iterative-defence': 0.9,
} as const;

function fraction(name: keyof typeof FRACTION_EXAMPLE, v: number | undefined): void {
  if (v !== undefined && !(Number.isFinite(v) && v >= 0 && v <= 1)) throw new UsageError(`${name} must be a fraction from 0 to 1, e.g. ${FRACTION_EXAMPLE[name]} (got ${String(v)}).`);
}

type Baseline = { kind: 'run'; id: number } | { kind: 'file'; file: BaselineFile };

function parseBaseline(value: string | undefined): Baseline | undefined {
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value) && !existsSync(value)) return { kind: 'run', id: Number(value) };
  if (!existsSync(value)) throw new UsageError(`--baseline ${value} is neither a run id nor a file; pass a run id from "hive runs" or a "hive report --format json" file.`);
  return { kind: 'file', file: readBaselineFile(value) };
}

/** Checks every option and reads every file before anything runs: a bad flag costs no run. */
export function planCi(o: CiOptions): { specs: GateSpec[]; baseline: Baseline | undefined; castGates: Gates | undefined } {
  const inputs = [o.attackersPath !== undefined && '--attackers', o.replayRun !== undefined && '--replay', o.corpusPath !== undefined && '--corpus'].filter(Boolean);
  if (inputs.length > 1) throw new UsageError(`${inputs.join(' and ')} cannot be combined: hive ci judges one input (an attacker pool, a stored run or a corpus).`);
  if (o.rounds !== undefined && (o.replayRun !== undefined || o.corpusPath !== undefined)) {
    throw new UsageError('--rounds applies to a wargame against --attackers; a replay or a corpus has the rounds it has.');
  }
  // The run to replay is checked before the gates: a run that is not there is the error to name,
  // not "no gates to check" or a mode gate the missing run "does not play".
  if (o.replayRun !== undefined) {
    const store = Store.open(o.dbPath, { mustExist: true });
    try {
      readReplaySource(store, o.replayRun);
    } finally {
      store.close();
    }
  }
  fraction('--min-defence', o.minDefence);
  fraction('--max-fpr', o.maxFpr);
  fraction('--max-error-rate', o.maxErrorRate);
  fraction('--max-drop', o.maxDrop);
  fraction('--min-multi-turn-defence', o.minMultiTurnDefence);
  fraction('--min-iterative-defence', o.minIterativeDefence);
  const wargameOnly = [o.multiTurn !== undefined && '--multi-turn', o.maxTurns !== undefined && '--max-turns', o.refinements !== undefined && '--refinements'].filter(Boolean);
  if (wargameOnly.length > 0 && (o.replayRun !== undefined || o.corpusPath !== undefined)) {
    const why = o.replayRun !== undefined ? `a replay plays run ${o.replayRun}'s rounds as they were played` : 'a corpus has single inputs only';
    throw new UsageError(`${wargameOnly.join(' and ')} ${wargameOnly.length > 1 ? 'shape' : 'shapes'} a wargame against --attackers, but ${why}; drop ${wargameOnly.length > 1 ? 'them' : 'it'}.`);
  }
  if (!(o.alpha > 0 && o.alpha < 1)) throw new UsageError(`--alpha must be between 0 and 1, e.g. 0.05 (got ${String(o.alpha)}).`);
  const baseline = parseBaseline(o.baseline);
  if (o.maxDrop !== undefined && !baseline) throw new UsageError('--max-drop needs --baseline RUN|FILE to measure the drop from.');
  const cast = loadCast(o.castPath);
  const fileGates = o.gatesPath !== undefined ? loadGatesFile(o.gatesPath) : undefined;
  const specs = collectGates(
    [
      { gates: cast.gates, origin: `cast ${o.castPath}` },
      { gates: fileGates, origin: `gates file ${o.gatesPath ?? ''}` },
    ],
    { minDefence: o.minDefence, maxFpr: o.maxFpr, maxErrorRate: o.maxErrorRate, minMultiTurnDefence: o.minMultiTurnDefence, minIterativeDefence: o.minIterativeDefence },
  );
  // A gate on a way of playing that the run will not play could never pass: refused before the run.
  const gated = specs.filter((s): s is GateSpec & { kind: keyof typeof MODE_GATES } => s.kind in MODE_GATES);
  if (gated.length > 0) {
    const played = modesToPlay(o);
    for (const s of gated) {
      if (!played.has(MODE_GATES[s.kind])) throw new UsageError(MODE_MISSING[s.kind](o));
    }
  }
  // The default error-rate gate alone gates nothing the user asked about.
  if (specs.every((s) => s.origin === DEFAULT_ORIGIN) && !baseline) {
    throw new UsageError('no gates to check: pass --min-defence, --max-fpr or --baseline, add a gates: key to the cast, or pass --gates FILE.');
  }
  if (baseline?.kind === 'run') {
    const store = Store.open(o.dbPath, { mustExist: true });
    try {
      if (!store.runs.get(baseline.id)) throw new UsageError(`baseline run ${baseline.id} is not in ${o.dbPath}; "hive runs --db ${o.dbPath}" lists the runs it holds.`);
    } finally {
      store.close();
    }
  }
  if (o.corpusPath !== undefined && !existsSync(o.corpusPath)) throw new ConfigError(`corpus file not found: ${o.corpusPath}; pass --corpus with a JSONL or CSV file.`);
  return { specs, baseline, castGates: cast.gates };
}

type PlayMode = (typeof MODE_GATES)[keyof typeof MODE_GATES];

/** What to do when a mode gate's mode is not played, by the run's input. */
const MODE_MISSING: Record<keyof typeof MODE_GATES, (o: CiOptions) => string> = {
  'min-multi-turn-defence': (o) =>
    `--min-multi-turn-defence gates conversation rounds, but this run plays none: ${o.replayRun !== undefined ? `run ${o.replayRun} has no attack conversation; replay a run played with --multi-turn` : o.corpusPath !== undefined ? 'a corpus has single inputs only; drop the gate' : (noConversationReason({ rounds: o.rounds ?? DEFAULT_CI_ROUNDS, benignRatio: o.benignRatio, multiTurn: o.multiTurn }) ?? 'pass --multi-turn R (the share of rounds played as conversations)')}.`,
  'min-iterative-defence': (o) =>
    `--min-iterative-defence gates iterative rounds, but this run plays none: ${o.replayRun !== undefined ? `run ${o.replayRun} has no iterative round; replay a run played with --refinements` : o.corpusPath !== undefined ? 'a corpus has single inputs only; drop the gate' : allConversations(o) ? `--multi-turn ${o.multiTurn} plays every attack round as a conversation; lower it` : 'pass --refinements N, or set refinements on an attacker entry'}.`,
};

/** Whether the plan plays every attack round as a conversation (none left to play iteratively). */
function allConversations(o: CiOptions): boolean {
  const { attacks, conversations } = plannedAttackConversations({ rounds: o.rounds ?? DEFAULT_CI_ROUNDS, benignRatio: o.benignRatio, multiTurn: o.multiTurn });
  return attacks > 0 && conversations === attacks;
}

/** The ways of playing rounds the run will have: a wargame's from its flags and attacker pool, a replay's from its source's turns; a corpus has none. */
function modesToPlay(o: CiOptions): Set<PlayMode> {
  const out = new Set<PlayMode>();
  if (o.corpusPath !== undefined) return out;
  if (o.replayRun !== undefined) {
    const store = Store.open(o.dbPath, { mustExist: true });
    try {
      for (const row of store.turns.modeOutcomes(o.replayRun)) if (row.mode !== 'single' && row.kind === 'attack') out.add(row.mode);
    } finally {
      store.close();
    }
    return out;
  }
  // The plan's counts are known before it is drawn: a share that rounds to no conversation plays
  // none, and one that makes every attack a conversation leaves none to play iteratively.
  if (plannedAttackConversations({ rounds: o.rounds ?? DEFAULT_CI_ROUNDS, benignRatio: o.benignRatio, multiTurn: o.multiTurn }).conversations > 0) out.add('conversation');
  // An entry's own refinements win over --refinements (docs/conversations.md).
  const pool = loadAttackerPool(o.attackersPath ?? o.defaultAttackersPath);
  if (!allConversations(o) && pool.attackers.some((a) => (a.refinements ?? o.refinements ?? 0) > 0)) out.add('iterative');
  return out;
}

export async function runCi(o: CiOptions): Promise<CiResult> {
  const started = performance.now();
  const { specs, baseline } = planCi(o);
  const common = { dbPath: o.dbPath, concurrency: o.concurrency, env: o.env ?? process.env, ...(o.emit ? { emit: o.emit } : {}), ...(o.stop ? { stop: o.stop } : {}), ...(o.abort ? { abort: o.abort } : {}) };
  let mode: CiResult['mode'];
  let session: { runId: number; result: WargameResult };
  if (o.replayRun !== undefined) {
    mode = 'replay';
    session = await startReplay({ ...common, sourceRunId: o.replayRun, castPath: o.castPath, heal: o.heal, scenariosDir: o.scenariosDir, command: 'ci' });
  } else if (o.corpusPath !== undefined) {
    mode = 'eval';
    const corpus = readCorpus(o.corpusPath);
    if (corpus.rows.length === 0) throw new ConfigError(`corpus ${o.corpusPath} has no readable rows.`);
    session = await startEval({ ...common, corpus, castPath: o.castPath, scenariosDir: o.scenariosDir, batchSize: o.batchSize, heal: o.heal ?? false, command: 'ci' });
  } else {
    mode = 'wargame';
    session = await startWargame({
      ...common,
      rounds: o.rounds ?? DEFAULT_CI_ROUNDS,
      castPath: o.castPath,
      attackersPath: o.attackersPath ?? o.defaultAttackersPath,
      scenariosDir: o.scenariosDir,
      batchSize: o.batchSize,
      seed: o.seed,
      benignRatio: o.benignRatio,
      heal: o.heal ?? true,
      multiTurn: o.multiTurn,
      maxTurns: o.maxTurns,
      refinements: o.refinements,
      command: 'ci',
    });
  }

  const store = Store.open(o.dbPath, { mustExist: true });
  try {
    const report = buildRunReport(store, session.runId);
    const gates = evaluateRateGates(report, specs);
    let base: BaselineComparison | undefined;
    if (baseline?.kind === 'run') {
      const c = compareRuns(store, baseline.id, session.runId);
      const label = `baseline run ${baseline.id}`;
      base = c.pairing.paired ? { paired: true, label, group: c.groups[0] as PairedGroup } : { paired: false, label, group: c.groups[0] as UnpairedGroup };
    } else if (baseline?.kind === 'file') {
      base = compareWithFile(report, baseline.file);
    }
    if (base) gates.push(evaluateDropGate(base, o.maxDrop ?? 0, o.alpha));
    return {
      runId: session.runId,
      mode,
      result: session.result,
      status: session.result.status,
      report,
      gates,
      passed: gates.every((g) => g.passed) && session.result.status === 'completed',
      baseline: base,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    store.close();
  }
}
