/**
 * Grouped counts over a run's rounds, for reports: a run can hold 100,000 rounds, so reports are
 * built from GROUP BY queries and never from per-round objects. The statistics computed from
 * these counts live in src/stats and src/report.
 */
import type { Outcome, RoundKind } from '../domain.js';
import type { OutcomeCounts } from '../stats/outcomes.js';
import { foldCounts, type CountRow } from './rows.js';
import { Table } from './table.js';
import { EARLY_STOP_OF, MODE_OF } from './turns.js';

/** How `counts` groups a run's rounds. */
export type CountGrouping = 'run' | 'batch' | 'category' | 'attacker' | 'source' | 'decided_by_healer';

const GROUPINGS: Record<CountGrouping, string> = {
  run: `SELECT 0 AS key, kind, outcome, count(*) AS n FROM rounds WHERE run_id = ? GROUP BY kind, outcome`,
  batch: `SELECT batch AS key, kind, outcome, count(*) AS n FROM rounds WHERE run_id = ? GROUP BY batch, kind, outcome ORDER BY batch`,
  category: `SELECT category AS key, kind, outcome, count(*) AS n FROM rounds WHERE run_id = ? GROUP BY category, kind, outcome`,
  attacker: `SELECT attacker AS key, kind, outcome, count(*) AS n FROM rounds WHERE run_id = ? AND kind = 'attack' GROUP BY attacker, outcome ORDER BY attacker`,
  source: `SELECT a.source AS key, r.kind, r.outcome, count(*) AS n FROM rounds r JOIN attacks a ON a.run_id = r.run_id AND a.round = r.round
           WHERE r.run_id = ? GROUP BY a.source, r.kind, r.outcome`,
  decided_by_healer: `SELECT decided_by = 'healer' AS key, kind, outcome, count(*) AS n FROM rounds WHERE run_id = ? GROUP BY key, kind, outcome`,
};

export interface ScoreRow {
  kind: RoundKind;
  score: number | null;
  n: number;
}

/** One group's texts (see FiguresTable.textRepeats). */
export interface TextRepeatsRow<K> {
  key: K;
  kind: RoundKind;
  rounds: number;
  texts: number;
  squares: number;
  swarmRounds: number;
  swarmTexts: number;
  swarmSquares: number;
}

/** Defender calls of the rounds the defenders judged: every judgement's (each turn, attempt and context-free judgement). */
export interface SwarmCalls {
  rounds: number;
  /** Swarm judgements: one per single-input round, one per judged turn, attempt or context-free judgement. */
  judgements: number;
  calls: number;
  aborted: number;
  skipped: number;
}

export interface LearningCurveCounts {
  batch: number;
  firstRound: number;
  lastRound: number;
  validAttacks: number;
  healerBlocked: number;
  swarmBlocked: number;
  breached: number;
  benign: number;
  healerFalsePositives: number;
  swarmFalsePositives: number;
}

export interface AttackerExtra {
  name: string;
  attackerErrors: number;
  promptTokens: number;
  completionTokens: number;
}

export class FiguresTable extends Table {
  /** Outcome counts per key of the grouping (keys in the query's order). */
  counts<K = string | number | null>(runId: number, grouping: CountGrouping): Map<K, OutcomeCounts> {
    return foldCounts(this.rows<CountRow<K>>(GROUPINGS[grouping], runId));
  }

  /** Outcome counts of rounds 1..lastRound (key 1) and of the rest (key 0). */
  countsThrough(runId: number, lastRound: number): Map<number, OutcomeCounts> {
    return foldCounts(
      this.rows<CountRow<number>>(`SELECT round <= ? AS key, kind, outcome, count(*) AS n FROM rounds WHERE run_id = ? GROUP BY key, kind, outcome`, lastRound, runId),
    );
  }

  /** Outcome counts of the rounds after `round`, split by whether the healer decided them. */
  countsAfter(runId: number, round: number): Array<{ kind: RoundKind; outcome: Outcome; healer: number; n: number }> {
    return this.rows(
      `SELECT kind, outcome, decided_by = 'healer' AS healer, count(*) AS n FROM rounds WHERE run_id = ? AND round > ? GROUP BY kind, outcome, healer`,
      runId,
      round,
    );
  }

  /** First and last round of every batch. */
  batchSpans(runId: number): Map<number, { first: number; last: number }> {
    const rows = this.rows<{ batch: number; first: number; last: number }>(
      `SELECT batch, min(round) AS first, max(round) AS last FROM rounds WHERE run_id = ? GROUP BY batch`,
      runId,
    );
    return new Map(rows.map((r) => [r.batch, { first: r.first, last: r.last }]));
  }

  /**
   * The swarm scores of the rounds the swarm judged (decided by consensus, with a score), by kind
   * and score. `everyDefenderAnswered`: only rounds where no defender was skipped, cancelled or
   * abstained (cascade runs, whose other rounds hold only some of the cast's votes).
   */
  scores(runId: number, everyDefenderAnswered: boolean): ScoreRow[] {
    return this.rows<ScoreRow>(
      `SELECT kind, score, count(*) AS n FROM rounds
       WHERE run_id = ? AND decided_by = 'consensus' AND score IS NOT NULL
         AND (? = 0 OR (calls_skipped = 0 AND calls_aborted = 0 AND votes_abstain = 0))
       GROUP BY kind, score`,
      runId,
      everyDefenderAnswered ? 1 : 0,
    );
  }

  /** How the rounds that count in the rates split for the score: judged with a score, healer-decided, or left out (partial votes). */
  scoreCoverage(runId: number, everyDefenderAnswered: boolean): { kind: RoundKind; judged: number; healer: number; partial: number }[] {
    return this.rows(
      `SELECT r.kind,
         sum(r.decided_by = 'consensus' AND r.score IS NOT NULL AND NOT (? = 1 AND (r.calls_skipped > 0 OR r.calls_aborted > 0 OR r.votes_abstain > 0))) AS judged,
         sum(r.decided_by = 'healer') AS healer,
         sum(r.decided_by = 'consensus' AND (? = 1 AND (r.calls_skipped > 0 OR r.calls_aborted > 0 OR r.votes_abstain > 0))) AS partial
       FROM rounds r
       WHERE r.run_id = ? AND r.outcome IN ('DEFENDED', 'INSTANT_BLOCKED', 'BREACHED', 'TRUE_NEGATIVE', 'FALSE_POSITIVE')
       GROUP BY r.kind`,
      everyDefenderAnswered ? 1 : 0,
      everyDefenderAnswered ? 1 : 0,
      runId,
    );
  }

  /**
   * Per key of the grouping and kind: the rounds that count in that kind's rate (valid attacks;
   * judged benign rounds), the distinct texts among them, and Σm² over the texts' repeat counts m
   * (for the design effect, src/stats/text-unit.ts); the same over the rounds of the swarm defence
   * rate (attacks DEFENDED or BREACHED: the valid attacks the blocklist left to the swarm) as
   * `swarm*`. `rounds`: only rounds first..last.
   */
  textRepeats<K = string | number | null>(runId: number, grouping: CountGrouping | 'mode', rounds: { first: number; last: number } = { first: 1, last: Number.MAX_SAFE_INTEGER }): TextRepeatsRow<K>[] {
    // 'mode': single, conversation or iterative (turns.ts), attack conversations stopped before
    // their payload turn apart as 'early_stop'; a conversation's text is its stored input.
    const mode = `CASE WHEN ${EARLY_STOP_OF} THEN 'early_stop' ELSE ${MODE_OF} END`;
    const key = { run: '0', batch: 'r.batch', category: 'r.category', attacker: 'r.attacker', source: 'a.source', decided_by_healer: "r.decided_by = 'healer'", mode }[grouping];
    return this.rows(
      `SELECT key, kind, sum(m) AS rounds, count(*) AS texts, sum(m * m) AS squares,
         sum(s) AS swarmRounds, sum(s > 0) AS swarmTexts, sum(s * s) AS swarmSquares FROM (
         SELECT ${key} AS key, r.kind AS kind, a.sha256, count(*) AS m, sum(r.outcome IN ('DEFENDED', 'BREACHED')) AS s
         FROM rounds r JOIN attacks a ON a.run_id = r.run_id AND a.round = r.round
         WHERE r.run_id = ? AND r.round BETWEEN ? AND ? AND r.outcome IN ('DEFENDED', 'INSTANT_BLOCKED', 'BREACHED', 'TRUE_NEGATIVE', 'FALSE_POSITIVE')
         GROUP BY 1, 2, 3)
       GROUP BY key, kind`,
      runId,
      rounds.first,
      rounds.last,
    );
  }

  /** By kind: the repeats of the texts of the rounds that have a swarm score (the rounds of `scores`, same filter). */
  scoreTextRepeats(runId: number, everyDefenderAnswered: boolean): Array<{ kind: RoundKind; rounds: number; texts: number; squares: number }> {
    return this.rows(
      `SELECT kind, sum(m) AS rounds, count(*) AS texts, sum(m * m) AS squares FROM (
         SELECT r.kind AS kind, a.sha256, count(*) AS m
         FROM rounds r JOIN attacks a ON a.run_id = r.run_id AND a.round = r.round
         WHERE r.run_id = ? AND r.decided_by = 'consensus' AND r.score IS NOT NULL
           AND (? = 0 OR (r.calls_skipped = 0 AND r.calls_aborted = 0 AND r.votes_abstain = 0))
         GROUP BY 1, 2)
       GROUP BY kind`,
      runId,
      everyDefenderAnswered ? 1 : 0,
    );
  }

  /** What the swarm spent over the rounds it was asked about. */
  swarmCalls(runId: number): SwarmCalls {
    return (
      this.row<SwarmCalls>(
        `SELECT count(*) AS rounds, coalesce(sum(calls), 0) AS calls, coalesce(sum(calls_aborted), 0) AS aborted, coalesce(sum(calls_skipped), 0) AS skipped,
           coalesce(sum(coalesce((SELECT count(*) FROM turns t WHERE t.run_id = r.run_id AND t.round = r.round AND (t.votes_block + t.votes_allow + t.votes_abstain > 0)), 0)
             + NOT EXISTS (SELECT 1 FROM turns t WHERE t.run_id = r.run_id AND t.round = r.round)), 0) AS judgements
         FROM rounds r WHERE r.run_id = ? AND r.calls + r.calls_aborted + r.calls_skipped > 0`,
        runId,
      ) ?? { rounds: 0, judgements: 0, calls: 0, aborted: 0, skipped: 0 }
    );
  }

  /** Per batch: what the healer's blocklist stopped beside what the swarm stopped. */
  learningCurve(runId: number): LearningCurveCounts[] {
    return this.rows<LearningCurveCounts>(
      `SELECT batch, min(round) AS firstRound, max(round) AS lastRound,
         sum(kind = 'attack' AND outcome IN ('DEFENDED', 'INSTANT_BLOCKED', 'BREACHED')) AS validAttacks,
         sum(outcome = 'INSTANT_BLOCKED') AS healerBlocked,
         sum(outcome = 'DEFENDED') AS swarmBlocked,
         sum(outcome = 'BREACHED') AS breached,
         sum(kind = 'benign') AS benign,
         sum(outcome = 'FALSE_POSITIVE' AND decided_by = 'healer') AS healerFalsePositives,
         sum(outcome = 'FALSE_POSITIVE' AND decided_by <> 'healer') AS swarmFalsePositives
       FROM rounds WHERE run_id = ? GROUP BY batch ORDER BY batch`,
      runId,
    );
  }

  /**
   * Rounds whose defenders were shown antibodies, and the antibodies' estimated tokens per prompt;
   * `total` over the calls of the defenders named in `readers` (those whose prompts show them),
   * or over every call when `readers` is null.
   */
  antibodyCost(runId: number, readers: readonly string[] | null): { rounds: number; mean: number | null; max: number; total: number } {
    const per = this.row<{ rounds: number; mean: number | null; max: number; total: number }>(
      `SELECT count(*) AS rounds, avg(antibody_tokens) AS mean, coalesce(max(antibody_tokens), 0) AS max,
         coalesce(sum(antibody_tokens * calls), 0) AS total
       FROM rounds WHERE run_id = ? AND antibodies > 0`,
      runId,
    ) ?? { rounds: 0, mean: null, max: 0, total: 0 };
    if (readers === null) return per;
    const total = readers.length === 0
      ? 0
      : (this.row<{ total: number }>(
          `SELECT coalesce(sum(r.antibody_tokens), 0) AS total FROM votes v JOIN rounds r ON r.run_id = v.run_id AND r.round = v.round
           WHERE v.run_id = ? AND r.antibodies > 0 AND v.defender IN (SELECT value FROM json_each(?))`,
          runId,
          JSON.stringify(readers),
        )?.total ?? 0);
    return { ...per, total };
  }

  /** Rounds each learned pattern stopped, by kind. */
  patternHits(runId: number): Map<string, number> {
    const rows = this.rows<{ id: number; kind: string; n: number }>(
      `SELECT pattern_id AS id, kind, count(*) AS n FROM rounds WHERE run_id = ? AND decided_by = 'healer' AND pattern_id IS NOT NULL GROUP BY pattern_id, kind`,
      runId,
    );
    return new Map(rows.map((h) => [`${h.id}:${h.kind}`, h.n]));
  }

  /** Per attacker: rounds it failed (no text, no defender asked) and the tokens it spent. */
  attackerExtras(runId: number): AttackerExtra[] {
    return this.rows<AttackerExtra>(
      `SELECT r.attacker AS name, sum(r.outcome = 'ERROR' AND r.calls = 0) AS attackerErrors,
         sum(a.prompt_tokens) AS promptTokens, sum(a.completion_tokens) AS completionTokens
       FROM rounds r JOIN attacks a ON a.run_id = r.run_id AND a.round = r.round
       WHERE r.run_id = ? AND r.kind = 'attack' GROUP BY r.attacker`,
      runId,
    );
  }

  /** Rounds the swarm judged on a cut text (the store's cap or a defender's max_input_chars). */
  judgedTruncated(runId: number): number {
    return this.row<{ n: number }>(`SELECT count(*) AS n FROM rounds WHERE run_id = ? AND judged_truncated = 1`, runId)?.n ?? 0;
  }

  /** Tokens every attacker and defender of the run has spent so far. */
  tokensByModel(runId: number): Array<{ role: 'attacker' | 'defender'; name: string; promptTokens: number; completionTokens: number }> {
    return this.rows(
      `SELECT 'attacker' AS role, attacker AS name, sum(prompt_tokens) AS promptTokens, sum(completion_tokens) AS completionTokens
         FROM attacks WHERE run_id = ? GROUP BY attacker
       UNION ALL
       SELECT 'defender', defender, sum(prompt_tokens), sum(completion_tokens) FROM votes WHERE run_id = ? GROUP BY defender`,
      runId,
      runId,
    );
  }
}
