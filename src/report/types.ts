/**
 * The shape of everything `hive report` shows about one run: the typed report that every renderer
 * (table, JSON, CSV, Markdown, JUnit, HTML), the gates and the comparisons read. Built by
 * src/report/build.ts from the store's grouped counts; rates are src/stats/wilson.ts `Rate`s
 * (k of n with a 95% Wilson interval), fractions in [0, 1].
 */
import type { Figures, OutcomeCounts } from '../stats/outcomes.js';
import type { Interval, Rate } from '../stats/wilson.js';
import type { RunKind, RunStatus } from '../store/records.js';

/** An instant block at least this similar (estimated shingle Jaccard) to an earlier breach is a near repeat. */
export const NEAR_REPEAT_SIMILARITY = 0.8;

/** The false-positive rates at which the true-positive rate of the vote-share score is reported. */
export const REPORTED_FPRS = [0.01, 0.05] as const;

/** Counts of one group of rounds and every figure of docs/numbers.md computed from them. */
export interface GroupFigures {
  counts: OutcomeCounts;
  figures: Figures;
  /** Newcombe interval of the balanced accuracy (src/stats/balanced.ts); null when it is undefined. */
  balancedAccuracyCi: Interval | null;
}

export interface RunInfo {
  id: number;
  kind: RunKind;
  /** The command that made the run (wargame, eval, replay, reproduce, ci); null when its stored configuration is unreadable. */
  command: string | null;
  status: RunStatus;
  stopReason: string | null;
  seed: number;
  castName: string;
  attackersName: string | null;
  /** The corpus file of an `eval` run. */
  corpus: string | null;
  roundsPlanned: number;
  roundsDone: number;
  batchSize: number;
  createdAt: string;
  finishedAt: string | null;
  toolVersion: string;
  configHash: string;
  replayOf: number | null;
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
  operatingPoints: TprAtFpr[];
}

export interface BatchFigures extends GroupFigures {
  batch: number;
  firstRound: number;
  lastRound: number;
}

export interface CategoryFigures extends GroupFigures {
  category: string;
}

export interface SourceFigures extends GroupFigures {
  /** Null for rows stored without a source. */
  source: string | null;
}

export interface DefenderFigures {
  name: string;
  role: string | null;
  provider: string | null;
  model: string | null;
  votes: number;
  block: number;
  allow: number;
  abstain: number;
  /**
   * Block votes over block + allow votes on the attack rounds the swarm judged (decided by
   * consensus; rounds that lost their quorum are left out, like everywhere else).
   */
  detect: Rate;
  /** The same on the benign rounds the swarm judged. */
  falsePositive: Rate;
  /** Abstentions over every vote it was asked for. */
  abstention: Rate;
  /** Median of each call's whole time: the wait for a host slot and the service. */
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
   * ROC AUC of the defender's own probability of an attack (its confidence in block, or one minus
   * its confidence in allow; a guard API's `score`) over the rounds the swarm judged; null
   * without confidences on both kinds of round.
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
  refusal: Rate;
  promptTokens: number;
  completionTokens: number;
}

export interface PatternFigures {
  id: number;
  pattern: string;
  category: string | null;
  source: string;
  learnedRound: number;
  sourceRound: number | null;
  /** Attack rounds it stopped. */
  hits: number;
  /** Benign rounds it stopped (false positives). */
  falsePositiveHits: number;
  retiredRound: number | null;
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
  patterns: PatternFigures[];
  /**
   * The rounds judged before a learned pattern stopped them (everything the swarm decided) and
   * the rounds stopped by a pattern learned from an earlier round. For a labelled corpus the first
   * group is the number to trust: the second exists only because the run learned from its own rows.
   */
  judgedBySwarm: GroupFigures;
  stoppedByPattern: GroupFigures;
  /**
   * Antibodies from earlier rounds are shown to the defenders too, so even the swarm's own
   * judgements improve on rows like ones it has seen. The rounds no lesson of this run could
   * reach yet (rounds 1..lastRound: before the first lesson + lag) are the cold baseline;
   * lastRound is 0 when lessons were preloaded (immunity, vaccines) before round 1.
   */
  beforeFirstLesson: GroupFigures & { lastRound: number };
  /** Learning curve, exact/near repeats, the frozen phase and antibody cost (src/report/immunity-figures.ts). */
  immunity: ImmunityFigures;
}

/** What the swarm spent: calls answered, cancelled in flight and never asked (cascade consensus). */
export interface SwarmCallFigures {
  /** The cast's consensus strategy (null when the stored config does not say). */
  strategy: string | null;
  /** Rounds the defenders were asked about (not stopped by the healer or the attacker). */
  rounds: number;
  /** Defenders that answered. */
  calls: number;
  /** Calls cancelled in flight once the decision was reached. */
  aborted: number;
  /** Defenders never asked: the decision was reached without them. */
  skipped: number;
  /** skipped / (calls + aborted + skipped): the share of the cast's calls a cascade did not make; null without rounds. */
  savedShare: number | null;
}

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
  healer: HealerFigures;
  /** Absent in reports built by hand (tests); buildRunReport always fills it. */
  swarm?: SwarmCallFigures;
  /** Defender calls' waits per host (absent in reports built by hand; empty without model hosts). */
  hosts?: HostQueueFigures[];
  /** Rounds the swarm judged on a cut text (the 64 KiB store cap, a defender's max_input_chars). */
  judgedTruncated?: number;
}


export interface LearningCurveRow {
  batch: number;
  firstRound: number;
  lastRound: number;
  /** Attack rounds that count in the defence rate (not refused, not errored). */
  validAttacks: number;
  /** Stopped by the healer's blocklist before any defender was asked. */
  healerBlocked: number;
  /** Stopped by the swarm's vote. */
  swarmBlocked: number;
  breached: number;
  benign: number;
  healerFalsePositives: number;
  swarmFalsePositives: number;
  patternsLearned: number;
}

export interface RepeatFigures {
  instantBlocks: number;
  /** The same text (sha256) as an earlier breach. */
  exact: number;
  /** Not exact, but at least NEAR_REPEAT_SIMILARITY similar to an earlier breach. */
  near: number;
  /** Neither: the blocklist generalised beyond what it had seen. */
  novel: number;
  nearThreshold: number;
}

export interface FrozenPhase {
  /** The healer learned from rounds 1..after only. */
  after: number;
  counts: OutcomeCounts;
  figures: Figures;
  healerBlocked: number;
  healerFalsePositives: number;
  /** Patterns learned in the frozen phase: 0 unless something is wrong. */
  patternsLearned: number;
}

export interface AntibodyCost {
  /** Rounds whose defenders were shown at least one antibody. */
  rounds: number;
  /** Estimated antibody tokens in one defender prompt: mean over those rounds, and the largest. */
  meanPerPrompt: number | null;
  maxPerPrompt: number;
  /** Summed over every defender call of the run. */
  total: number;
}

export interface ImmunityFigures {
  healerBlocked: number;
  healerFalsePositives: number;
  learningCurve: LearningCurveRow[];
  repeats: RepeatFigures;
  frozen: FrozenPhase | null;
  antibodyCost: AntibodyCost;
}
