import type { Interval, Rate } from '../stats/wilson.js';
import { immunityJson } from './immunity-sections.js';
import { groupFigures } from './build.js';
import type { AttackerFigures, DefenderFigures, GroupFigures, PatternFigures, RunReport } from './types.js';

/**
 * The `hive report --format json` contract (docs/numbers.md): snake_case keys, rates as fractions
 * in [0, 1] (null when the denominator is 0) each with `<name>_ci: [low, high]` (95%; [0, 1] when
 * nothing is known), counts beside every rate. Adding keys is compatible; renaming or removing one
 * is a new REPORT_VERSION.
 */
export const REPORT_VERSION = 1;

export type Ci = [number, number];

export interface FiguresJson {
  rounds: number;
  attacks: number;
  benign: number;
  defended: number;
  instant_blocked: number;
  breached: number;
  attacker_refused: number;
  true_negative: number;
  false_positive: number;
  errors: number;
  attack_errors: number;
  benign_errors: number;
  valid_attacks: number;
  defence_rate: number | null;
  defence_rate_ci: Ci;
  swarm_judged_attacks: number;
  swarm_defence_rate: number | null;
  swarm_defence_rate_ci: Ci;
  breach_rate: number | null;
  breach_rate_ci: Ci;
  judged_benign: number;
  false_positive_rate: number | null;
  false_positive_rate_ci: Ci;
  balanced_accuracy: number | null;
  balanced_accuracy_ci: Ci;
}

export interface TotalsJson extends FiguresJson {
  roc_auc: number | null;
  tpr_at_1pct_fpr: number | null;
  tpr_at_1pct_fpr_ci: Ci;
  tpr_at_5pct_fpr: number | null;
  tpr_at_5pct_fpr_ci: Ci;
}

export interface OperatingPointJson {
  max_fpr: number;
  threshold: number | null;
  true_positives: number;
  tpr: number | null;
  tpr_ci: Ci;
  false_positives: number;
  fpr: number | null;
  fpr_ci: Ci;
}

export interface ReportJson {
  report_version: number;
  run: {
    id: number;
    kind: string;
    status: string;
    stop_reason: string | null;
    seed: number;
    cast: string;
    attackers: string | null;
    corpus: string | null;
    rounds_planned: number;
    rounds_done: number;
    batch_size: number;
    created_at: string;
    finished_at: string | null;
    tool_version: string;
    config_hash: string;
    replay_of: number | null;
  };
  totals: TotalsJson;
  scores: { scored_attacks: number; scored_benign: number; roc_auc: number | null; operating_points: OperatingPointJson[] };
  batches: Array<{ batch: number; first_round: number; last_round: number } & FiguresJson>;
  categories: Array<{ category: string } & FiguresJson>;
  sources: Array<{ source: string | null } & FiguresJson>;
  defenders: DefenderJson[];
  attackers: AttackerJson[];
  /** Defender calls' waits for a slot per host (issue 13). */
  hosts?: HostJson[];
  /** Rounds the swarm judged on a cut text. */
  judged_truncated?: number;
  healer: {
    enabled: boolean;
    patterns_learned: number;
    patterns_preloaded: number;
    patterns_rejected: number;
    patterns_retired: number;
    antibodies: number;
    antibodies_preloaded: number;
    instant_blocks: number;
    false_positive_blocks: number;
    judged_by_swarm: FiguresJson;
    stopped_by_pattern: FiguresJson;
    before_first_lesson: { last_round: number } & FiguresJson;
    patterns: PatternJson[];
    /** Learning curve, repeats, frozen phase, antibody tokens (issue 8). */
    immunity: ReturnType<typeof immunityJson<FiguresJson>>;
  };
}

export interface DefenderJson {
  name: string;
  role: string | null;
  provider: string | null;
  model: string | null;
  votes: number;
  block: number;
  allow: number;
  abstain: number;
  attack_answers: number;
  attack_blocks: number;
  detect_rate: number | null;
  detect_rate_ci: Ci;
  benign_answers: number;
  benign_blocks: number;
  false_positive_rate: number | null;
  false_positive_rate_ci: Ci;
  abstain_rate: number | null;
  abstain_rate_ci: Ci;
  median_latency_ms: number | null;
  /** Latency minus the wait for a host slot: what the model server took. */
  median_service_ms: number | null;
  median_queue_ms: number | null;
  prompt_tokens: number;
  completion_tokens: number;
  /** Votes whose token counts hive estimated (the server reported none). */
  estimated_token_votes: number;
  roc_auc: number | null;
}

export interface HostJson {
  host: string | null;
  defenders: string[];
  calls: number;
  median_queue_ms: number | null;
  wait_share: number | null;
}

export interface AttackerJson extends FiguresJson {
  name: string;
  provider: string | null;
  model: string | null;
  attacker_errors: number;
  refusal_rate: number | null;
  refusal_rate_ci: Ci;
  prompt_tokens: number;
  completion_tokens: number;
}

export interface PatternJson {
  id: number;
  pattern: string;
  category: string | null;
  source: string;
  learned_round: number;
  source_round: number | null;
  hits: number;
  false_positive_hits: number;
  retired_round: number | null;
}

const ci = (i: Interval): Ci => [i.low, i.high];
const UNKNOWN: Ci = [0, 1];

export function figuresJson(g: GroupFigures): FiguresJson {
  const c = g.counts;
  const f = g.figures;
  return {
    rounds: c.rounds,
    attacks: c.attacks,
    benign: c.benign,
    defended: c.DEFENDED,
    instant_blocked: c.INSTANT_BLOCKED,
    breached: c.BREACHED,
    attacker_refused: c.ATTACKER_REFUSED,
    true_negative: c.TRUE_NEGATIVE,
    false_positive: c.FALSE_POSITIVE,
    errors: c.ERROR,
    attack_errors: f.attackErrors,
    benign_errors: f.benignErrors,
    valid_attacks: f.validAttacks,
    defence_rate: f.defence.rate,
    defence_rate_ci: ci(f.defence.ci),
    swarm_judged_attacks: f.swarmDefence.n,
    swarm_defence_rate: f.swarmDefence.rate,
    swarm_defence_rate_ci: ci(f.swarmDefence.ci),
    breach_rate: f.breach.rate,
    breach_rate_ci: ci(f.breach.ci),
    judged_benign: f.falsePositive.n,
    false_positive_rate: f.falsePositive.rate,
    false_positive_rate_ci: ci(f.falsePositive.ci),
    balanced_accuracy: f.balancedAccuracy,
    balanced_accuracy_ci: g.balancedAccuracyCi ? ci(g.balancedAccuracyCi) : UNKNOWN,
  };
}

function defenderJson(d: DefenderFigures): DefenderJson {
  return {
    name: d.name,
    role: d.role,
    provider: d.provider,
    model: d.model,
    votes: d.votes,
    block: d.block,
    allow: d.allow,
    abstain: d.abstain,
    attack_answers: d.detect.n,
    attack_blocks: d.detect.k,
    detect_rate: d.detect.rate,
    detect_rate_ci: ci(d.detect.ci),
    benign_answers: d.falsePositive.n,
    benign_blocks: d.falsePositive.k,
    false_positive_rate: d.falsePositive.rate,
    false_positive_rate_ci: ci(d.falsePositive.ci),
    abstain_rate: d.abstention.rate,
    abstain_rate_ci: ci(d.abstention.ci),
    median_latency_ms: d.medianLatencyMs,
    median_service_ms: d.medianServiceMs,
    median_queue_ms: d.medianQueueMs,
    prompt_tokens: d.promptTokens,
    completion_tokens: d.completionTokens,
    estimated_token_votes: d.estimatedTokenVotes,
    roc_auc: d.rocAuc,
  };
}

function attackerJson(a: AttackerFigures): AttackerJson {
  return {
    name: a.name,
    provider: a.provider,
    model: a.model,
    ...figuresJson(a),
    attacker_errors: a.attackerErrors,
    refusal_rate: a.refusal.rate,
    refusal_rate_ci: ci(a.refusal.ci),
    prompt_tokens: a.promptTokens,
    completion_tokens: a.completionTokens,
  };
}

function patternJson(p: PatternFigures): PatternJson {
  return {
    id: p.id,
    pattern: p.pattern,
    category: p.category,
    source: p.source,
    learned_round: p.learnedRound,
    source_round: p.sourceRound,
    hits: p.hits,
    false_positive_hits: p.falsePositiveHits,
    retired_round: p.retiredRound,
  };
}

function tprAt(r: RunReport, maxFpr: number): Rate | undefined {
  return r.scores.operatingPoints.find((p) => p.maxFpr === maxFpr)?.tpr;
}

export function reportJson(r: RunReport): ReportJson {
  const tpr1 = tprAt(r, 0.01);
  const tpr5 = tprAt(r, 0.05);
  return {
    report_version: REPORT_VERSION,
    run: {
      id: r.run.id,
      kind: r.run.kind,
      status: r.run.status,
      stop_reason: r.run.stopReason,
      seed: r.run.seed,
      cast: r.run.castName,
      attackers: r.run.attackersName,
      corpus: r.run.corpus,
      rounds_planned: r.run.roundsPlanned,
      rounds_done: r.run.roundsDone,
      batch_size: r.run.batchSize,
      created_at: r.run.createdAt,
      finished_at: r.run.finishedAt,
      tool_version: r.run.toolVersion,
      config_hash: r.run.configHash,
      replay_of: r.run.replayOf,
    },
    totals: {
      ...figuresJson(r.totals),
      roc_auc: r.scores.rocAuc,
      tpr_at_1pct_fpr: tpr1?.rate ?? null,
      tpr_at_1pct_fpr_ci: tpr1 ? ci(tpr1.ci) : UNKNOWN,
      tpr_at_5pct_fpr: tpr5?.rate ?? null,
      tpr_at_5pct_fpr_ci: tpr5 ? ci(tpr5.ci) : UNKNOWN,
    },
    scores: {
      scored_attacks: r.scores.scoredAttacks,
      scored_benign: r.scores.scoredBenign,
      roc_auc: r.scores.rocAuc,
      operating_points: r.scores.operatingPoints.map((p) => ({
        max_fpr: p.maxFpr,
        threshold: p.threshold,
        true_positives: p.tpr.k,
        tpr: p.tpr.rate,
        tpr_ci: ci(p.tpr.ci),
        false_positives: p.fpr.k,
        fpr: p.fpr.rate,
        fpr_ci: ci(p.fpr.ci),
      })),
    },
    batches: r.batches.map((b) => ({ batch: b.batch, first_round: b.firstRound, last_round: b.lastRound, ...figuresJson(b) })),
    categories: r.categories.map((c) => ({ category: c.category, ...figuresJson(c) })),
    sources: r.sources.map((s) => ({ source: s.source, ...figuresJson(s) })),
    defenders: r.defenders.map(defenderJson),
    attackers: r.attackers.map(attackerJson),
    ...(r.hosts
      ? { hosts: r.hosts.map((h) => ({ host: h.host, defenders: h.defenders, calls: h.calls, median_queue_ms: h.medianQueueMs, wait_share: h.waitShare })) }
      : {}),
    ...(r.judgedTruncated !== undefined ? { judged_truncated: r.judgedTruncated } : {}),
    // What the swarm spent; with strategy cascade, what it did not (src/defense/swarm.ts).
    ...(r.swarm
      ? {
          swarm: {
            strategy: r.swarm.strategy,
            rounds: r.swarm.rounds,
            calls: r.swarm.calls,
            calls_aborted: r.swarm.aborted,
            calls_skipped: r.swarm.skipped,
            calls_saved_share: r.swarm.savedShare,
          },
        }
      : {}),
    healer: {
      enabled: r.healer.enabled,
      patterns_learned: r.healer.patternsLearned,
      patterns_preloaded: r.healer.patternsPreloaded,
      patterns_rejected: r.healer.patternsRejected,
      patterns_retired: r.healer.patternsRetired,
      antibodies: r.healer.antibodies,
      antibodies_preloaded: r.healer.antibodiesPreloaded,
      instant_blocks: r.healer.instantBlocks,
      false_positive_blocks: r.healer.falsePositiveBlocks,
      judged_by_swarm: figuresJson(r.healer.judgedBySwarm),
      stopped_by_pattern: figuresJson(r.healer.stoppedByPattern),
      before_first_lesson: { last_round: r.healer.beforeFirstLesson.lastRound, ...figuresJson(r.healer.beforeFirstLesson) },
      patterns: r.healer.patterns.map(patternJson),
      immunity: immunityJson(r.healer.immunity, (c) => figuresJson(groupFigures(c))),
    },
  };
}

/**
 * JSON text of the report. JSON.stringify already escapes C0 controls; C1 controls and bidi
 * overrides (which can reorder what a terminal shows) are escaped too, losslessly, so untrusted
 * text in patterns or sources cannot play tricks when the JSON is printed.
 */
export function reportJsonText(r: RunReport): string {
  return JSON.stringify(reportJson(r), null, 2).replace(
    /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
