import type { Verdict, Vote } from '../domain.js';
import { capOrNull, MAX_STORED_REASON } from './text.js';
import { Table } from './table.js';

export interface VoteLite {
  defender: string;
  verdict: Verdict;
  error: string | null;
}

/** One vote as a CSV line needs it. */
export interface ExportVote {
  round: number;
  defender: string;
  verdict: Verdict;
  confidence: number | null;
  latencyMs: number;
  error: string | null;
}

/** Per defender: its votes, split by the kind of round and whether the swarm judged the round. */
export interface DefenderTally {
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
}

/** The `votes` table: one row per defender asked per round. */
export class VotesTable extends Table {
  /** One vote of a round; the caller holds the transaction (Store.recordRound). */
  insert(runId: number, round: number, v: Vote): void {
    this.write(
      `INSERT INTO votes (run_id, round, defender, verdict, confidence, reason, latency_ms, prompt_tokens,
        completion_tokens, error, raw, reasoning, finish_reason, queue_ms, tokens_estimated) VALUES (@runId, @round, @defender, @verdict,
        @confidence, @reason, @latencyMs, @promptTokens, @completionTokens, @error, @raw, @reasoning, @finishReason, @queueMs, @tokensEstimated)`,
      {
        runId,
        round,
        defender: v.defender,
        verdict: v.verdict,
        confidence: v.confidence,
        reason: capOrNull(v.reason, MAX_STORED_REASON),
        latencyMs: v.latencyMs,
        promptTokens: v.promptTokens,
        completionTokens: v.completionTokens,
        error: capOrNull(v.error, MAX_STORED_REASON),
        raw: capOrNull(v.raw, MAX_STORED_REASON),
        reasoning: capOrNull(v.reasoning, MAX_STORED_REASON),
        finishReason: v.finishReason ?? null,
        queueMs: v.queueMs ?? null,
        tokensEstimated: v.tokensEstimated ? 1 : 0,
      },
    );
  }

  /** Votes of rounds first..last, grouped by round. */
  byRound(runId: number, first: number, last: number): Map<number, VoteLite[]> {
    const out = new Map<number, VoteLite[]>();
    for (const r of this.rows<VoteLite & { round: number }>(
      `SELECT round, defender, verdict, error FROM votes WHERE run_id = ? AND round BETWEEN ? AND ? ORDER BY round, defender`,
      runId,
      first,
      last,
    )) {
      const list = out.get(r.round) ?? [];
      list.push({ defender: r.defender, verdict: r.verdict, error: r.error });
      out.set(r.round, list);
    }
    return out;
  }

  /** Every vote of a run ordered by round then defender, one at a time. */
  forExport(runId: number): Generator<ExportVote> {
    return this.each(
      `SELECT round, defender, verdict, confidence, latency_ms AS latencyMs, error FROM votes WHERE run_id = ? ORDER BY round, defender`,
      runId,
    );
  }

  /** Names of the defenders that voted in a run, sorted. */
  defenders(runId: number): string[] {
    return this.rows<{ name: string }>(`SELECT DISTINCT defender AS name FROM votes WHERE run_id = ? ORDER BY defender`, runId).map((r) => r.name);
  }

  /** The median latency of a defender's `votes` votes, by offset in SQLite's sort (latencies are never all loaded). */
  medianLatency(runId: number, defender: string, votes: number): number | null {
    if (votes === 0) return null;
    const middle = this.rows<{ v: number }>(
      `SELECT latency_ms AS v FROM votes WHERE run_id = ? AND defender = ? ORDER BY latency_ms LIMIT ? OFFSET ?`,
      runId,
      defender,
      votes % 2 === 0 ? 2 : 1,
      Math.floor((votes - 1) / 2),
    );
    return middle.reduce((s, x) => s + x.v, 0) / Math.max(1, middle.length);
  }

  /** Per defender tallies; a round counts as judged when the consensus decided it. */
  tallies(runId: number): DefenderTally[] {
    return this.rows<DefenderTally>(
      `SELECT v.defender AS name, count(*) AS votes,
         sum(v.verdict = 'block') AS block, sum(v.verdict = 'allow') AS allow, sum(v.verdict = 'abstain') AS abstain,
         sum(r.kind = 'attack' AND judged AND v.verdict = 'block') AS attackBlock, sum(r.kind = 'attack' AND judged AND v.verdict = 'allow') AS attackAllow,
         sum(r.kind = 'benign' AND judged AND v.verdict = 'block') AS benignBlock, sum(r.kind = 'benign' AND judged AND v.verdict = 'allow') AS benignAllow,
         sum(v.prompt_tokens) AS promptTokens, sum(v.completion_tokens) AS completionTokens
       FROM votes v JOIN (SELECT run_id, round, kind, decided_by = 'consensus' AS judged FROM rounds) r ON r.run_id = v.run_id AND r.round = v.round
       WHERE v.run_id = ? GROUP BY v.defender`,
      runId,
    );
  }
}
