import { figures } from '../stats/outcomes.js';
import type { BatchRecord } from './records.js';
import { capOrNull, MAX_STORED_REASON } from './text.js';
import { Table } from './table.js';

/** The `batches` and `defender_batches` tables: a row per finished batch, and how each defender held up in it. */
export class BatchesTable extends Table {
  /** Writes (or rewrites) a batch row and its defender rows; the caller holds the transaction. */
  upsert(runId: number, b: BatchRecord): void {
    // The defence rate as the engine computed it (the text as the unit), not again from the counts.
    const defence = b.defenceRate;
    this.write(
      `INSERT OR REPLACE INTO batches (run_id, batch, first_round, last_round, counts_json, defence_rate,
        defence_ci_low, defence_ci_high, false_positive_rate) VALUES (@runId, @batch, @firstRound, @lastRound, @countsJson, @defenceRate,
        @low, @high, @fpr)`,
      {
        runId,
        batch: b.batch,
        firstRound: b.firstRound,
        lastRound: b.lastRound,
        // RECORDING_ENDED (replays only) is left out when zero: every other run's batch rows stay as they were.
        countsJson: JSON.stringify(b.counts, (key, value: unknown) => (key === 'RECORDING_ENDED' && value === 0 ? undefined : value)),
        defenceRate: defence.rate,
        low: defence.ci.low,
        high: defence.ci.high,
        fpr: figures(b.counts).falsePositive.rate,
      },
    );
    for (const h of b.defenders ?? []) {
      this.write(
        `INSERT OR REPLACE INTO defender_batches (run_id, batch, defender, asked, abstained, degraded, last_error)
         VALUES (@runId, @batch, @defender, @asked, @abstained, @degraded, @lastError)`,
        { runId, batch: b.batch, defender: h.defender, asked: h.asked, abstained: h.abstained, degraded: h.degraded ? 1 : 0, lastError: capOrNull(h.lastError, MAX_STORED_REASON) },
      );
    }
  }

  /** The batches that have their row (a kill between a batch's last round and its row leaves one without). */
  numbers(runId: number): Set<number> {
    return new Set(this.rows<{ batch: number }>(`SELECT batch FROM batches WHERE run_id = ?`, runId).map((r) => r.batch));
  }
}
