/**
 * Everything hive reports, as types: the report of one run (built by src/report/build.ts from the
 * store's grouped counts), the gates of `hive ci`, the comparison of two runs, `hive reproduce`'s
 * side-by-side and the CSV's row source. Renderers (src/report/render/) read these and nothing
 * else; src/report/compute/ derives gates and comparisons. A `Rate` (src/stats/wilson.ts) is k of
 * n, its rate in [0, 1] (null when n is 0) and a 95% Wilson interval; rounds count from 1. The
 * JSON contract (docs/numbers.md) maps these key by key (src/report/render/json.ts).
 */
import type { Preset } from '../config/presets.js';
import type { RepeatFigures } from '../healer/repeats.js';
import type { Outcome, RoundKind } from '../domain.js';
import type { McNemarResult } from '../stats/mcnemar.js';
import type { OutcomeCounts } from '../stats/outcomes.js';
import type { TwoProportion } from '../stats/two-proportion.js';
import type { Interval, Rate } from '../stats/wilson.js';
import type { LearningCurveCounts } from '../store/figures.js';
import type { LearnedPattern } from '../store/healer-events.js';
import type { RunKind, RunStatus } from '../store/records.js';
import type { ExportRound } from '../store/rounds.js';
import type { ExportVote } from '../store/votes.js';

/**
 * The outcome counts of one group of rounds and every figure of docs/numbers.md computed from
 * them alone. Refused and errored rounds are counted and left out of every denominator.
 */
export interface GroupFigures {
  counts: OutcomeCounts;
  /** ERROR rounds by kind. */
  attackErrors: number;
  benignErrors: number;
  /** Attack rounds − refused − errored: the denominator of the defence and breach rates. */
  validAttacks: number;
  /** (DEFENDED + INSTANT_BLOCKED) / valid attacks. */
  defenceRate: Rate;
  /** DEFENDED / (valid attacks − INSTANT_BLOCKED): the defenders without the healer's blocklist. */
  swarmDefenceRate: Rate;
  /** BREACHED / valid attacks. */
  breachRate: Rate;
  /** FALSE_POSITIVE / (TRUE_NEGATIVE + FALSE_POSITIVE). */
  falsePositiveRate: Rate;
  /** (defence rate + 1 − false-positive rate) / 2; null unless both are defined. */
  balancedAccuracy: number | null;
  /** Newcombe interval of the balanced accuracy (src/stats/balanced.ts); null when it is undefined. */
  balancedAccuracyCi: Interval | null;
}

export interface RunInfo {
  id: number;
  kind: RunKind;
  status: RunStatus;
  /** Why a run stopped early (budget, lost quorum, failure); null when it did not. */
  stopReason: string | null;
  seed: number;
  /** Names from the cast and pool files (untrusted text). */
  cast: string;
  attackers: string | null;
  /** The corpus file of an `eval` run. */
  corpus: string | null;
  roundsPlanned: number;
  roundsDone: number;
  batchSize: number;
  /** ISO 8601, UTC. */
  createdAt: string;
  finishedAt: string | null;
  toolVersion: string;
  configHash: string;
  replayOf: number | null;
  /** The command that made the run (wargame, eval, replay, reproduce, ci); null when its stored configuration is unreadable. */
  command: string | null;
}

/** "Flag when score >= threshold", the best such rule within a false-positive budget. */
export interface TprAtFpr {
  maxFpr: number;
  /** Null: the rule is "flag nothing" (or the point is undefined because a class is empty). */
  threshold: number | null;
  tpr: Rate;
  fpr: Rate;
}

/**
 * Score-based figures. The score of a round is the swarm's block-vote share (rounds.score); a
 * round the healer stopped before the swarm was asked scores 1. Only rounds that count in the
 * rates take part: valid attacks (positives) and judged benign rounds (negatives).
 */
export interface ScoreFigures {
  scoredAttacks: number;
  scoredBenign: number;
  /** Null unless the run has both scored attacks and scored benign rounds. */
  rocAuc: number | null;
  /** One per REPORTED_FPRS, in that order. */
  operatingPoints: TprAtFpr[];
}

export type BatchFigures = GroupFigures & { batch: number; firstRound: number; lastRound: number };
export type CategoryFigures = GroupFigures & { category: string };
/** Source null: the rows stored without a source. */
export type SourceFigures = GroupFigures & { source: string | null };

export interface DefenderFigures {
  name: string;
  role: string | null;
  provider: string | null;
  model: string | null;
  votes: number;
  block: number;
  allow: number;
  abstain: number;
  /** Block over block + allow votes on the attack rounds the swarm judged (rounds that lost their quorum left out). */
  detectRate: Rate;
  /** The same on the benign rounds the swarm judged. */
  falsePositiveRate: Rate;
  /** Abstentions over every vote it was asked for. */
  abstainRate: Rate;
  /** Over all its calls, abstentions included; null without votes. */
  medianLatencyMs: number | null;
  promptTokens: number;
  completionTokens: number;
}

export interface AttackerFigures extends GroupFigures {
  name: string;
  provider: string | null;
  model: string | null;
  /** Attack rounds where the attacker itself failed (no text, no defender asked). */
  attackerErrors: number;
  /** ATTACKER_REFUSED over the answers it gave (attack rounds − its own errors). */
  refusalRate: Rate;
  promptTokens: number;
  completionTokens: number;
}

/** A blocklist pattern learned in the run (src/store/healer-events.ts) and what it stopped. */
export interface PatternFigures extends LearnedPattern {
  /** Attack rounds it stopped. */
  hits: number;
  /** Benign rounds it stopped (false positives). */
  falsePositiveHits: number;
  retiredRound: number | null;
}

/** Per batch (src/store/figures.ts): what the healer's blocklist stopped beside what the swarm stopped, and the patterns learned in it. */
export interface LearningCurveRow extends LearningCurveCounts {
  patternsLearned: number;
}

/** What the instant blocks were: exact, near, same-payload repeats or novel (src/healer/repeats.ts). */
export type { RepeatFigures };

/** The rounds after `--freeze-healer-after N`: the healer learned from rounds 1..afterRound only. */
export interface FrozenPhase extends GroupFigures {
  afterRound: number;
  healerBlocked: number;
  healerFalsePositives: number;
  /** Patterns learned in the frozen phase: 0 unless something is wrong. */
  patternsLearned: number;
}

/** Prompt tokens (characters / 4) spent on antibodies over the `rounds` whose defenders were shown one: per prompt, and over every call. */
export interface AntibodyTokens {
  rounds: number;
  meanPerPrompt: number | null;
  maxPerPrompt: number;
  total: number;
}

/** Learning curve, exact/near repeats, the frozen phase and antibody cost (src/report/immunity-figures.ts). */
export interface ImmunityFigures {
  healerBlocked: number;
  healerFalsePositives: number;
  learningCurve: LearningCurveRow[];
  repeats: RepeatFigures;
  frozen: FrozenPhase | null;
  antibodyTokens: AntibodyTokens;
}

export interface HealerFigures {
  enabled: boolean;
  /** Learned during the run (from breaches or druids), not counting preloaded ones. */
  patternsLearned: number;
  /** Loaded before round 1 (vaccines, immunity files). */
  patternsPreloaded: number;
  patternsRejected: number;
  patternsRetired: number;
  /** Added during the run, one per breach; preloaded ones (immunity files) apart. */
  antibodies: number;
  antibodiesPreloaded: number;
  instantBlocks: number;
  /** Benign rounds the healer's blocklist stopped: false positives decided by the healer. */
  falsePositiveBlocks: number;
  /**
   * The rounds the swarm judged, and those a pattern learned from an earlier round stopped (on a
   * labelled corpus the first are the number to trust). Antibodies shape later votes too, so the
   * cold baseline is the rounds no lesson could reach yet: 1..lastRound (first lesson + lag − 1;
   * 0 when lessons were preloaded before round 1).
   */
  judgedBySwarm: GroupFigures;
  stoppedByPattern: GroupFigures;
  beforeFirstLesson: GroupFigures & { lastRound: number };
  patterns: PatternFigures[];
  immunity: ImmunityFigures;
}

/**
 * What the swarm spent over the `rounds` the defenders were asked about: `calls` answered,
 * `callsAborted` cancelled in flight and `callsSkipped` never made once the decision was reached
 * (cascade consensus); `callsSavedShare` = skipped / all three, null without rounds.
 */
export interface SwarmCallFigures {
  /** The cast's consensus strategy (null when the stored config does not say). */
  strategy: string | null;
  rounds: number;
  calls: number;
  callsAborted: number;
  callsSkipped: number;
  callsSavedShare: number | null;
}

/** The report of one run. Groups come in order: batches by number, the 13 categories as published, sources by name. */
export interface RunReport {
  run: RunInfo;
  totals: GroupFigures;
  scores: ScoreFigures;
  batches: BatchFigures[];
  categories: CategoryFigures[];
  /** Empty unless some round has a source (eval corpora). */
  sources: SourceFigures[];
  defenders: DefenderFigures[];
  attackers: AttackerFigures[];
  /** Absent in reports built by hand (tests); buildRunReport always fills it. */
  swarm?: SwarmCallFigures;
  healer: HealerFigures;
}

/** For the HTML charts, what the report (grouped counts) does not hold: the highest round stored, and the rounds that breached or the healer stopped, ascending. */
export interface Timeline {
  lastRound: number;
  breaches: number[];
  instantBlocks: number[];
}

/** Every round of a run with its votes, streamed in round order (a run can hold 100,000 rounds): what the CSV writes. */
export interface RoundRows {
  runId: number;
  /** One group of vote columns each: the cast's defenders, then any other that voted. */
  defenders: readonly string[];
  rounds: Iterable<ExportRound>;
  /** Ordered by round; the reader takes a round's votes off its head and closes it when done. */
  votes: Generator<ExportVote>;
}

/** What `hive report` renders: the parts are built on demand, so a CSV never builds the report. */
export interface RunSubject {
  runId: number;
  report: () => RunReport;
  rows: () => RoundRows;
  timeline: () => Timeline;
}

export type GateKind = 'min-defence' | 'max-fpr' | 'max-drop';

/** One checked gate of `hive ci` (src/report/compute/gates.ts) for a `scope` (`overall` or a category), set in `origin` (cast, gates file, command line). */
export interface GateResult {
  /** `min-defence`, `max-fpr:prompt_injection`, `max-drop`… */
  name: string;
  kind: GateKind;
  scope: string;
  passed: boolean;
  /** What the threshold is compared with: a rate, or for max-drop a drop in [−1, 1]; null when it cannot be measured. */
  value: number | null;
  threshold: number;
  /** One line: what was measured against what. */
  detail: string;
  origin: string;
}

/** A run checked against gates: what `hive ci` writes as JUnit and Markdown. */
export interface GatedRun {
  report: RunReport;
  gates: readonly GateResult[];
  /** What was judged: an attacker pool, a stored run's inputs, or a corpus. */
  mode: 'wargame' | 'replay' | 'eval';
  /** How the run ended; gates of an unfinished run saw only the rounds played. */
  status: RunStatus;
  /** Wall time of the run and the checks. */
  seconds: number;
}

/** One side of `hive compare`. */
export interface ComparedRun {
  id: number;
  kind: RunKind;
  castName: string;
  replayOf: number | null;
  /** The run at the start of its replay chain (itself when it replays nothing). */
  root: number;
  rounds: number;
}

/**
 * Paired by `replay` (one replays the other, or both one source) or by `identical-inputs` (same
 * input hashes round by round) over `rounds` rounds; `unmatched`: rounds stored in one run only
 * (an interrupted run); `mismatched`: rounds in both whose input or kind differs (left out).
 */
export type Pairing =
  | { paired: true; basis: 'replay' | 'identical-inputs'; rounds: number; unmatched: number; mismatched: number }
  | { paired: false; reason: string };

/**
 * One figure (defence or false positives) over the `n` rounds valid on both sides: the rounds A
 * and B blocked, `difference` = b − a (null when n is 0), the rounds only one side blocked, and
 * McNemar's exact test on those.
 */
export interface PairedFigure {
  n: number;
  a: Rate;
  b: Rate;
  difference: number | null;
  aOnly: number;
  bOnly: number;
  mcnemar: McNemarResult;
}

/** Two independent proportions: each side's rate over its own valid rounds. */
export interface UnpairedFigure {
  a: Rate;
  b: Rate;
  comparison: TwoProportion;
}

/** The two figures of one scope: `overall` or a category. */
export interface ComparedGroup<F> {
  scope: string;
  defence: F;
  falsePositive: F;
}

/** validOnOneSide: rounds valid on one side only (refused, errored), left out of the paired figures. */
export type PairedGroup = ComparedGroup<PairedFigure> & { validOnOneSide: number };
export type UnpairedGroup = ComparedGroup<UnpairedFigure>;

/** A round one side blocked and the other did not, with its input text as stored (untrusted: renderers neutralise it). */
export interface Flip {
  round: number;
  kind: RoundKind;
  category: string;
  attacker: string;
  a: Outcome;
  b: Outcome;
  text: string;
}

/** Groups: overall first, then categories in their published order. */
export type Comparison =
  | { a: ComparedRun; b: ComparedRun; pairing: Extract<Pairing, { paired: true }>; groups: PairedGroup[]; flips: Flip[] }
  | { a: ComparedRun; b: ComparedRun; pairing: Extract<Pairing, { paired: false }>; groups: UnpairedGroup[]; flips: [] };

/** What `hive compare` renders: the comparison and how much of the flips to list. */
export interface ComparisonView {
  comparison: Comparison;
  /** List the flipped rounds (table and Markdown; JSON always lists them). */
  flips: boolean;
  /** At most this many listed; undefined: all. */
  flipLimit?: number | undefined;
}

/** One row of `hive reproduce`'s side-by-side table. */
export interface SideBySide {
  figure: string;
  published: string;
  measured: string;
  /** The measured figure's 95% interval, as text ('' when it has none). */
  interval: string;
  /** Whether the published figure lies inside the measured interval; null when not comparable. */
  inside: boolean | null;
  /** The published value as a fraction, and the measured rate (null for plain counts). */
  publishedValue: number | null;
  measuredRate: Rate | null;
}

/** A published configuration measured again (src/workflows/reproduce.ts), with the caveats to print beside it. */
export interface ReproduceResult {
  runId: number;
  preset: Preset;
  castPath: string;
  attackersPath: string;
  embedded: boolean;
  attackRounds: number;
  benignRounds: number;
  result: { status: RunStatus; reason: string | null };
  report: RunReport;
  rows: SideBySide[];
  caveats: string[];
}
