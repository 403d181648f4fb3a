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
  /** Rounds whose verdict by this defender alone is known (rows of `defender_votes`); differs by defender in conversation and iterative runs. */
  votes: number;
  block: number;
  allow: number;
  /** Every call asked of it, every turn and attempt included, and how many it abstained on. */
  calls: number;
  abstain: number;
  attackBlock: number;
  attackAllow: number;
  benignBlock: number;
  benignAllow: number;
  promptTokens: number;
  completionTokens: number;
  /** Votes whose token counts hive estimated (the server reported none). */
  estimatedVotes: number;
}

/** Per host (as the models table has it), the waits of the defender calls that went through a host slot. */
export interface HostQueueRow {
  /** The entry's configured host or base URL; null for an Ollama entry on OLLAMA_HOST or the local default. */
  host: string | null;
  defenders: string[];
  calls: number;
  totalQueueMs: number;
  totalLatencyMs: number;
  medianQueueMs: number | null;
}

/** A vote's service time: its latency without the wait for a host slot. */
const MEDIAN_SERVICE = 'v.latency_ms - coalesce(v.queue_ms, 0)';

/** The `votes` table: one row per defender asked per round. */
export class VotesTable extends Table {
  /** One vote of a round (`turn`: 0, or the turns row it judged); the caller holds the transaction (Store.recordRound). Positional parameters: see RoundsTable.insert. */
  insert(runId: number, round: number, v: Vote, turn = 0): void {
    this.write(
      `INSERT INTO votes (run_id, round, turn, defender, verdict, confidence, reason, latency_ms, prompt_tokens,
        completion_tokens, error, raw, p_block, reasoning, finish_reason, queue_ms, tokens_estimated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      runId,
      round,
      turn,
      v.defender,
      v.verdict,
      v.confidence,
      capOrNull(v.reason, MAX_STORED_REASON),
      v.latencyMs,
      v.promptTokens,
      v.completionTokens,
      capOrNull(v.error, MAX_STORED_REASON),
      capOrNull(v.raw, MAX_STORED_REASON),
      v.pBlock ?? null,
      capOrNull(v.reasoning, MAX_STORED_REASON),
      v.finishReason ?? null,
      v.queueMs ?? null,
      v.tokensEstimated ? 1 : 0,
    );
  }

  /** Votes of rounds first..last that decided them (one per defender per round), grouped by round. */
  byRound(runId: number, first: number, last: number): Map<number, VoteLite[]> {
    const out = new Map<number, VoteLite[]>();
    for (const r of this.rows<VoteLite & { round: number }>(
      `SELECT round, defender, verdict, error FROM deciding_votes WHERE run_id = ? AND round BETWEEN ? AND ? ORDER BY round, defender`,
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

  /** Every deciding vote of a run (one per defender per round) ordered by round then defender, one at a time. */
  forExport(runId: number): Generator<ExportVote> {
    return this.each(
      `SELECT round, defender, verdict, confidence, latency_ms AS latencyMs, error FROM deciding_votes WHERE run_id = ? ORDER BY round, defender`,
      runId,
    );
  }

  /** Names of the defenders that voted in a run, sorted. */
  defenders(runId: number): string[] {
    return this.rows<{ name: string }>(`SELECT DISTINCT defender AS name FROM votes WHERE run_id = ? ORDER BY defender`, runId).map((r) => r.name);
  }

  /**
   * Per defender (every one that voted): the median latency and the median service time (latency
   * minus the wait for a host slot, none counted as 0) of its votes, and the median wait over the
   * votes that went through a slot (null when none did: in-process defenders never wait), in ms. One pass per
   * figure over the run's votes, sorted by SQLite, whatever the number of defenders.
   */
  medians(runId: number): Map<string, { latency: number | null; service: number | null; queue: number | null }> {
    const out = new Map<string, { latency: number | null; service: number | null; queue: number | null }>();
    const of = (name: string): { latency: number | null; service: number | null; queue: number | null } => {
      let m = out.get(name);
      if (!m) out.set(name, (m = { latency: null, service: null, queue: null }));
      return m;
    };
    for (const [name, x] of this.mediansBy('v.latency_ms', 'v.run_id = ?', [runId])) of(name).latency = x;
    for (const [name, x] of this.mediansBy(MEDIAN_SERVICE, 'v.run_id = ?', [runId])) of(name).service = x;
    for (const [name, x] of this.mediansBy('v.queue_ms', 'v.run_id = ? AND v.queue_ms IS NOT NULL', [runId])) of(name).queue = x;
    return out;
  }

  /** Per host: the defenders on it, their calls and waits (votes without a queue figure are left out). */
  hostQueues(runId: number): HostQueueRow[] {
    const join = `votes v JOIN models m ON m.run_id = v.run_id AND m.role = 'defender' AND m.name = v.defender`;
    const groups = this.rows<{ host: string | null; defenders: string; calls: number; totalQueueMs: number; totalLatencyMs: number }>(
      `SELECT m.host AS host, group_concat(DISTINCT v.defender) AS defenders, count(*) AS calls, sum(v.queue_ms) AS totalQueueMs, sum(v.latency_ms) AS totalLatencyMs
       FROM ${join} WHERE v.run_id = ? AND v.queue_ms IS NOT NULL GROUP BY m.host ORDER BY m.host`,
      runId,
    );
    return groups.map((g) => ({
      ...g,
      defenders: g.defenders.split(',').sort(),
      medianQueueMs: this.median('v.queue_ms', 'v.run_id = ? AND v.queue_ms IS NOT NULL AND m.host IS ?', [runId, g.host], join),
    }));
  }

  /**
   * Per defender, the rounds the swarm judged by kind and the defender's own P(block), for
   * per-defender ROC (docs/numbers.md): its stored `p_block` (an embedded detector's calibrated
   * probability), else its confidence turned into a probability (block with confidence c → c,
   * allow → 1 − c), clamped to [0, 1] as src/defense/score.ts does. Votes with neither are left
   * out, so a defender without confidences has no AUC (and no entry). Every defender in one pass;
   * each one's rows ordered by kind, then score.
   */
  attackScores(runId: number): Map<string, Array<{ kind: 'attack' | 'benign'; score: number; n: number }>> {
    // The alias p_of_block is unique: GROUP BY on a name that is also a column of rounds binds to the column.
    const rows = this.rows<{ defender: string; kind: 'attack' | 'benign'; score: number; n: number }>(
      `SELECT p.defender AS defender, r.kind AS kind, p_of_block AS score, count(*) AS n FROM (
         SELECT v.defender, v.round, min(1.0, max(0.0, coalesce(v.p_block, CASE WHEN v.verdict = 'block' THEN v.confidence ELSE 1 - v.confidence END))) AS p_of_block
         FROM defender_votes v
         WHERE v.run_id = ? AND v.verdict IN ('block', 'allow') AND (v.p_block IS NOT NULL OR v.confidence IS NOT NULL)) p
       JOIN rounds r ON r.run_id = ? AND r.round = p.round
       WHERE r.decided_by = 'consensus'
       GROUP BY p.defender, r.kind, p_of_block`,
      runId,
      runId,
    );
    const out = new Map<string, Array<{ kind: 'attack' | 'benign'; score: number; n: number }>>();
    for (const { defender, ...row } of rows) {
      const list = out.get(defender);
      if (list) list.push(row);
      else out.set(defender, [row]);
    }
    return out;
  }

  /**
   * Per defender and kind: the repeats of the texts behind its detect and false-positive rates
   * (its block and allow votes on the rounds the swarm judged): Σm, distinct texts, Σm².
   */
  textRepeats(runId: number): Array<{ defender: string; kind: 'attack' | 'benign'; rounds: number; texts: number; squares: number }> {
    return this.rows(
      `SELECT defender, kind, sum(m) AS rounds, count(*) AS texts, sum(m * m) AS squares FROM (
         SELECT v.defender AS defender, r.kind AS kind, a.sha256, count(*) AS m
         FROM defender_votes v JOIN rounds r ON r.run_id = v.run_id AND r.round = v.round JOIN attacks a ON a.run_id = v.run_id AND a.round = v.round
         WHERE v.run_id = ? AND r.decided_by = 'consensus' AND v.verdict IN ('block', 'allow')
         GROUP BY 1, 2, 3)
       GROUP BY defender, kind`,
      runId,
    );
  }

  /**
   * Per defender, the median of `expr` over its votes matched by `where`: the middle one or two
   * values of each defender's sorted values (the same values, summed in the same order, as
   * `median` with a defender in `where`).
   */
  private mediansBy(expr: string, where: string, params: unknown[]): Map<string, number> {
    const middle = this.rows<{ defender: string; x: number }>(
      `SELECT defender, x FROM (
         SELECT v.defender AS defender, ${expr} AS x, row_number() OVER (PARTITION BY v.defender ORDER BY ${expr}) AS i, count(*) OVER (PARTITION BY v.defender) AS n
         FROM votes v WHERE ${where})
       WHERE i IN ((n + 1) / 2, (n + 2) / 2) ORDER BY defender, i`,
      ...params,
    );
    const sums = new Map<string, { sum: number; n: number }>();
    for (const r of middle) {
      const s = sums.get(r.defender);
      if (s) {
        s.sum += r.x;
        s.n += 1;
      } else sums.set(r.defender, { sum: r.x, n: 1 });
    }
    return new Map([...sums].map(([name, s]) => [name, s.sum / s.n]));
  }

  /** A median of `expr` over the votes matched by `where`, by offset in SQLite's sort: values are never all loaded. */
  private median(expr: string, where: string, params: unknown[], from = 'votes v'): number | null {
    const n = this.row<{ n: number }>(`SELECT count(*) AS n FROM ${from} WHERE ${where}`, ...params)?.n ?? 0;
    if (n === 0) return null;
    const middle = this.rows<{ x: number }>(`SELECT ${expr} AS x FROM ${from} WHERE ${where} ORDER BY x LIMIT ? OFFSET ?`, ...params, n % 2 === 0 ? 2 : 1, Math.floor((n - 1) / 2));
    return middle.reduce((sum, r) => sum + r.x, 0) / Math.max(1, middle.length);
  }

  /**
   * Per defender tallies over `defender_votes` (one vote per defender per round, as the defender
   * alone would have judged the round, and no row where the turns played do not decide that —
   * schema.ts, migration 10); a round counts as judged when the consensus decided it. Calls,
   * abstentions and tokens: every vote, since every turn's call was asked and paid for.
   */
  tallies(runId: number): DefenderTally[] {
    return this.rows<DefenderTally>(
      `SELECT c.name, coalesce(d.votes, 0) AS votes, coalesce(d.block, 0) AS block, coalesce(d.allow, 0) AS allow, c.calls, c.abstain,
         coalesce(d.attackBlock, 0) AS attackBlock, coalesce(d.attackAllow, 0) AS attackAllow, coalesce(d.benignBlock, 0) AS benignBlock, coalesce(d.benignAllow, 0) AS benignAllow,
         c.promptTokens, c.completionTokens, c.estimatedVotes
       FROM (SELECT defender AS name, count(*) AS calls, sum(verdict = 'abstain') AS abstain, sum(prompt_tokens) AS promptTokens, sum(completion_tokens) AS completionTokens, sum(tokens_estimated) AS estimatedVotes
             FROM votes WHERE run_id = ? GROUP BY defender) c
       LEFT JOIN (SELECT v.defender AS name, count(*) AS votes,
         sum(v.verdict = 'block') AS block, sum(v.verdict = 'allow') AS allow,
         sum(r.kind = 'attack' AND judged AND v.verdict = 'block') AS attackBlock, sum(r.kind = 'attack' AND judged AND v.verdict = 'allow') AS attackAllow,
         sum(r.kind = 'benign' AND judged AND v.verdict = 'block') AS benignBlock, sum(r.kind = 'benign' AND judged AND v.verdict = 'allow') AS benignAllow
         FROM defender_votes v JOIN (SELECT run_id, round, kind, decided_by = 'consensus' AS judged FROM rounds) r ON r.run_id = v.run_id AND r.round = v.round
         WHERE v.run_id = ? GROUP BY v.defender) d ON d.name = c.name
       ORDER BY c.name`,
      runId,
      runId,
    );
  }
}
