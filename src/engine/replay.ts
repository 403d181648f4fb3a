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
import type { RoundCategory } from '../categories.js';
import { loadCast } from '../config/load.js';
import { loadScenarios } from '../config/scenarios.js';
import { DEFAULT_PATHS } from '../config/paths.js';
import { storedRunConfig, tryReadRunConfig, type ReplayConfig } from '../config/run-config.js';
import type { HealerEvent } from '../domain.js';
import { UsageError } from '../errors.js';
import { plural } from '../util/words.js';
import type { KnownBreach } from '../store/known-breaches.js';
import type { RunRow, StoredInput } from '../store/records.js';
import type { StoredTurn } from '../store/turns.js';
import { Store } from '../store/store.js';
import { buildRun } from './build.js';
import type { EventSink } from './events.js';
import { checkNumber } from './options.js';
import type { PlannedRound } from './plan.js';
import { playNewRun, type WargameSession } from './run-session.js';

export interface ReplayOptions {
  sourceRunId: number;
  castPath: string;
  dbPath: string;
  /** Undefined: as the source run. */
  heal?: boolean | undefined;
  /** Undefined: the source run's scenario folder when it still exists, else the shipped one. */
  scenariosDir?: string | undefined;
  concurrency: number;
  command?: 'replay' | 'ci' | undefined;
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
  /** The breaches the source knew from its loaded immunity. */
  knownBreaches: KnownBreach[];
  /** Conversation and iterative rounds, replayed turn by turn from their stored turns. */
  played: number;
}

export interface ReplaySession extends WargameSession {
  source: ReplaySource;
  heal: boolean;
  castName: string;
}

/** A source round whose attacker failed: no text was written, no defender was asked. */
function attackerFailed(r: StoredInput): boolean {
  return r.kind === 'attack' && r.outcome === 'ERROR' && r.calls === 0 && r.decidedBy === 'error';
}

/** Reads the source run's inputs, in round order, as a fixed plan. Throws UsageError when there is nothing to replay. */
export function readReplaySource(store: Store, runId: number): ReplaySource {
  const run = store.runs.get(runId);
  if (!run) throw new UsageError(`run ${runId} is not in ${store.path}; "hive runs --db ${store.path}" lists the runs it holds.`);
  const rows = store.rounds.inputs(runId);
  if (rows.length === 0) throw new UsageError(`run ${runId} has no stored rounds to replay.`);
  const carried = { refused: 0, attackerErrors: 0 };
  let truncated = 0;
  const plan: PlannedRound[] = rows.map((r) => {
    const p: PlannedRound = { round: r.round, batch: r.batch, kind: r.kind, category: r.category as RoundCategory, attacker: r.attacker, text: r.text };
    if (r.source !== null) p.source = r.source;
    if (r.strategy !== null) p.strategy = r.strategy;
    if (r.payloadTurn !== null) p.payloadTurn = r.payloadTurn;
    if (r.attemptsAllowed !== null) p.attemptsAllowed = r.attemptsAllowed;
    if (r.truncated) {
      truncated += 1;
      p.truncated = true;
    }
    if (attackerFailed(r)) {
      p.attackerError = (r.error ?? 'attacker failed').replace(/^attacker: /, '');
      carried.attackerErrors += 1;
    } else if (r.refused) {
      p.refused = true;
      carried.refused += 1;
    }
    return p;
  });
  const played = withTurns(plan, store.turns.played(runId));
  const preloaded = store.healerEvents.preloaded(runId);
  // A source whose stored configuration cannot be read is still replayed: its inputs are what count.
  const config = tryReadRunConfig(run);
  const options = config?.options;
  return {
    run,
    plan,
    heal: options?.heal ?? preloaded.length > 0,
    scenariosDir: options?.scenariosDir ?? null,
    freezeHealerAfter: options && 'freezeHealerAfter' in options ? options.freezeHealerAfter : null,
    corpus: options && 'corpus' in options ? options.corpus : null,
    carried,
    truncated,
    preloaded,
    knownBreaches: store.knownBreaches.list(runId),
    played,
  };
}

/**
 * Conversation and iterative source rounds replay their stored turns: a conversation's user turns
 * and replies in order (judged turn by turn, stopping where the new cast blocks), an iterative
 * round's judged attempts in order (stopping at the first the new cast lets through). Rounds kept
 * as they were (refused, attacker failed) stay single. Returns how many rounds replay turns.
 */
function withTurns(plan: PlannedRound[], turns: ReadonlyMap<number, StoredTurn[]>): number {
  let n = 0;
  for (const p of plan) {
    const list = turns.get(p.round);
    if (!list || p.refused || p.attackerError !== undefined) continue;
    if (list.some((t) => t.role === 'user')) {
      p.conversation = true;
      p.turns = list.filter((t) => t.role === 'user' || t.role === 'assistant').map((t) => ({ role: t.role as 'user' | 'assistant', text: t.text }));
      const last = list.filter((t) => t.role === 'user').at(-1) as StoredTurn;
      const sawPayload = p.payloadTurn !== undefined && last.step >= p.payloadTurn;
      if (p.kind === 'attack' && (last.decision === 'block' || last.decision === 'healer') && !sawPayload) p.recordingCut = true;
      n += 1;
    } else {
      const attempts = list.filter((t) => t.role === 'attempt' && t.decision !== null).map((t) => t.text);
      if (attempts.length === 0) continue;
      p.text = attempts[0] as string;
      p.attempts = attempts;
      // The source's attacker gave up (a refused attempt): no attempt would have followed the recording.
      if (list.some((t) => t.role === 'attempt' && t.decision === null)) p.attemptsAllowed = attempts.length;
      n += 1;
    }
  }
  return n;
}

/** What a replay or a comparison of conversation and iterative rounds measures, said where it is shown. */
export function recordedPressureNotice(sourceRun: number, rounds: number): string {
  return `run ${sourceRun} has ${plural(rounds, 'conversation or iterative round')}: their stored turns and attempts are judged in order by this cast, stopping where it blocks. This compares casts on the same recorded pressure; the turns and attempts were adapted to the first cast's verdicts, so a cast that blocks earlier is not shown what the attacker would have written next.`;
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
  const heal = (o.heal ?? source.heal) && cast.healer.enabled;
  const config = storedRunConfig({
    version: 2,
    kind: 'replay',
    command: o.command ?? 'replay',
    options: {
      replayOf: source.run.id,
      sourceKind: source.run.kind,
      sourceCast: source.run.castName,
      sourceConfigHash: source.run.configHash,
      rounds: source.plan.length,
      batchSize: source.run.batchSize,
      heal,
      healChanged: heal !== source.heal,
      scenariosDir,
      freezeHealerAfter: source.freezeHealerAfter,
      corpus: source.corpus,
      carried: source.carried,
      truncatedInputs: source.truncated,
    },
    cast,
  }) as ReplayConfig;
  for (const text of scenarios.notices) o.emit?.({ type: 'notice', text });
  const built = await buildRun({
    cast,
    scenarios,
    env: o.env ?? process.env,
    heal,
    // What the source loaded before round 1 is loaded again, from the database.
    healerStart: { kind: 'events', events: source.preloaded, knownBreaches: source.knownBreaches },
    freezeHealerAfter: source.freezeHealerAfter,
    doctorCommand: `hive doctor --cast ${o.castPath}`,
    signal: o.abort,
  });
  // Said once the preflight passed: a replay refused before it starts prints its one error line only.
  if (source.played > 0) o.emit?.({ type: 'notice', text: recordedPressureNotice(source.run.id, source.played) });
  const session = await playNewRun({
    dbPath: o.dbPath,
    config,
    plan: source.plan,
    built,
    seed: source.run.seed,
    scenarios: scenarios.categories,
    attackersName: source.run.attackersName,
    replayOf: source.run.id,
    controls: { concurrency: o.concurrency, emit: o.emit, stop: o.stop, abort: o.abort },
  });
  return { ...session, source, heal, castName: cast.name };
}
