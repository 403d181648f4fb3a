/**
 * The `turns` table: the user turns, assistant replies, attempts and context-free judgements of
 * conversation and iterative rounds (migration 7), and the grouped counts the report reads from
 * them. A single-input round has no turns rows; its votes have turn 0.
 */
import type { RoundKind } from '../domain.js';
import { sha256 } from '../util/hash.js';
import type { TurnDecision, TurnRecord, TurnRole } from './records.js';
import { capOrNull, capText, MAX_STORED_REASON, MAX_STORED_TEXT } from './text.js';
import { Table } from './table.js';
import type { TextRepeatsRow } from './figures.js';

/** A stored turn, as replay and compare read it back. */
export interface StoredTurn {
  round: number;
  turn: number;
  role: TurnRole;
  step: number;
  text: string;
  decision: TurnDecision;
}

/** How a run's rounds were played: `single` (one input), `conversation` or `iterative`. */
export type RoundMode = 'single' | 'conversation' | 'iterative';

/** Per mode and kind, rounds by outcome (the report turns them into rates). */
export interface ModeOutcomeRow {
  mode: RoundMode;
  /** 1: an attack conversation stopped before its known payload turn (see EARLY_STOP_OF). */
  earlyStop: number;
  kind: RoundKind;
  outcome: string;
  n: number;
}

/** Attack conversations that ended alike (TurnsTable.conversationEnds); a conversation stops at most once. */
export interface ConversationEndRow {
  outcome: string;
  /** The user turn the attacker planned the payload for; null when it could not say. */
  payloadTurn: number | null;
  /** The user turn the swarm or the healer stopped; null when none was (breached, refused, error). */
  stoppedAt: number | null;
  stoppedBy: 'block' | 'healer' | null;
  /** 1: the stopped turn, judged without the conversation, was allowed. */
  allowedAlone: number;
  n: number;
}

/** The mode of a round from its turns: a round with user turns is a conversation, with attempts iterative. */
/** SQL: how round `r` was played (single, conversation, iterative), from its turns. */
export const MODE_OF = `CASE
  WHEN EXISTS (SELECT 1 FROM turns t WHERE t.run_id = r.run_id AND t.round = r.round AND t.role = 'user') THEN 'conversation'
  WHEN EXISTS (SELECT 1 FROM turns t WHERE t.run_id = r.run_id AND t.round = r.round AND t.role = 'attempt') THEN 'iterative'
  ELSE 'single' END`;

/**
 * SQL, 1 or 0: round `r` is an attack conversation the swarm or the healer stopped before the turn
 * its attacker planned the payload for (known: rounds.payload_turn not NULL) — an alarm on a
 * harmless turn, which the conversation figures count apart, never as a caught attack.
 */
export const EARLY_STOP_OF = `(r.kind = 'attack' AND r.payload_turn IS NOT NULL AND EXISTS (SELECT 1 FROM turns s
  WHERE s.run_id = r.run_id AND s.round = r.round AND s.role = 'user' AND s.decision IN ('block', 'healer') AND s.step < r.payload_turn))`;

export class TurnsTable extends Table {
  /** One turn at 1-based position `turn` of a round; the caller holds the transaction (Store.recordRound). */
  insert(runId: number, round: number, turn: number, t: TurnRecord): void {
    this.write(
      `INSERT INTO turns (run_id, round, turn, role, step, text, sha256, decision, decisive, votes_block, votes_allow, votes_abstain,
        prompt_tokens, completion_tokens, feedback) VALUES (@runId, @round, @turn, @role, @step, @text, @sha256, @decision, @decisive,
        @votesBlock, @votesAllow, @votesAbstain, @promptTokens, @completionTokens, @feedback)`,
      {
        runId,
        round,
        turn,
        role: t.role,
        step: t.step,
        text: capText(t.text, MAX_STORED_TEXT),
        sha256: sha256(t.text),
        decision: t.decision,
        decisive: t.decisive ? 1 : 0,
        votesBlock: t.votesBlock,
        votesAllow: t.votesAllow,
        votesAbstain: t.votesAbstain,
        promptTokens: t.promptTokens,
        completionTokens: t.completionTokens,
        feedback: capOrNull(t.feedback, MAX_STORED_REASON),
      },
    );
  }

  /** Every user turn and attempt of a run (no replies, no context-free judgements), by round then position. */
  played(runId: number): Map<number, StoredTurn[]> {
    const out = new Map<number, StoredTurn[]>();
    for (const t of this.rows<StoredTurn>(
      `SELECT round, turn, role, step, text, decision FROM turns WHERE run_id = ? AND role IN ('user', 'assistant', 'attempt') ORDER BY round, turn`,
      runId,
    )) {
      const list = out.get(t.round) ?? [];
      list.push(t);
      out.set(t.round, list);
    }
    return out;
  }

  /** Rounds by mode, early stop (attack conversations stopped before their payload turn), kind and outcome. */
  modeOutcomes(runId: number): ModeOutcomeRow[] {
    return this.rows<ModeOutcomeRow>(
      `SELECT ${MODE_OF} AS mode, ${EARLY_STOP_OF} AS earlyStop, r.kind AS kind, r.outcome AS outcome, count(*) AS n FROM rounds r WHERE r.run_id = ?
       GROUP BY mode, earlyStop, r.kind, r.outcome ORDER BY mode, earlyStop, r.kind, r.outcome`,
      runId,
    );
  }

  /**
   * Attack conversations, grouped by how they ended: the outcome, the payload turn the attacker
   * planned (null: unknown), the user turn stopped at by the swarm (`block`) or the healer
   * (`healer`) — null when none was — and whether that turn, judged alone, was allowed.
   */
  conversationEnds(runId: number): ConversationEndRow[] {
    return this.rows<ConversationEndRow>(
      `SELECT r.outcome AS outcome, r.payload_turn AS payloadTurn, s.step AS stoppedAt, s.decision AS stoppedBy,
         coalesce(EXISTS (SELECT 1 FROM turns a WHERE a.run_id = s.run_id AND a.round = s.round AND a.role = 'alone' AND a.step = s.step AND a.decision = 'allow'), 0) AS allowedAlone,
         count(*) AS n
       FROM rounds r LEFT JOIN turns s ON s.run_id = r.run_id AND s.round = r.round AND s.role = 'user' AND s.decision IN ('block', 'healer')
       WHERE r.run_id = ? AND r.kind = 'attack' AND EXISTS (SELECT 1 FROM turns u WHERE u.run_id = r.run_id AND u.round = r.round AND u.role = 'user')
       GROUP BY outcome, payloadTurn, stoppedAt, stoppedBy, allowedAlone ORDER BY outcome, payloadTurn, stoppedAt, stoppedBy, allowedAlone`,
      runId,
    );
  }

  /**
   * Iterative attack rounds the swarm judged (not refused, not errors), one row per round, by
   * round: its attacker, `attempts` — the attempt that breached, or the attempts played when none
   * did (breached = 0) — and `allowed`, the attempts it could play (rounds.attempts_allowed; null
   * for rounds stored before it was recorded); `ended` = 1 for a replayed round whose recording
   * ended (every recorded attempt blocked, what would come next unknown).
   */
  attemptRounds(runId: number): Array<{ round: number; attacker: string; attempts: number; breached: number; allowed: number | null; ended: number }> {
    return this.rows(
      `SELECT t.round AS round, r.attacker AS attacker, max(t.step) AS attempts, r.outcome = 'BREACHED' AS breached, r.attempts_allowed AS allowed, r.outcome = 'RECORDING_ENDED' AS ended
       FROM turns t JOIN rounds r ON r.run_id = t.run_id AND r.round = t.round
       WHERE t.run_id = ? AND t.role = 'attempt' AND r.kind = 'attack' AND r.outcome IN ('BREACHED', 'DEFENDED', 'INSTANT_BLOCKED', 'RECORDING_ENDED')
       GROUP BY t.round ORDER BY t.round`,
      runId,
    );
  }

  /** Per iterative round, how many of its attempts were judged (what a replay of it plays), by round. */
  judgedAttempts(runId: number): Map<number, number> {
    const out = new Map<number, number>();
    for (const r of this.rows<{ round: number; n: number }>(
      `SELECT round, count(*) AS n FROM turns WHERE run_id = ? AND role = 'attempt' AND decision IS NOT NULL GROUP BY round ORDER BY round`,
      runId,
    )) out.set(r.round, r.n);
    return out;
  }

  /**
   * Per conversation or iterative round, the sha256 of every user turn or attempt it played, in
   * order (what pairs it across runs: src/report/compute/compare.ts).
   */
  sequences(runId: number): Map<number, string[]> {
    const out = new Map<number, string[]>();
    for (const r of this.rows<{ round: number; sha256: string }>(
      `SELECT round, sha256 FROM turns WHERE run_id = ? AND role IN ('user', 'attempt') ORDER BY round, turn`,
      runId,
    )) {
      const list = out.get(r.round) ?? [];
      list.push(r.sha256);
      out.set(r.round, list);
    }
    return out;
  }

  /**
   * Iterative attack rounds by how their first attempt was judged, as the outcome it would have
   * been as a single input (block DEFENDED, healer INSTANT_BLOCKED, allow BREACHED, error ERROR);
   * a round whose first attempt was not judged keeps its outcome (a refusal).
   */
  firstAttemptOutcomes(runId: number): Array<{ outcome: string; n: number }> {
    return this.rows(
      `SELECT CASE t.decision WHEN 'block' THEN 'DEFENDED' WHEN 'healer' THEN 'INSTANT_BLOCKED' WHEN 'allow' THEN 'BREACHED' WHEN 'error' THEN 'ERROR' ELSE r.outcome END AS outcome,
         count(*) AS n
       FROM rounds r JOIN turns t ON t.run_id = r.run_id AND t.round = r.round AND t.role = 'attempt' AND t.step = 1
       WHERE r.run_id = ? AND r.kind = 'attack' GROUP BY 1 ORDER BY 1`,
      runId,
    );
  }

  /**
   * The texts of iterative attack rounds' first attempts that were judged (not refused, not
   * errors), as FiguresTable.textRepeats gives a group's: the repeats behind the first-attempts
   * row's intervals (the swarm's: those the swarm, not the healer, judged). Keyed 'first'.
   */
  firstAttemptTexts(runId: number): TextRepeatsRow<'first'>[] {
    return this.rows(
      `SELECT 'first' AS key, 'attack' AS kind, sum(m) AS rounds, count(*) AS texts, sum(m * m) AS squares,
         sum(s) AS swarmRounds, sum(s > 0) AS swarmTexts, sum(s * s) AS swarmSquares FROM (
         SELECT t.sha256, count(*) AS m, sum(t.decision IN ('block', 'allow')) AS s
         FROM rounds r JOIN turns t ON t.run_id = r.run_id AND t.round = r.round AND t.role = 'attempt' AND t.step = 1
         WHERE r.run_id = ? AND r.kind = 'attack' AND t.decision IN ('block', 'healer', 'allow') GROUP BY t.sha256)
       HAVING count(*) > 0`,
      runId,
    );
  }

  /** How many user turns and attempts of a run the healer stopped (decision `healer`). */
  healerStops(runId: number): number {
    return this.row<{ n: number }>(`SELECT count(*) AS n FROM turns WHERE run_id = ? AND role IN ('user', 'attempt') AND decision = 'healer'`, runId)?.n ?? 0;
  }

  /** How many turns rows a run has (0: no conversation or iterative round). */
  count(runId: number): number {
    return this.row<{ n: number }>(`SELECT count(*) AS n FROM turns WHERE run_id = ?`, runId)?.n ?? 0;
  }
}
