import type Database from 'better-sqlite3';
import { StoreError } from '../errors.js';

const SQLITE_BUSY = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_BUSY_SNAPSHOT']);

/**
 * better-sqlite3's compiled module failed to load: never built (an install that skipped its build
 * step), or built for another Node.js. Nothing to do with the database file.
 */
const NATIVE_MODULE = /Could not locate the bindings file|NODE_MODULE_VERSION|was compiled against a different Node\.js version|invalid ELF header|better_sqlite3\.node/;

/** Turns a better-sqlite3 error into one line a user can act on. */
export function storeError(path: string, err: unknown): StoreError {
  const code = (err as { code?: string }).code ?? '';
  const message = err instanceof Error ? err.message : String(err);
  if (NATIVE_MODULE.test(message)) {
    return new StoreError(
      `the SQLite module (better-sqlite3) is not built for this Node.js ${process.version}; run "npm rebuild better-sqlite3" in hive's folder (it needs python3, make and a C++ compiler), then try again.`,
      { cause: err },
    );
  }
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
  return new StoreError(`database ${path}: ${message}`, { cause: err });
}

/**
 * What every entity's API shares: the open database, statements prepared once per text, and
 * errors turned into StoreError lines. Subclasses hold the SQL of one entity (runs, rounds…).
 */
export abstract class Table {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    protected readonly db: Database.Database,
    protected readonly path: string,
  ) {}

  /** The statement for `sql`, prepared the first time it is asked for. */
  protected stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) this.statements.set(sql, (s = this.guard(() => this.db.prepare(sql))));
    return s;
  }

  protected rows<T>(sql: string, ...params: unknown[]): T[] {
    return this.guard(() => this.stmt(sql).all(...params) as T[]);
  }

  protected row<T>(sql: string, ...params: unknown[]): T | undefined {
    return this.guard(() => this.stmt(sql).get(...params) as T | undefined);
  }

  /** Rows one at a time (a run can hold 100,000 rounds); errors while iterating become StoreErrors too. */
  protected *each<T>(sql: string, ...params: unknown[]): Generator<T> {
    const it = this.guard(() => this.stmt(sql).iterate(...params) as IterableIterator<T>);
    try {
      for (;;) {
        const next = this.guard(() => it.next());
        if (next.done) return;
        yield next.value;
      }
    } finally {
      it.return?.();
    }
  }

  protected write(sql: string, ...params: unknown[]): Database.RunResult {
    return this.guard(() => this.stmt(sql).run(...params));
  }

  protected guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw storeError(this.path, err);
    }
  }
}
