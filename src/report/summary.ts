import type Database from 'better-sqlite3';
import { CATEGORY_IDS, UNCATEGORISED } from '../categories.js';
import { OUTCOMES, type Outcome, type RoundKind } from '../domain.js';
import { StoreError, UsageError } from '../errors.js';
import { freezeAfterOf, immunityFigures, type ImmunityFigures } from '../healer/accounting.js';
import { balancedAccuracyInterval } from '../stats/balanced.js';
import { emptyCounts, figures, type Figures, type OutcomeCounts } from '../stats/outcomes.js';
import { rocAuc, tprAtFpr, type ScoreBin } from '../stats/roc.js';
import { rate, type Interval, type Rate } from '../stats/wilson.js';
import type { RunKind, RunStatus } from '../store/records.js';
import type { Store } from '../store/store.js';

/**
 * Everything `hive report` shows about one run, computed from the database with grouped SQL
 * (a run can have 100,000 rounds: no per-round objects are built). The statistics themselves
 * live in src/stats; this module only queries and assembles.
 */

/** The false-positive rates at which the true-positive rate of the vote-share score is reported. */
export const REPORTED_FPRS = [0.01, 0.05] as const;

/** Counts of one group of rounds and every figure of DESIGN.md computed from them. */
export interface GroupFigures {
  counts: OutcomeCounts;
  figures: Figures;
  /** Newcombe interval of the balanced accuracy (src/stats/balanced.ts); null when it is undefined. */
  balancedAccuracyCi: Interval | null;
}

export interface RunInfo {
  id: number;
  kind: RunKind;
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
  /** Learning curve, exact/near repeats, the frozen phase and antibody cost (src/healer/accounting.ts, issue 8). */
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
}

export function groupFigures(counts: OutcomeCounts): GroupFigures {
  const f = figures(counts);
  return { counts, figures: f, balancedAccuracyCi: balancedAccuracyInterval(f.defence, f.falsePositive) };
}

const OUTCOME_SET = new Set<string>(OUTCOMES);

interface CountRow<K> {
  key: K;
  kind: string;
  outcome: string;
  n: number;
}

/** Folds (key, kind, outcome, n) rows into outcome counts per key, keeping the rows' key order. */
function foldCounts<K>(rows: ReadonlyArray<CountRow<K>>): Map<K, OutcomeCounts> {
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

interface ConfigShape {
  options?: { heal?: unknown; corpus?: unknown };
  cast?: { healer?: { lag?: unknown }; consensus?: { strategy?: unknown } };
}

function parseConfig(json: string): ConfigShape {
  try {
    const v: unknown = JSON.parse(json);
    return typeof v === 'object' && v !== null ? (v as ConfigShape) : {};
  } catch {
    return {};
  }
}

/** Which run `hive report` means: the one named, or the latest. */
export function resolveRunId(store: Store, requested: number | undefined): number {
  if (requested !== undefined) {
    if (!store.getRun(requested)) throw new UsageError(`run ${requested} is not in ${store.path}; "hive runs --db ${store.path}" lists the runs it holds.`);
    return requested;
  }
  const latest = store.latestRunId();
  if (latest === undefined) throw new UsageError(`${store.path} holds no runs yet; start one with "hive wargame" or "hive eval".`);
  return latest;
}

export function buildRunReport(store: Store, runId: number): RunReport {
  const row = store.getRun(runId);
  if (!row) throw new UsageError(`run ${runId} is not in ${store.path}; "hive runs --db ${store.path}" lists the runs it holds.`);
  const db = store.database;
  const config = parseConfig(row.configJson);
  const q = new Queries(db, runId);

  const totals = groupFigures(q.counts(`SELECT 0 AS key, kind, outcome, count(*) AS n FROM rounds WHERE run_id = ? GROUP BY kind, outcome`).get(0) ?? emptyCounts());

  const healerCounts = q.counts(
    `SELECT decided_by = 'healer' AS key, kind, outcome, count(*) AS n FROM rounds WHERE run_id = ? GROUP BY key, kind, outcome`,
  );
  const events = q.healerEventCounts();
  const lag = config.cast?.healer?.lag;
  const firstLesson = q.firstLessonRound();
  const coldThrough =
    events.preloaded > 0 || events.antibodiesPreloaded > 0
      ? 0
      : firstLesson !== null && typeof lag === 'number' && Number.isSafeInteger(lag)
        ? firstLesson + lag - 1
        : row.roundsPlanned;
  // coldThrough is an integer computed above, never text from the database.
  const cold = q.counts<number>(`SELECT round <= ${coldThrough} AS key, kind, outcome, count(*) AS n FROM rounds WHERE run_id = ? GROUP BY key, kind, outcome`);

  const spent = db
    .prepare(
      `SELECT count(*) AS rounds, coalesce(sum(calls), 0) AS calls, coalesce(sum(calls_aborted), 0) AS aborted, coalesce(sum(calls_skipped), 0) AS skipped
       FROM rounds WHERE run_id = ? AND calls + calls_aborted + calls_skipped > 0`,
    )
    .get(runId) as { rounds: number; calls: number; aborted: number; skipped: number };
  const asked = spent.calls + spent.aborted + spent.skipped;
  const swarm: SwarmCallFigures = {
    strategy: typeof config.cast?.consensus?.strategy === 'string' ? config.cast.consensus.strategy : null,
    ...spent,
    savedShare: asked === 0 ? null : spent.skipped / asked,
  };

  return {
    swarm,
    run: {
      id: row.id,
      kind: row.kind,
      status: row.status,
      stopReason: row.stopReason,
      seed: row.seed,
      castName: row.castName,
      attackersName: row.attackersName,
      corpus: typeof config.options?.corpus === 'string' ? config.options.corpus : null,
      roundsPlanned: row.roundsPlanned,
      roundsDone: row.roundsDone,
      batchSize: row.batchSize,
      createdAt: row.createdAt,
      finishedAt: row.finishedAt,
      toolVersion: row.toolVersion,
      configHash: row.configHash,
      replayOf: row.replayOf,
    },
    totals,
    scores: q.scores(),
    batches: q.batches(),
    categories: q.categories(),
    sources: q.sources(),
    defenders: q.defenders(),
    attackers: q.attackers(),
    healer: {
      enabled: typeof config.options?.heal === 'boolean' ? config.options.heal : events.total > 0,
      patternsLearned: events.learned,
      patternsPreloaded: events.preloaded,
      patternsRejected: events.rejected,
      patternsRetired: events.retired,
      antibodies: events.antibodies,
      antibodiesPreloaded: events.antibodiesPreloaded,
      instantBlocks: totals.counts.INSTANT_BLOCKED,
      falsePositiveBlocks: healerCounts.get(1)?.FALSE_POSITIVE ?? 0,
      patterns: q.patterns(),
      judgedBySwarm: groupFigures(healerCounts.get(0) ?? emptyCounts()),
      stoppedByPattern: groupFigures(healerCounts.get(1) ?? emptyCounts()),
      beforeFirstLesson: { lastRound: Math.min(coldThrough, row.roundsPlanned), ...groupFigures(cold.get(1) ?? emptyCounts()) },
      immunity: immunityFigures(db, runId, freezeAfterOf(row.configJson)),
    },
  };
}

/** The grouped queries of one run. Every statement takes the run id as its only parameter. */
class Queries {
  constructor(
    private readonly db: Database.Database,
    private readonly runId: number,
  ) {}

  private all<T>(sql: string, ...params: Array<number | string>): T[] {
    return this.db.prepare(sql).all(this.runId, ...params) as T[];
  }

  counts<K>(sql: string): Map<K, OutcomeCounts> {
    return foldCounts(this.all<CountRow<K>>(sql));
  }

  scores(): ScoreFigures {
    // Healer-stopped rounds were never put to the swarm: they count as the surest block (1).
    const rows = this.all<{ kind: string; score: number | null; n: number }>(
      `SELECT kind, CASE WHEN decided_by = 'healer' THEN 1.0 ELSE score END AS score, count(*) AS n FROM rounds
       WHERE run_id = ? AND outcome IN ('DEFENDED', 'INSTANT_BLOCKED', 'BREACHED', 'TRUE_NEGATIVE', 'FALSE_POSITIVE')
       GROUP BY kind, 2`,
    );
    const bins: ScoreBin[] = [];
    let positives = 0;
    let negatives = 0;
    for (const r of rows) {
      if (r.score === null) continue;
      const attack = r.kind === 'attack';
      bins.push({ score: r.score, positives: attack ? r.n : 0, negatives: attack ? 0 : r.n });
      if (attack) positives += r.n;
      else negatives += r.n;
    }
    return {
      scoredAttacks: positives,
      scoredBenign: negatives,
      rocAuc: rocAuc(bins),
      operatingPoints: REPORTED_FPRS.map((maxFpr) => {
        const p = tprAtFpr(bins, maxFpr);
        if (!p) return { maxFpr, threshold: null, tpr: rate(0, 0), fpr: rate(0, 0) };
        return { maxFpr, threshold: p.threshold, tpr: rate(p.truePositives, p.positives), fpr: rate(p.falsePositives, p.negatives) };
      }),
    };
  }

  batches(): BatchFigures[] {
    const counts = this.counts<number>(`SELECT batch AS key, kind, outcome, count(*) AS n FROM rounds WHERE run_id = ? GROUP BY batch, kind, outcome ORDER BY batch`);
    const spans = this.all<{ batch: number; first: number; last: number }>(
      `SELECT batch, min(round) AS first, max(round) AS last FROM rounds WHERE run_id = ? GROUP BY batch`,
    );
    const spanOf = new Map(spans.map((s) => [s.batch, s]));
    return [...counts.entries()].map(([batch, c]) => ({
      batch,
      firstRound: spanOf.get(batch)?.first ?? 0,
      lastRound: spanOf.get(batch)?.last ?? 0,
      ...groupFigures(c),
    }));
  }

  categories(): CategoryFigures[] {
    const counts = this.counts<string>(`SELECT category AS key, kind, outcome, count(*) AS n FROM rounds WHERE run_id = ? GROUP BY category, kind, outcome`);
    // The 13 in their published order, then `uncategorised`, then anything unexpected by name.
    const order: string[] = [...CATEGORY_IDS, UNCATEGORISED];
    const keys = [...counts.keys()].sort((a, b) => rank(order, a) - rank(order, b) || a.localeCompare(b));
    return keys.map((category) => ({ category, ...groupFigures(counts.get(category) as OutcomeCounts) }));
  }

  sources(): SourceFigures[] {
    const counts = this.counts<string | null>(
      `SELECT a.source AS key, r.kind, r.outcome, count(*) AS n FROM rounds r JOIN attacks a ON a.run_id = r.run_id AND a.round = r.round
       WHERE r.run_id = ? GROUP BY a.source, r.kind, r.outcome`,
    );
    if (![...counts.keys()].some((k) => k !== null)) return [];
    const keys = [...counts.keys()].sort((a, b) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b)));
    return keys.map((source) => ({ source, ...groupFigures(counts.get(source) as OutcomeCounts) }));
  }

  defenders(): DefenderFigures[] {
    const models = this.all<{ name: string; role: string | null; provider: string; model: string }>(
      `SELECT name, defender_role AS role, provider, model FROM models WHERE run_id = ? AND role = 'defender' ORDER BY rowid`,
    );
    const tallies = this.all<{
      name: string;
      votes: number;
      block: number;
      allow: number;
      abstain: number;
      attackBlock: number;
      attackAllow: number;
      benignBlock: number;
      benignAllow: number;
      promptTokens: number;
      completionTokens: number;
    }>(
      `SELECT v.defender AS name, count(*) AS votes,
         sum(v.verdict = 'block') AS block, sum(v.verdict = 'allow') AS allow, sum(v.verdict = 'abstain') AS abstain,
         sum(r.kind = 'attack' AND judged AND v.verdict = 'block') AS attackBlock, sum(r.kind = 'attack' AND judged AND v.verdict = 'allow') AS attackAllow,
         sum(r.kind = 'benign' AND judged AND v.verdict = 'block') AS benignBlock, sum(r.kind = 'benign' AND judged AND v.verdict = 'allow') AS benignAllow,
         sum(v.prompt_tokens) AS promptTokens, sum(v.completion_tokens) AS completionTokens
       FROM votes v JOIN (SELECT run_id, round, kind, decided_by = 'consensus' AS judged FROM rounds) r ON r.run_id = v.run_id AND r.round = v.round
       WHERE v.run_id = ? GROUP BY v.defender`,
    );
    const byName = new Map(tallies.map((t) => [t.name, t]));
    const names = [...models.map((m) => m.name), ...tallies.map((t) => t.name).filter((n) => !models.some((m) => m.name === n))];
    return names.map((name) => {
      const m = models.find((x) => x.name === name);
      const t = byName.get(name);
      const votes = t?.votes ?? 0;
      return {
        name,
        role: m?.role ?? null,
        provider: m?.provider ?? null,
        model: m?.model ?? null,
        votes,
        block: t?.block ?? 0,
        allow: t?.allow ?? 0,
        abstain: t?.abstain ?? 0,
        detect: rate(t?.attackBlock ?? 0, (t?.attackBlock ?? 0) + (t?.attackAllow ?? 0)),
        falsePositive: rate(t?.benignBlock ?? 0, (t?.benignBlock ?? 0) + (t?.benignAllow ?? 0)),
        abstention: rate(t?.abstain ?? 0, votes),
        medianLatencyMs: this.medianVoteLatency(name, votes),
        promptTokens: t?.promptTokens ?? 0,
        completionTokens: t?.completionTokens ?? 0,
      };
    });
  }

  /** The median by offset in SQLite's sort, so latencies are never all loaded. */
  private medianVoteLatency(defender: string, votes: number): number | null {
    if (votes === 0) return null;
    const middle = this.db
      .prepare(`SELECT latency_ms AS v FROM votes WHERE run_id = ? AND defender = ? ORDER BY latency_ms LIMIT ? OFFSET ?`)
      .all(this.runId, defender, votes % 2 === 0 ? 2 : 1, Math.floor((votes - 1) / 2)) as Array<{ v: number }>;
    return middle.reduce((s, x) => s + x.v, 0) / Math.max(1, middle.length);
  }

  attackers(): AttackerFigures[] {
    const models = this.all<{ name: string; provider: string; model: string }>(
      `SELECT name, provider, model FROM models WHERE run_id = ? AND role = 'attacker' ORDER BY rowid`,
    );
    const counts = this.counts<string>(
      `SELECT attacker AS key, kind, outcome, count(*) AS n FROM rounds WHERE run_id = ? AND kind = 'attack' GROUP BY attacker, outcome ORDER BY attacker`,
    );
    const extra = this.all<{ name: string; attackerErrors: number; promptTokens: number; completionTokens: number }>(
      `SELECT r.attacker AS name, sum(r.outcome = 'ERROR' AND r.calls = 0) AS attackerErrors,
         sum(a.prompt_tokens) AS promptTokens, sum(a.completion_tokens) AS completionTokens
       FROM rounds r JOIN attacks a ON a.run_id = r.run_id AND a.round = r.round
       WHERE r.run_id = ? AND r.kind = 'attack' GROUP BY r.attacker`,
    );
    const extraOf = new Map(extra.map((e) => [e.name, e]));
    const names = [...models.map((m) => m.name), ...[...counts.keys()].filter((n) => !models.some((m) => m.name === n))];
    return names.map((name) => {
      const m = models.find((x) => x.name === name);
      const c = counts.get(name) ?? emptyCounts();
      const e = extraOf.get(name);
      const attackerErrors = e?.attackerErrors ?? 0;
      return {
        name,
        provider: m?.provider ?? null,
        model: m?.model ?? null,
        ...groupFigures(c),
        attackerErrors,
        refusal: rate(c.ATTACKER_REFUSED, c.attacks - attackerErrors),
        promptTokens: e?.promptTokens ?? 0,
        completionTokens: e?.completionTokens ?? 0,
      };
    });
  }

  /** The first round during whose finalisation the healer learned something (pattern or antibody). */
  firstLessonRound(): number | null {
    const row = this.db
      .prepare(`SELECT min(round) AS r FROM healer_events WHERE run_id = ? AND round > 0 AND kind IN ('pattern_learned', 'antibody_added')`)
      .get(this.runId) as { r: number | null };
    return row.r;
  }

  healerEventCounts(): {
    total: number;
    learned: number;
    preloaded: number;
    rejected: number;
    retired: number;
    antibodies: number;
    antibodiesPreloaded: number;
  } {
    const rows = this.all<{ kind: string; n: number; preloaded: number }>(
      `SELECT kind, count(*) AS n, sum(round = 0) AS preloaded FROM healer_events WHERE run_id = ? GROUP BY kind`,
    );
    const get = (kind: string) => rows.find((r) => r.kind === kind);
    const learned = get('pattern_learned');
    return {
      total: rows.reduce((s, r) => s + r.n, 0),
      learned: (learned?.n ?? 0) - (learned?.preloaded ?? 0),
      preloaded: learned?.preloaded ?? 0,
      rejected: get('pattern_rejected')?.n ?? 0,
      retired: get('pattern_retired')?.n ?? 0,
      antibodies: (get('antibody_added')?.n ?? 0) - (get('antibody_added')?.preloaded ?? 0),
      antibodiesPreloaded: get('antibody_added')?.preloaded ?? 0,
    };
  }

  patterns(): PatternFigures[] {
    const learned = this.all<{ id: number; pattern: string | null; category: string | null; source: string; learnedRound: number; sourceRound: number | null }>(
      `SELECT pattern_id AS id, pattern, category, source, round AS learnedRound, source_round AS sourceRound FROM healer_events
       WHERE run_id = ? AND kind = 'pattern_learned' AND pattern_id IS NOT NULL ORDER BY pattern_id`,
    );
    const hits = this.all<{ id: number; kind: string; n: number }>(
      `SELECT pattern_id AS id, kind, count(*) AS n FROM rounds WHERE run_id = ? AND decided_by = 'healer' AND pattern_id IS NOT NULL GROUP BY pattern_id, kind`,
    );
    const retired = this.all<{ id: number; round: number }>(
      `SELECT pattern_id AS id, min(round) AS round FROM healer_events WHERE run_id = ? AND kind = 'pattern_retired' GROUP BY pattern_id`,
    );
    const hitCount = new Map(hits.map((h) => [`${h.id}:${h.kind}`, h.n]));
    const hitsOf = (id: number, kind: RoundKind) => hitCount.get(`${id}:${kind}`) ?? 0;
    const retiredOf = new Map(retired.map((r) => [r.id, r.round]));
    return learned.map((p) => ({
      id: p.id,
      pattern: p.pattern ?? '',
      category: p.category,
      source: p.source,
      learnedRound: p.learnedRound,
      sourceRound: p.sourceRound,
      hits: hitsOf(p.id, 'attack'),
      falsePositiveHits: hitsOf(p.id, 'benign'),
      retiredRound: retiredOf.get(p.id) ?? null,
    }));
  }
}

function rank(order: readonly string[], key: string): number {
  const i = order.indexOf(key);
  return i === -1 ? order.length : i;
}
