/**
 * hive's SQLite file: opening it (identity check, migrations, pragmas) and the one API every other
 * module reads and writes runs through, grouped by entity (runs, models, rounds, votes, healer
 * events, batches, grouped figures). No SQL and no database handle leave this folder.
 */
import { existsSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { HealerEvent } from '../domain.js';
import { StoreError } from '../errors.js';
import { BatchesTable } from './batches.js';
import { FiguresTable } from './figures.js';
import { HealerEventsTable } from './healer-events.js';
import { KnownBreachesTable, type KnownBreach } from './known-breaches.js';
import { ModelsTable } from './models.js';
import type { BatchRecord, RoundRecord, RunManifest } from './records.js';
import { RoundsTable } from './rounds.js';
import { RunsTable } from './runs.js';
import { APPLICATION_ID, MIGRATIONS } from './schema.js';
import { storeError } from './table.js';
import { TurnsTable } from './turns.js';
import { VotesTable } from './votes.js';

export { capText, MAX_STORED_REASON, MAX_STORED_TEXT } from './text.js';
export { storeError } from './table.js';

export interface OpenOptions {
  /** Open an existing database only, never create one (report, runs…). */
  mustExist?: boolean;
  /** How long to wait for another process's write lock, in ms (default BUSY_TIMEOUT_MS). */
  busyTimeoutMs?: number;
}

/**
 * How long a hive process waits for another one's write lock before it gives up (ms). Writers hold
 * the lock for one round's transaction (milliseconds), but on a loaded CI runner a writer can be
 * descheduled for seconds: 5 s failed 6 processes starting together on 2 busy cores.
 */
export const BUSY_TIMEOUT_MS = 15_000;

export class Store {
  readonly runs: RunsTable;
  readonly models: ModelsTable;
  readonly rounds: RoundsTable;
  readonly votes: VotesTable;
  readonly healerEvents: HealerEventsTable;
  readonly batches: BatchesTable;
  readonly figures: FiguresTable;
  readonly knownBreaches: KnownBreachesTable;
  readonly turns: TurnsTable;

  private constructor(
    readonly path: string,
    private readonly db: Database.Database,
  ) {
    this.runs = new RunsTable(db, path);
    this.models = new ModelsTable(db, path);
    this.rounds = new RoundsTable(db, path);
    this.votes = new VotesTable(db, path);
    this.healerEvents = new HealerEventsTable(db, path);
    this.batches = new BatchesTable(db, path);
    this.figures = new FiguresTable(db, path);
    this.knownBreaches = new KnownBreachesTable(db, path);
    this.turns = new TurnsTable(db, path);
    this.inTransaction = db.transaction((fn: () => unknown) => fn());
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
      // Its folder must exist: the CLI checks output paths before any work, and makes runs/ for the default database.
      db = new Database(path);
      db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? BUSY_TIMEOUT_MS}`);
      // Before anything writes (WAL mode changes the file's header): someone else's file is left as it was.
      Store.checkIdentity(path, db);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      // One transaction per group of rounds writes a handful of pages; at the default checkpoint interval
      // (1000 pages) the checkpoints' fsyncs cost more than the inserts. 8192 pages is a WAL of
      // 32 MB at most, truncated back to 64 MB or less after each checkpoint and removed on close.
      db.pragma('wal_autocheckpoint = 8192');
      db.pragma('journal_size_limit = 67108864');
      // Rounds are appended: the pages a transaction touches are the right edges of a few
      // B-trees. better-sqlite3's default page cache (16 MB) only adds to a long run's memory.
      db.pragma('cache_size = -4096');
      db.pragma('foreign_keys = ON');
      Store.prepareSchema(path, db);
      return new Store(path, db);
    } catch (err) {
      db?.close();
      throw storeError(path, err);
    }
  }

  /** A file of someone else's is refused, never written: only hive's files and empty ones pass. */
  private static checkIdentity(path: string, db: Database.Database): void {
    // One statement, so one read of the file: read apart, another process could make a new file a
    // hive database between them (id 0, then its tables), and a fresh file looked like someone else's.
    const { appId, tables } = db.prepare(`SELECT (SELECT application_id FROM pragma_application_id) AS appId, (SELECT count(*) FROM sqlite_master) AS tables`).get() as {
      appId: number;
      tables: number;
    };
    if (appId === APPLICATION_ID) return;
    if (appId !== 0 || tables > 0) {
      throw new StoreError(`${path} is a SQLite database but not a hive one; hive will not touch it: pass --db with another file.`);
    }
  }

  /**
   * Makes a fresh file a hive database and migrates it, inside one write transaction (BEGIN
   * IMMEDIATE): several hive processes opening a new file at once read the schema version only
   * once it is theirs to change, so each migration runs exactly once.
   */
  private static prepareSchema(path: string, db: Database.Database): void {
    const upToDate = (): boolean => (db.pragma('application_id', { simple: true }) as number) === APPLICATION_ID && (db.pragma('user_version', { simple: true }) as number) === MIGRATIONS.length;
    // Most opens find a current hive file: no write lock is needed to see that.
    if (upToDate()) return;
    db.transaction(() => {
      // Another process may have made the file a hive database meanwhile: check again under the lock.
      Store.checkIdentity(path, db);
      if ((db.pragma('application_id', { simple: true }) as number) !== APPLICATION_ID) db.pragma(`application_id = ${APPLICATION_ID}`);
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version > MIGRATIONS.length) {
        throw new StoreError(`database schema version ${version} is newer than this hive understands (${MIGRATIONS.length}); upgrade hive.`);
      }
      for (let v = version; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v] as string);
      db.pragma(`user_version = ${MIGRATIONS.length}`);
    }).immediate();
  }

  /**
   * One transaction wrapper for the life of the store: better-sqlite3 builds a wrapper (and its
   * four variants) on every `db.transaction()` call, which per round was measurable.
   */
  private readonly inTransaction: (fn: () => unknown) => unknown;

  private transaction<T>(fn: () => T): T {
    try {
      return this.inTransaction(fn) as T;
    } catch (err) {
      throw storeError(this.path, err);
    }
  }

  /** A new run (status `running`) with its declared models; returns its id. */
  createRun(manifest: RunManifest): number {
    return this.transaction(() => {
      const runId = this.runs.insert(manifest);
      for (const m of manifest.models) this.models.insert(runId, m);
      return runId;
    });
  }

  /**
   * One round, its attack, its votes and the healer events it caused, in one transaction; a
   * conversation or iterative round with all its turns and their votes (whole or not at all).
   * `textSha256`: the hex SHA-256 of `r.text` when the caller computed it already.
   */
  recordRound(runId: number, r: RoundRecord, textSha256?: string): void {
    this.transaction(() => this.insertRound(runId, r, textSha256));
  }

  /**
   * Several rounds, in the order given, in one transaction (a group commit): all of them or none,
   * each whole. Each commit writes its pages to the WAL, so per-round commits cost more than the
   * inserts; the engine hands over the rounds it finalised in one event-loop turn.
   */
  recordRounds(runId: number, rounds: ReadonlyArray<{ record: RoundRecord; textSha256?: string }>): void {
    if (rounds.length === 0) return;
    this.transaction(() => {
      for (const r of rounds) this.insertRound(runId, r.record, r.textSha256);
    });
  }

  private insertRound(runId: number, r: RoundRecord, textSha256: string | undefined): void {
    this.rounds.insert(runId, r, textSha256);
    if (r.turns) {
      r.turns.forEach((t, i) => {
        this.turns.insert(runId, r.round, i + 1, t);
        for (const v of t.votes) this.votes.insert(runId, r.round, v, i + 1);
      });
    } else for (const v of r.votes) this.votes.insert(runId, r.round, v);
    for (const e of r.healerEvents) this.healerEvents.insert(runId, e);
  }

  /** Healer events that belong to no round (vaccines and immunity loaded before round 1). */
  recordHealerEvents(runId: number, events: readonly HealerEvent[]): void {
    this.transaction(() => events.forEach((e) => this.healerEvents.insert(runId, e)));
  }

  /** The breaches a run knows from before round 1 (loaded immunity), in one transaction. */
  recordKnownBreaches(runId: number, breaches: readonly KnownBreach[]): void {
    this.transaction(() => this.knownBreaches.insertAll(runId, breaches));
  }

  /** A batch's counts and, when given, how each defender held up in it (one transaction). */
  recordBatch(runId: number, b: BatchRecord): void {
    this.transaction(() => this.batches.upsert(runId, b));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
