/**
 * Plain SQL on a hive database file, beside hive's own connection: for tests that recompute
 * figures by hand (as a reviewer would with the sqlite3 shell) or tamper with stored rows to
 * simulate damage. Behaviour tests use the store's API instead.
 */
import Database from 'better-sqlite3';

const open = new Map<string, Database.Database>();

/** A connection to `file`, shared per file for the test file's life (closed by closeSqlite). */
export function sqlite(file: string): Database.Database {
  let db = open.get(file);
  if (!db || !db.open) open.set(file, (db = new Database(file)));
  return db;
}

export function closeSqlite(): void {
  for (const db of open.values()) if (db.open) db.close();
  open.clear();
}
