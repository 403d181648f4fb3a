import type { ModelRecord } from './records.js';
import { Table } from './table.js';

/** A run's declared model, in declaration order. */
export interface StoredModel {
  name: string;
  role: string | null;
  provider: string;
  model: string;
}

/** The `models` table: every attacker and defender a run declared, with host and digest. */
export class ModelsTable extends Table {
  insert(runId: number, m: ModelRecord): void {
    this.write(
      `INSERT OR REPLACE INTO models (run_id, role, name, defender_role, provider, model, host, digest)
       VALUES (@runId, @role, @name, @defenderRole, @provider, @model, @host, @digest)`,
      { runId, ...m },
    );
  }

  /** A model's digest, once the provider has reported it. */
  setDigest(runId: number, role: 'defender' | 'attacker', name: string, digest: string): void {
    this.write(`UPDATE models SET digest = ? WHERE run_id = ? AND role = ? AND name = ?`, digest, runId, role, name);
  }

  /** The run's models of one role in declaration order; `role` of a defender is its defender role. */
  list(runId: number, role: 'defender' | 'attacker'): StoredModel[] {
    return this.rows<StoredModel>(
      `SELECT name, defender_role AS role, provider, model FROM models WHERE run_id = ? AND role = ? ORDER BY rowid`,
      runId,
      role,
    );
  }
}
