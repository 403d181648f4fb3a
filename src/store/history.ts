/**
 * What a resume reads back: the stored healer events in the order they were written, the attack
 * texts it needs (antibody sources, an adaptive attacker's memory), the votes of the batch in
 * progress, and the tokens each model has spent. Read-only queries over one run.
 */
import type { CategoryId } from '../categories.js';
import type { Verdict } from '../domain.js';
import type { HealerEvent, HealerEventKind, PatternSource, Provenance } from '../healer/healer.js';
import type { Store } from './store.js';

interface RawHealerEvent {
  round: number;
  kind: HealerEventKind;
  pattern_id: number | null;
  pattern: string | null;
  category: CategoryId | null;
  source: PatternSource;
  source_round: number | null;
  reason: string | null;
  origin_json: string | null;
  text: string | null;
}

/** Every healer event of the run, in the order it was stored (the order the healer made them). */
export function storedHealerEvents(store: Store, runId: number): HealerEvent[] {
  const rows = store.database
    .prepare(
      `SELECT round, kind, pattern_id, pattern, category, source, source_round, reason, origin_json, text
       FROM healer_events WHERE run_id = ? ORDER BY id`,
    )
    .all(runId) as RawHealerEvent[];
  return rows.map((r) => ({
    kind: r.kind,
    round: r.round,
    patternId: r.pattern_id,
    pattern: r.pattern,
    category: r.category,
    source: r.source,
    sourceRound: r.source_round,
    reason: r.reason,
    origin: r.origin_json === null ? null : (JSON.parse(r.origin_json) as Provenance),
    text: r.text,
  }));
}

/** Stored attack texts of the given rounds (capped texts: the cap is far above what a resume uses). */
export function attackTexts(store: Store, runId: number, rounds: Iterable<number>): Map<number, string> {
  const stmt = store.database.prepare(`SELECT text FROM attacks WHERE run_id = ? AND round = ?`);
  const out = new Map<number, string>();
  for (const round of rounds) {
    if (out.has(round)) continue;
    const row = stmt.get(runId, round) as { text: string } | undefined;
    if (row) out.set(round, row.text);
  }
  return out;
}

/**
 * The latest `perCategory` blocked attacks (DEFENDED or INSTANT_BLOCKED) of every category, with
 * their texts: what an adaptive attacker remembers.
 */
export function recentBlockedAttacks(store: Store, runId: number, perCategory: number): Array<{ round: number; category: string; text: string }> {
  return store.database
    .prepare(
      `SELECT round, category, text FROM (
         SELECT r.round, r.category, a.text, row_number() OVER (PARTITION BY r.category ORDER BY r.round DESC) AS n
         FROM rounds r JOIN attacks a ON a.run_id = r.run_id AND a.round = r.round
         WHERE r.run_id = ? AND r.kind = 'attack' AND r.outcome IN ('DEFENDED', 'INSTANT_BLOCKED'))
       WHERE n <= ? ORDER BY round`,
    )
    .all(runId, perCategory) as Array<{ round: number; category: string; text: string }>;
}

/** Votes of rounds first..last, grouped by round. */
export function votesByRound(
  store: Store,
  runId: number,
  first: number,
  last: number,
): Map<number, Array<{ defender: string; verdict: Verdict; error: string | null }>> {
  const rows = store.database
    .prepare(`SELECT round, defender, verdict, error FROM votes WHERE run_id = ? AND round BETWEEN ? AND ? ORDER BY round, defender`)
    .all(runId, first, last) as Array<{ round: number; defender: string; verdict: Verdict; error: string | null }>;
  const out = new Map<number, Array<{ defender: string; verdict: Verdict; error: string | null }>>();
  for (const r of rows) {
    const list = out.get(r.round) ?? [];
    list.push({ defender: r.defender, verdict: r.verdict, error: r.error });
    out.set(r.round, list);
  }
  return out;
}

/** Tokens every attacker and defender of the run has spent so far. */
export function tokensByModel(
  store: Store,
  runId: number,
): Array<{ role: 'attacker' | 'defender'; name: string; promptTokens: number; completionTokens: number }> {
  return store.database
    .prepare(
      `SELECT 'attacker' AS role, attacker AS name, sum(prompt_tokens) AS promptTokens, sum(completion_tokens) AS completionTokens
         FROM attacks WHERE run_id = ? GROUP BY attacker
       UNION ALL
       SELECT 'defender', defender, sum(prompt_tokens), sum(completion_tokens) FROM votes WHERE run_id = ? GROUP BY defender`,
    )
    .all(runId, runId) as Array<{ role: 'attacker' | 'defender'; name: string; promptTokens: number; completionTokens: number }>;
}

/** The batches that have their row (a kill between a batch's last round and its row leaves one without). */
export function batchNumbers(store: Store, runId: number): Set<number> {
  const rows = store.database.prepare(`SELECT batch FROM batches WHERE run_id = ?`).all(runId) as Array<{ batch: number }>;
  return new Set(rows.map((r) => r.batch));
}
