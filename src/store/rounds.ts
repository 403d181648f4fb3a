import type { Outcome, RoundKind } from '../domain.js';
import type { RoundRecord, StoredInput, StoredRound, TurnRecord } from './records.js';
import { sha256 } from '../util/hash.js';
import { capOrNull, capText, MAX_STORED_REASON, MAX_STORED_TEXT } from './text.js';
import { Table } from './table.js';
import { MODE_OF, type RoundMode } from './turns.js';

/** The `rounds` table with each round's `attacks` row: outcomes, decisions and the inputs judged. */
export class RoundsTable extends Table {
  /**
   * A round's `attacks` and `rounds` rows; the caller holds the transaction (Store.recordRound).
   * `textSha256`: the hex SHA-256 of `r.text` when the caller has it already (else computed here).
   * Positional parameters: binding ~40 named ones from a spread object cost more per round than
   * the inserts themselves.
   */
  insert(runId: number, r: RoundRecord, textSha256 = sha256(r.text)): void {
    const text = capText(r.text, MAX_STORED_TEXT);
    const fullLength = Math.max(r.textLength ?? 0, r.text.length);
    this.write(
      `INSERT INTO attacks (run_id, round, category, attacker, kind, text, text_length, truncated, sha256, refused,
        strategy, attempts, prompt_tokens, completion_tokens, latency_ms, source, payload, refusal_rule, reasoning, finish_reason)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      runId,
      r.round,
      r.category,
      r.attacker,
      r.kind,
      text,
      fullLength,
      text.length < fullLength ? 1 : 0,
      textSha256,
      r.refused ? 1 : 0,
      r.strategy,
      r.attempts,
      r.attackPromptTokens,
      r.attackCompletionTokens,
      r.attackLatencyMs,
      r.source,
      r.payload ?? null,
      r.refusalRule ?? null,
      capOrNull(r.attackReasoning, MAX_STORED_REASON),
      r.attackFinishReason ?? null,
    );
    const calls = callsOf(r);
    this.write(
      `INSERT INTO rounds (run_id, round, batch, kind, category, attacker, outcome, decided_by, pattern_id,
        votes_block, votes_allow, votes_abstain, calls, score, latency_ms, error, antibodies, antibody_tokens, calls_aborted, calls_skipped,
        judged_truncated, payload_turn, attempts_allowed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      runId,
      r.round,
      r.batch,
      r.kind,
      r.category,
      r.attacker,
      r.outcome,
      r.decidedBy,
      r.patternId,
      r.votesBlock,
      r.votesAllow,
      r.votesAbstain,
      calls.calls,
      r.score,
      r.latencyMs,
      capOrNull(r.error, MAX_STORED_REASON),
      r.antibodies ?? 0,
      r.antibodyTokens ?? 0,
      calls.callsAborted,
      calls.callsSkipped,
      r.judgedTruncated ? 1 : 0,
      r.payloadTurn ?? null,
      r.attemptsAllowed ?? null,
    );
  }

  /** Every stored round of a run, in round order. */
  list(runId: number): StoredRound[] {
    return this.rows<StoredRound>(
      `SELECT r.round, r.batch, r.kind, r.category, r.attacker, r.outcome, r.decided_by AS decidedBy, r.pattern_id AS patternId, r.votes_block AS votesBlock,
       r.votes_allow AS votesAllow, r.votes_abstain AS votesAbstain, r.calls, r.score, r.latency_ms AS latencyMs, r.error, coalesce(a.sha256, '') AS sha256
       FROM rounds r LEFT JOIN attacks a ON a.run_id = r.run_id AND a.round = r.round WHERE r.run_id = ? ORDER BY r.round`,
      runId,
    );
  }

  /** Every round with the input it judged, in round order (what a replay plays again). */
  inputs(runId: number): StoredInput[] {
    return this.rows<RawInput>(
      `SELECT r.round, r.batch, r.kind, r.category, r.attacker, r.outcome, r.decided_by AS decidedBy, r.calls, r.error,
              a.text, a.truncated, a.refused, a.strategy, a.source, a.sha256, r.payload_turn AS payloadTurn,
              r.attempts_allowed AS attemptsAllowed
       FROM rounds r JOIN attacks a ON a.run_id = r.run_id AND a.round = r.round
       WHERE r.run_id = ? ORDER BY r.round`,
      runId,
    ).map((r) => ({ ...r, truncated: r.truncated === 1, refused: r.refused === 1 }));
  }

  /** Every round's outcome with the hash of its input, in round order (what pairs two runs round by round). */
  outcomesWithInputs(runId: number): Array<{ round: number; kind: RoundKind; category: string; attacker: string; outcome: Outcome; sha256: string }> {
    return this.rows(
      `SELECT r.round, r.kind, r.category, r.attacker, r.outcome, a.sha256 FROM rounds r JOIN attacks a ON a.run_id = r.run_id AND a.round = r.round
       WHERE r.run_id = ? ORDER BY r.round`,
      runId,
    );
  }

  /** The outcomes of a run's rounds of one kind, in round order. */
  outcomes(runId: number, kind: RoundKind): Outcome[] {
    return this.rows<{ outcome: Outcome }>(`SELECT outcome FROM rounds WHERE run_id = ? AND kind = ? ORDER BY round`, runId, kind).map((r) => r.outcome);
  }

  /** Stored input texts of the given rounds (capped as stored). */
  texts(runId: number, rounds: Iterable<number>): Map<number, string> {
    const out = new Map<number, string>();
    for (const round of rounds) {
      if (out.has(round)) continue;
      const row = this.row<{ text: string }>(`SELECT text FROM attacks WHERE run_id = ? AND round = ?`, runId, round);
      if (row) out.set(round, row.text);
    }
    return out;
  }

  /**
   * The latest `perCategory` blocked attacks (DEFENDED or INSTANT_BLOCKED) of every category, with
   * their texts, in round order: what an adaptive attacker remembers.
   */
  recentBlocked(runId: number, perCategory: number): Array<{ round: number; category: string; text: string }> {
    return this.rows(
      `SELECT round, category, text FROM (
         SELECT r.round, r.category, a.text, row_number() OVER (PARTITION BY r.category ORDER BY r.round DESC) AS n
         FROM rounds r JOIN attacks a ON a.run_id = r.run_id AND a.round = r.round
         WHERE r.run_id = ? AND r.kind = 'attack' AND r.outcome IN ('DEFENDED', 'INSTANT_BLOCKED'))
       WHERE n <= ? ORDER BY round`,
      runId,
      perCategory,
    );
  }

  /** Rounds that breached or were stopped by the healer, in round order, with their texts and payload ids. */
  breachesAndBlocks(runId: number): Generator<{ round: number; outcome: Outcome; sha: string; text: string; payload: string | null }> {
    return this.each(
      `SELECT r.round AS round, r.outcome AS outcome, a.sha256 AS sha, a.text AS text, a.payload AS payload FROM rounds r
       JOIN attacks a ON a.run_id = r.run_id AND a.round = r.round
       WHERE r.run_id = ? AND r.outcome IN ('BREACHED', 'INSTANT_BLOCKED') ORDER BY r.round`,
      runId,
    );
  }

  /** Every round as a CSV line needs it (with its input), in round order. */
  forExport(runId: number): Generator<ExportRound> {
    return this.each(
      `SELECT r.round, r.batch, r.kind, r.category, r.attacker, a.source, r.outcome, r.decided_by AS decidedBy, r.pattern_id AS patternId,
         r.votes_block AS votesBlock, r.votes_allow AS votesAllow, r.votes_abstain AS votesAbstain, r.score, r.latency_ms AS latencyMs, r.error,
         a.refused = 1 AS refused, a.strategy, a.text_length AS textLength, a.truncated = 1 AS truncated, a.sha256, r.payload_turn AS payloadTurn,
         ${MODE_OF} AS mode, max(1, (SELECT count(*) FROM turns t WHERE t.run_id = r.run_id AND t.round = r.round AND t.role IN ('user', 'attempt'))) AS steps, a.text
       FROM rounds r JOIN attacks a ON a.run_id = r.run_id AND a.round = r.round WHERE r.run_id = ? ORDER BY r.round`,
      runId,
    );
  }

  /** The highest round stored (0 when none). */
  lastRound(runId: number): number {
    return this.row<{ m: number | null }>(`SELECT max(round) AS m FROM rounds WHERE run_id = ?`, runId)?.m ?? 0;
  }
}

/** A StoredInput as SQLite returns it: booleans as 0/1. */
/**
 * A round's defender calls: answered (votes), cancelled in flight and never asked (cascade). A
 * conversation or iterative round sums every judgement's — each turn, attempt and context-free
 * judgement — as budgets charge them (src/engine/budget.ts); a single input has one judgement.
 */
function callsOf(r: RoundRecord): { calls: number; callsAborted: number; callsSkipped: number } {
  if (!r.turns) return { calls: r.votes.length, callsAborted: r.callsAborted ?? 0, callsSkipped: r.callsSkipped ?? 0 };
  const sum = (f: (t: TurnRecord) => number): number => r.turns!.reduce((n, t) => n + f(t), 0);
  return { calls: sum((t) => t.votes.length), callsAborted: sum((t) => t.callsAborted ?? 0), callsSkipped: sum((t) => t.callsSkipped ?? 0) };
}

type RawInput = Omit<StoredInput, 'truncated' | 'refused'> & { truncated: number; refused: number };

/** One round of `hive report --format csv` (SQLite booleans as 0/1). */
export type ExportRound = Pick<StoredRound, 'round' | 'batch' | 'kind' | 'category' | 'attacker' | 'outcome' | 'patternId' | 'votesBlock' | 'votesAllow' | 'votesAbstain' | 'score' | 'latencyMs' | 'error'> & {
  decidedBy: string;
  source: string | null;
  refused: number;
  strategy: string | null;
  textLength: number;
  truncated: number;
  sha256: string;
  payloadTurn: number | null;
  /** How the round was played, and its user turns or attempts played (1 for a single input). */
  mode: RoundMode;
  steps: number;
  text: string;
};
