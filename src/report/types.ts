/**
 * What hive reports about one run, as types: the report (built by src/report/build.ts from the
 * store's grouped counts), the HTML timeline and the CSV's row source. What the computations
 * derive from reports — gates, comparisons, the reproduce side-by-side — is typed in
 * src/report/compute/types.ts. Renderers (src/report/render/) read these and nothing
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
import type { ModeFigures } from './mode-types.js';
import type { RunKind, RunStatus } from '../domain.js';
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
  /**
   * Distinct texts among the valid attacks and among the judged benign rounds. A repeated text is
   * not new evidence: where a denominator holds repeats, its rates' intervals take the text as the
   * unit (Wilson with the design effect Σm²/Σm of the repeats, src/stats/text-unit.ts), and the
   * design effect is above 1. Null only for figures built without their texts (never by the report).
   */
  distinctAttackTexts: number | null;
  distinctBenignTexts: number | null;
  attackDesignEffect: number | null;
  benignDesignEffect: number | null;
  /** The same for the swarm defence rate's denominator: the valid attacks the blocklist left to the swarm. */
  distinctSwarmTexts: number | null;
  swarmDesignEffect: number | null;
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

/**
 * "Flag when score >= threshold", the best such rule within a false-positive budget, chosen on
 * the rounds it is reported on: an in-sample figure. Resolvable only with at least 3 / maxFpr
 * distinct benign texts judged (300 at 1%): with fewer, no threshold can show an FPR that low.
 */
/**
 * The texts behind an operating point's rates: distinct texts and design effect of the scored
 * attacks (the TPR's denominator) and of the scored benign rounds (the FPR's).
 */
export interface PointTexts {
  distinctAttackTexts: number;
  attackDesignEffect: number;
  distinctBenignTexts: number;
  benignDesignEffect: number;
}

export interface TprAtFpr extends PointTexts {
  maxFpr: number;
  /** Null: the rule is "flag nothing", or the point is not resolvable or undefined. */
  threshold: number | null;
  tpr: Rate;
  fpr: Rate;
  /** The upper bound of that FPR's interval (the text as the unit): what the benign rounds can vouch for. */
  fprUpperBound: number | null;
  sample: 'in-sample';
  /** Why the point is not given, e.g. "140 benign" (distinct benign texts judged); null when it is. */
  notResolvable: string | null;
}

/** `hive eval --threshold-from RUN`: the 1%-FPR threshold fixed on an earlier run of the same cast, applied here. */
export interface FixedThresholdPoint extends PointTexts {
  sourceRun: number;
  maxFpr: number;
  threshold: number;
  tpr: Rate;
  fpr: Rate;
  fprUpperBound: number | null;
  sample: 'out-of-sample';
}

/**
 * Score-based figures over the swarm score (src/defense/score.ts: the mean probability of block
 * of the defenders that answered). Only rounds the swarm judged take part: valid attacks
 * (positives) and judged benign rounds (negatives) decided by consensus. Rounds the healer decided
 * were never put to the swarm: they are counted apart. In a cascade run only rounds where every
 * defender answered have a comparable score; the others are counted apart too.
 */
export interface ScoreFigures {
  scoredAttacks: number;
  scoredBenign: number;
  /** Distinct texts among the scored benign rounds (what resolves a low FPR). */
  scoredBenignTexts: number;
  healerDecidedAttacks: number;
  healerDecidedBenign: number;
  /** Cascade: rounds left out because not every defender answered (null for other strategies). */
  partialRounds: number | null;
  /** Null unless the run has both scored attacks and scored benign rounds. */
  rocAuc: number | null;
  /** One per REPORTED_FPRS, in that order. */
  operatingPoints: TprAtFpr[];
  /** The out-of-sample point, when the run was asked for one. */
  fixedThreshold: FixedThresholdPoint | null;
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
  /** Rounds whose verdict by this defender alone is known (docs/conversations.md): the per-defender figures' rounds, which differ by defender when conversation or iterative rounds left some out. */
  votes: number;
  block: number;
  allow: number;
  abstain: number;
  /** Block over block + allow votes on the attack rounds the swarm judged (rounds that lost their quorum left out). */
  detectRate: Rate;
  /** The same on the benign rounds the swarm judged. */
  falsePositiveRate: Rate;
  /** Distinct texts and design effect of the detect rate's votes (attacks) and the false-positive rate's (benign): their intervals take the text as the unit. */
  distinctAttackTexts: number;
  attackDesignEffect: number;
  distinctBenignTexts: number;
  benignDesignEffect: number;
  /** Abstentions over every vote it was asked for. */
  abstainRate: Rate;
  /** Median of each call's whole time: the wait for a host slot and the service; null without votes. */
  medianLatencyMs: number | null;
  /** Median of latency minus the wait for a host slot: what the model server took. */
  medianServiceMs: number | null;
  /** Median wait for a host slot; null for defenders that never wait for one (in-process). */
  medianQueueMs: number | null;
  promptTokens: number;
  completionTokens: number;
  /** Votes whose token counts hive estimated because the server reported none. */
  estimatedTokenVotes: number;
  /**
   * ROC AUC of the defender's own P(block) over the rounds the swarm judged: its stored p_block
   * (an embedded detector's calibrated probability, a guard API's score), else its confidence in
   * block, or one minus its confidence in allow; null without either on both kinds of round.
   */
  rocAuc: number | null;
}

/** The waits of the defender calls on one host: a host whose calls wait about as long as they are served is the bottleneck. */
export interface HostQueueFigures {
  /** As configured (models.host); null for Ollama entries on OLLAMA_HOST or the local default. */
  host: string | null;
  defenders: string[];
  calls: number;
  medianQueueMs: number | null;
  /** Summed wait over summed latency of those calls: the share of their time spent waiting for the host. */
  waitShare: number | null;
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
  /** Estimated tokens of the antibodies in one prompt (chars / 4). */
  meanPerPrompt: number | null;
  maxPerPrompt: number;
  /** Over the calls of the defenders whose prompts show antibodies. */
  total: number;
  /** How many of the cast's defenders read a prompt that shows antibodies (model-backed, hive's JSON format); 0: none (an embedded cast), so no tokens were spent; null: the cast is unknown. */
  promptReaders: number | null;
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
  /** Attack rounds the healer's blocklist decided (INSTANT_BLOCKED). */
  instantBlocks: number;
  /**
   * Runs with conversation or iterative rounds only: the user turns and attempts a pattern
   * stopped (an iterative round's attacker rewrites a stopped attempt, so one round may count several).
   */
  turnsStopped?: number;
  /** Benign rounds the healer's blocklist stopped: false positives decided by the healer. */
  falsePositiveBlocks: number;
  /**
   * Antibodies shown in each defender prompt (the cast's healer.antibodies while the healer is
   * on; 0 otherwise): the swarm defence rate is the defenders' with these shown, not alone. A
   * cast with `antibodies: 0` measures the swarm alone.
   */
  antibodiesPerPrompt: number;
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
  /** Swarm judgements in those rounds: a conversation or iterative round has one per judged turn or attempt (and context-free judgement). */
  judgements: number;
  /** Every judgement's calls (answered, cancelled, never asked), not only the deciding one's. */
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
  /** Defender calls' waits per host (absent in reports built by hand; empty without model hosts). */
  hosts?: HostQueueFigures[];
  /** Rounds the swarm judged on a cut text (the 64 KiB store cap, a defender's max_input_chars). */
  judgedTruncated?: number;
  /** Runs with conversation or iterative rounds only (--multi-turn, refinements): figures by how rounds were played. */
  modes?: ModeFigures;
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
