import { Table } from './table.js';

/**
 * A breach a run knows from before its first round: one its loaded immunity was learned from (an
 * immunity file of version 2 lists them with the attack's hash), or a loaded antibody's text
 * (version 1 files carry only those: `sha256` is null, and only near repeats can be told).
 */
export interface KnownBreach {
  sourceRun: number | null;
  sourceRound: number | null;
  sha256: string | null;
  /** MinHash signature, hex (src/healer/minhash.ts signatureHex). */
  signature: string;
  /** The embedded attacker's payload id of the breach; null: its attacker had none; absent: the immunity file did not record it. */
  payload?: string | null;
}

/** The `known_breaches` table. */
export class KnownBreachesTable extends Table {
  insertAll(runId: number, breaches: readonly KnownBreach[]): void {
    for (const b of breaches) {
      this.write(
        `INSERT INTO known_breaches (run_id, source_run, source_round, sha256, signature, payload) VALUES (?, ?, ?, ?, ?, ?)`,
        runId,
        b.sourceRun,
        b.sourceRound,
        b.sha256 ?? '',
        b.signature,
        // '' stands for "none" (an attacker without payload ids), NULL for "not recorded".
        b.payload === undefined ? null : (b.payload ?? ''),
      );
    }
  }

  list(runId: number): KnownBreach[] {
    return this.rows<{ sourceRun: number | null; sourceRound: number | null; sha256: string; signature: string; payload: string | null }>(
      `SELECT source_run AS sourceRun, source_round AS sourceRound, sha256, signature, payload FROM known_breaches WHERE run_id = ? ORDER BY rowid`,
      runId,
    ).map(({ payload, ...r }) => ({ ...r, sha256: r.sha256 === '' ? null : r.sha256, ...(payload === null ? {} : { payload: payload === '' ? null : payload }) }));
  }
}
