import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from '../errors.js';
import { TOOL_VERSION } from '../version.js';
import type { BatchRecord, RoundRecord, RunManifest, RunRow, RunStatus, StoredRound } from './records.js';
import { APPLICATION_ID, MIGRATIONS } from './schema.js';
import type { HealerEvent } from '../healer/healer.js';
import type { Vote } from '../domain.js';
import { figures } from '../stats/outcomes.js';

/** Stored attack texts are capped; the full length and a truncated flag are kept. */
export const MAX_STORED_TEXT = 64 * 1024;
/** Reasons and raw answers of votes are capped harder: they are diagnostics. */
export const MAX_STORED_REASON = 2000;

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** `text` cut to at most `max` UTF-16 units, never inside a surrogate pair. */
export function capText(text: string, max: number): string {
  return cap(text, max) as string;
}

function cap(text: string | null | undefined, max: number): string | null {
  if (text === null || text === undefined) return null;
  if (text.length <= max) return text;
  // Never cut a surrogate pair in half: the stored text would end in a lone surrogate.
  const end = isHighSurrogate(text.charCodeAt(max - 1)) ? max - 1 : max;
  return text.slice(0, end);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

const SQLITE_BUSY = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_BUSY_SNAPSHOT']);

/** Turns a better-sqlite3 error into one line a user can act on. */
export function storeError(path: string, err: unknown): StoreError {
  const code = (err as { code?: string }).code ?? '';
  if (SQLITE_BUSY.has(code)) {
    return new StoreError(`database ${path} is locked by another process; wait for it to finish or pass --db with another file.`, { cause: err });
  }
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new StoreError(`${path} is not a readable SQLite database (${code}); hive will not touch it: pass --db with another file.`, { cause: err });
  }
  if (code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN') {
    return new StoreError(`cannot write database ${path} (${code}); check the folder exists and is writable, or pass --db.`, { cause: err });
  }
  if (err instanceof StoreError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new StoreError(`database ${path}: ${message}`, { cause: err });
}

export interface OpenOptions {
  /** Open an existing database only, never create one (report, runs…). */
  mustExist?: boolean;
  busyTimeoutMs?: number;
}

export class Store {
  private readonly db: Database.Database;
  private readonly stmts: ReturnType<Store['prepare']>;

  private constructor(
    readonly path: string,
    db: Database.Database,
  ) {
    this.db = db;
    this.stmts = this.prepare();
  }

  static open(path: string, options: OpenOptions = {}): Store {
    if (options.mustExist && !existsSync(path)) {
      throw new StoreError(`no database at ${path}; run "hive wargame" first or pass --db with the file that holds your runs.`);
    }
    if (existsSync(path) && statSync(path).isDirectory()) {
      throw new StoreError(`${path} is a folder, not a database file; pass --db with a file path.`);
    }
    let db: Database.Database | undefined;
    try {
      mkdirSync(dirname(path), { recursive: true });
      db = new Database(path);
      db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
      Store.checkIdentity(path, db);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      // One transaction per round writes a handful of pages; at the default checkpoint interval
      // (1000 pages) the checkpoints' fsyncs cost more than the inserts. 8192 pages is a WAL of
      // 32 MB at most, truncated back to 64 MB or less after each checkpoint and removed on close.
      db.pragma('wal_autocheckpoint = 8192');
      db.pragma('journal_size_limit = 67108864');
      // Rounds are appended: the pages a transaction touches are the right edges of a few
      // B-trees. better-sqlite3's default page cache (16 MB) only adds to a long run's memory.
      db.pragma('cache_size = -4096');
      db.pragma('foreign_keys = ON');
      Store.migrate(db);
      return new Store(path, db);
    } catch (err) {
      db?.close();
      throw storeError(path, err);
    }
  }

  /** A fresh file becomes a hive database; a file of someone else's is refused, never overwritten. */
  private static checkIdentity(path: string, db: Database.Database): void {
    const appId = db.pragma('application_id', { simple: true }) as number;
    if (appId === APPLICATION_ID) return;
    const tables = db.prepare(`SELECT count(*) AS n FROM sqlite_master`).get() as { n: number };
    if (appId !== 0 || tables.n > 0) {
      throw new StoreError(`${path} is a SQLite database but not a hive one; hive will not touch it: pass --db with another file.`);
    }
    db.pragma(`application_id = ${APPLICATION_ID}`);
  }

  private static migrate(db: Database.Database): void {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > MIGRATIONS.length) {
      throw new StoreError(`database schema version ${version} is newer than this hive understands (${MIGRATIONS.length}); upgrade hive.`);
    }
    for (let v = version; v < MIGRATIONS.length; v++) {
      db.transaction(() => {
        db.exec(MIGRATIONS[v] as string);
        db.pragma(`user_version = ${v + 1}`);
      })();
    }
  }

  private prepare() {
    const db = this.db;
    return {
      insertRun: db.prepare(`INSERT INTO runs (kind, status, created_at, seed, tool_version, cast_name, attackers_name, rounds_planned,
        batch_size, replay_of, config_json, config_hash, plan_json) VALUES (@kind, 'running', @createdAt, @seed, @toolVersion, @castName,
        @attackersName, @roundsPlanned, @batchSize, @replayOf, @configJson, @configHash, @planJson)`),
      insertModel: db.prepare(`INSERT OR REPLACE INTO models (run_id, role, name, defender_role, provider, model, host, digest)
        VALUES (@runId, @role, @name, @defenderRole, @provider, @model, @host, @digest)`),
      insertAttack: db.prepare(`INSERT INTO attacks (run_id, round, category, attacker, kind, text, text_length, truncated, sha256, refused,
        strategy, attempts, prompt_tokens, completion_tokens, latency_ms, source) VALUES (@runId, @round, @category, @attacker, @kind, @text,
        @textLength, @truncated, @sha256, @refused, @strategy, @attempts, @promptTokens, @completionTokens, @latencyMs, @source)`),
      insertRound: db.prepare(`INSERT INTO rounds (run_id, round, batch, kind, category, attacker, outcome, decided_by, pattern_id,
        votes_block, votes_allow, votes_abstain, calls, score, latency_ms, error, antibodies, antibody_tokens, calls_aborted, calls_skipped)
        VALUES (@runId, @round, @batch, @kind, @category, @attacker, @outcome, @decidedBy, @patternId, @votesBlock, @votesAllow, @votesAbstain,
        @calls, @score, @latencyMs, @error, @antibodies, @antibodyTokens, @callsAborted, @callsSkipped)`),
      insertVote: db.prepare(`INSERT INTO votes (run_id, round, defender, verdict, confidence, reason, latency_ms, prompt_tokens,
        completion_tokens, error, raw) VALUES (@runId, @round, @defender, @verdict, @confidence, @reason, @latencyMs, @promptTokens,
        @completionTokens, @error, @raw)`),
      insertHealerEvent: db.prepare(`INSERT INTO healer_events (run_id, round, kind, pattern_id, pattern, category, source, source_round,
        reason, origin_json, text) VALUES (@runId, @round, @kind, @patternId, @pattern, @category, @source, @sourceRound, @reason, @originJson,
        @text)`),
      upsertBatch: db.prepare(`INSERT OR REPLACE INTO batches (run_id, batch, first_round, last_round, counts_json, defence_rate,
        defence_ci_low, defence_ci_high, false_positive_rate) VALUES (@runId, @batch, @firstRound, @lastRound, @countsJson, @defenceRate,
        @low, @high, @fpr)`),
      upsertDefenderBatch: db.prepare(`INSERT OR REPLACE INTO defender_batches (run_id, batch, defender, asked, abstained, degraded, last_error)
        VALUES (@runId, @batch, @defender, @asked, @abstained, @degraded, @lastError)`),
      finish: db.prepare(`UPDATE runs SET status = @status, stop_reason = @stopReason, finished_at = @finishedAt WHERE id = @runId`),
    };
  }

  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw storeError(this.path, err);
    }
  }

  createRun(manifest: RunManifest): number {
    return this.guard(() =>
      this.db.transaction(() => {
        const configJson = JSON.stringify(manifest.config);
        const info = this.stmts.insertRun.run({
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
        });
        const runId = Number(info.lastInsertRowid);
        for (const m of manifest.models) this.stmts.insertModel.run({ runId, ...m });
        return runId;
      })(),
    );
  }

  /** A model's digest, once the provider has reported it. */
  setModelDigest(runId: number, role: 'defender' | 'attacker', name: string, digest: string): void {
    this.guard(() => this.db.prepare(`UPDATE models SET digest = ? WHERE run_id = ? AND role = ? AND name = ?`).run(digest, runId, role, name));
  }

  /** One round, its attack, its votes and the healer events it caused, in one transaction. */
  recordRound(runId: number, r: RoundRecord): void {
    this.guard(() =>
      this.db.transaction(() => {
        const text = cap(r.text, MAX_STORED_TEXT) as string;
        this.stmts.insertAttack.run({
          runId,
          round: r.round,
          category: r.category,
          attacker: r.attacker,
          kind: r.kind,
          text,
          textLength: Math.max(r.textLength ?? 0, r.text.length),
          truncated: text.length < Math.max(r.textLength ?? 0, r.text.length) ? 1 : 0,
          sha256: sha256(r.text),
          refused: r.refused ? 1 : 0,
          strategy: r.strategy,
          attempts: r.attempts,
          promptTokens: r.attackPromptTokens,
          completionTokens: r.attackCompletionTokens,
          latencyMs: r.attackLatencyMs,
          source: r.source,
        });
        this.stmts.insertRound.run({
          runId,
          round: r.round,
          batch: r.batch,
          kind: r.kind,
          category: r.category,
          attacker: r.attacker,
          outcome: r.outcome,
          decidedBy: r.decidedBy,
          patternId: r.patternId,
          votesBlock: r.votesBlock,
          votesAllow: r.votesAllow,
          votesAbstain: r.votesAbstain,
          calls: r.votes.length,
          score: r.score,
          latencyMs: r.latencyMs,
          error: cap(r.error, MAX_STORED_REASON),
          antibodies: r.antibodies ?? 0,
          antibodyTokens: r.antibodyTokens ?? 0,
          callsAborted: r.callsAborted ?? 0,
          callsSkipped: r.callsSkipped ?? 0,
        });
        for (const v of r.votes) this.insertVote(runId, r.round, v);
        for (const e of r.healerEvents) this.insertHealerEvent(runId, e);
      })(),
    );
  }

  private insertVote(runId: number, round: number, v: Vote): void {
    this.stmts.insertVote.run({
      runId,
      round,
      defender: v.defender,
      verdict: v.verdict,
      confidence: v.confidence,
      reason: cap(v.reason, MAX_STORED_REASON),
      latencyMs: v.latencyMs,
      promptTokens: v.promptTokens,
      completionTokens: v.completionTokens,
      error: cap(v.error, MAX_STORED_REASON),
      raw: cap(v.raw, MAX_STORED_REASON),
    });
  }

  /** Healer events that belong to no round (vaccines and immunity loaded before round 1). */
  recordHealerEvents(runId: number, events: readonly HealerEvent[]): void {
    this.guard(() => this.db.transaction(() => events.forEach((e) => this.insertHealerEvent(runId, e)))());
  }

  private insertHealerEvent(runId: number, e: HealerEvent): void {
    this.stmts.insertHealerEvent.run({
      runId,
      round: e.round,
      kind: e.kind,
      patternId: e.patternId,
      pattern: e.pattern,
      category: e.category,
      source: e.source,
      sourceRound: e.sourceRound,
      reason: e.reason,
      originJson: e.origin ? JSON.stringify(e.origin) : null,
      text: e.text ?? null,
    });
  }

  /** A batch's counts and, when given, how each defender held up in it (one transaction). */
  recordBatch(runId: number, b: BatchRecord): void {
    const f = figures(b.counts);
    this.guard(() =>
      this.db.transaction(() => {
        this.stmts.upsertBatch.run({
          runId,
          batch: b.batch,
          firstRound: b.firstRound,
          lastRound: b.lastRound,
          countsJson: JSON.stringify(b.counts),
          defenceRate: f.defence.rate,
          low: f.defence.ci.low,
          high: f.defence.ci.high,
          fpr: f.falsePositive.rate,
        });
        for (const h of b.defenders ?? []) {
          this.stmts.upsertDefenderBatch.run({
            runId,
            batch: b.batch,
            defender: h.defender,
            asked: h.asked,
            abstained: h.abstained,
            degraded: h.degraded ? 1 : 0,
            lastError: cap(h.lastError, MAX_STORED_REASON),
          });
        }
      })(),
    );
  }

  /** Marks this process as the one playing the run, so a resume elsewhere can tell it is alive. */
  claimRun(runId: number, owner: { pid: number; host: string }): void {
    this.guard(() => this.db.prepare(`UPDATE runs SET owner_pid = ?, owner_host = ? WHERE id = ?`).run(owner.pid, owner.host, runId));
  }

  runOwner(runId: number): { pid: number; host: string } | undefined {
    const row = this.guard(() => this.db.prepare(`SELECT owner_pid AS pid, owner_host AS host FROM runs WHERE id = ?`).get(runId) as { pid: number | null; host: string | null } | undefined);
    return row && row.pid !== null && row.host !== null ? { pid: row.pid, host: row.host } : undefined;
  }

  finishRun(runId: number, status: RunStatus, stopReason: string | null = null): void {
    this.guard(() => this.stmts.finish.run({ runId, status, stopReason, finishedAt: new Date().toISOString() }));
  }

  /** Marks a run as running again (resume). */
  reopenRun(runId: number): void {
    this.guard(() => this.db.prepare(`UPDATE runs SET status = 'running', stop_reason = NULL, finished_at = NULL WHERE id = ?`).run(runId));
  }

  listRuns(): RunRow[] {
    return this.guard(() => (this.db.prepare(`${RUN_SELECT} ORDER BY r.id`).all() as RawRun[]).map(toRunRow));
  }

  getRun(id: number): RunRow | undefined {
    const raw = this.guard(() => this.db.prepare(`${RUN_SELECT} WHERE r.id = ?`).get(id) as RawRun | undefined);
    return raw ? toRunRow(raw) : undefined;
  }

  latestRunId(): number | undefined {
    const row = this.guard(() => this.db.prepare(`SELECT max(id) AS id FROM runs`).get() as { id: number | null });
    return row.id ?? undefined;
  }

  rounds(runId: number): StoredRound[] {
    return this.guard(
      () =>
        this.db
          .prepare(
            `SELECT round, batch, kind, category, attacker, outcome, decided_by AS decidedBy, pattern_id AS patternId, votes_block AS votesBlock,
             votes_allow AS votesAllow, votes_abstain AS votesAbstain, calls, score, latency_ms AS latencyMs, error
             FROM rounds WHERE run_id = ? ORDER BY round`,
          )
          .all(runId) as StoredRound[],
    );
  }

  /** Raw access for reports and tests; prefer the typed queries above. */
  get database(): Database.Database {
    return this.db;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

const RUN_SELECT = `SELECT r.*, (SELECT count(*) FROM rounds x WHERE x.run_id = r.id) AS rounds_done FROM runs r`;

interface RawRun {
  id: number;
  kind: RunRow['kind'];
  status: RunStatus;
  stop_reason: string | null;
  created_at: string;
  finished_at: string | null;
  seed: number;
  tool_version: string;
  cast_name: string;
  attackers_name: string | null;
  rounds_planned: number;
  batch_size: number;
  replay_of: number | null;
  config_json: string;
  config_hash: string;
  plan_json: string;
  rounds_done: number;
}

function toRunRow(r: RawRun): RunRow {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    stopReason: r.stop_reason,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
    seed: r.seed,
    toolVersion: r.tool_version,
    castName: r.cast_name,
    attackersName: r.attackers_name,
    roundsPlanned: r.rounds_planned,
    batchSize: r.batch_size,
    replayOf: r.replay_of,
    configJson: r.config_json,
    configHash: r.config_hash,
    planJson: r.plan_json,
    roundsDone: r.rounds_done,
  };
}
