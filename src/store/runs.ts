import { TOOL_VERSION } from '../version.js';
import type { RunStatus } from '../domain.js';
import type { RunManifest, RunRow } from './records.js';
import { toRunRow, type RawRun } from './rows.js';
import { sha256 } from '../util/hash.js';
import { Table } from './table.js';

const RUN_SELECT = `SELECT r.*, (SELECT count(*) FROM rounds x WHERE x.run_id = r.id) AS rounds_done FROM runs r`;

/** The `runs` table: one row per run, its stored configuration and plan, its status and owner. */
export class RunsTable extends Table {
  /** Inserts the run (status `running`); its models go in with it, in the caller's transaction. */
  insert(manifest: RunManifest): number {
    const configJson = JSON.stringify(manifest.config);
    const info = this.write(
      `INSERT INTO runs (kind, status, created_at, seed, tool_version, cast_name, attackers_name, rounds_planned,
        batch_size, replay_of, config_json, config_hash, plan_json) VALUES (@kind, 'running', @createdAt, @seed, @toolVersion, @castName,
        @attackersName, @roundsPlanned, @batchSize, @replayOf, @configJson, @configHash, @planJson)`,
      {
        kind: manifest.kind,
        createdAt: new Date().toISOString(),
        seed: manifest.seed,
        toolVersion: TOOL_VERSION,
        castName: manifest.castName,
        attackersName: manifest.attackersName,
        roundsPlanned: manifest.roundsPlanned,
        batchSize: manifest.batchSize,
        replayOf: manifest.replayOf,
        configJson,
        configHash: sha256(configJson),
        planJson: JSON.stringify(manifest.plan),
      },
    );
    return Number(info.lastInsertRowid);
  }

  get(id: number): RunRow | undefined {
    const raw = this.row<RawRun>(`${RUN_SELECT} WHERE r.id = ?`, id);
    return raw ? toRunRow(raw) : undefined;
  }

  list(): RunRow[] {
    return this.rows<RawRun>(`${RUN_SELECT} ORDER BY r.id`).map(toRunRow);
  }

  latestId(): number | undefined {
    return this.row<{ id: number | null }>(`SELECT max(id) AS id FROM runs`)?.id ?? undefined;
  }

  /** Marks this process as the one playing the run, so a resume elsewhere can tell it is alive. */
  claim(runId: number, owner: { pid: number; host: string }): void {
    this.write(`UPDATE runs SET owner_pid = ?, owner_host = ? WHERE id = ?`, owner.pid, owner.host, runId);
  }

  owner(runId: number): { pid: number; host: string } | undefined {
    const row = this.row<{ pid: number | null; host: string | null }>(`SELECT owner_pid AS pid, owner_host AS host FROM runs WHERE id = ?`, runId);
    return row && row.pid !== null && row.host !== null ? { pid: row.pid, host: row.host } : undefined;
  }

  finish(runId: number, status: RunStatus, stopReason: string | null = null): void {
    this.write(`UPDATE runs SET status = ?, stop_reason = ?, finished_at = ? WHERE id = ?`, status, stopReason, new Date().toISOString(), runId);
  }

  /** Marks a run as running again (resume). */
  reopen(runId: number): void {
    this.write(`UPDATE runs SET status = 'running', stop_reason = NULL, finished_at = NULL WHERE id = ?`, runId);
  }

  /** The run a chain of replays starts from (itself when it replays nothing). */
  rootOf(runId: number): number {
    let id = runId;
    const seen = new Set<number>();
    for (;;) {
      seen.add(id);
      const parent = this.row<{ p: number | null }>(`SELECT replay_of AS p FROM runs WHERE id = ?`, id)?.p ?? null;
      if (parent === null || seen.has(parent)) return id;
      id = parent;
    }
  }
}
