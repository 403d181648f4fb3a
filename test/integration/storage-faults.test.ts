/**
 * Storage faults, through the CLI: a database locked by another writer is waited on, then
 * reported in one line (exit 2); a file that is not a hive database, garbage or a corrupt hive
 * database is refused and left byte for byte as it was; a database of an older schema is
 * migrated forward and its interrupted run resumed; a newer one is refused. And the store's
 * promise behind resume: a round is written whole or not at all.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPLICATION_ID, MIGRATIONS } from '../../src/store/schema.js';
import { BUSY_TIMEOUT_MS, Store } from '../../src/store/store.js';
import type { RoundRecord } from '../../src/store/records.js';
import { hive, tempDir } from '../helpers/cli.js';
import { closeSqlite, sqlite } from '../helpers/sqlite.js';

const tmp = tempDir('hive-storage-');
afterAll(() => {
  closeSqlite();
  tmp.cleanup();
});

/** A finished hive database to copy from. */
const good = join(tmp.dir, 'good.db');
beforeAll(async () => {
  const r = await hive(['wargame', '--rounds', '120', '--db', good, '--quiet']);
  expect(r.code).toBe(0);
}, 60_000);

function expectOneLine(r: { code: number; stderr: string }, message: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stderr.split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

/** Runs every command that opens a database against `file` and checks that none changed a byte. */
async function refusedUntouched(file: string, message: RegExp): Promise<void> {
  const before = readFileSync(file);
  for (const args of [
    ['wargame', '--rounds', '5', '--db', file, '--quiet'],
    ['runs', '--db', file],
    ['wargame', '--resume', '1', '--db', file],
  ]) {
    const r = await hive(args);
    expectOneLine(r, message);
  }
  expect(Buffer.compare(readFileSync(file), before)).toBe(0);
}

describe('files hive must not write into', () => {
  it('a SQLite database of another application', async () => {
    const file = join(tmp.dir, 'other-app.db');
    const d = new Database(file);
    d.exec(`CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers (name) VALUES ('Ada'), ('Grace');`);
    d.close();
    await refusedUntouched(file, /^hive: .*other-app\.db is a SQLite database but not a hive one; hive will not touch it: pass --db with another file\.$/);
    const check = new Database(file, { readonly: true });
    expect(check.prepare('SELECT count(*) AS n FROM customers').get()).toEqual({ n: 2 });
    check.close();
  });

  it('a SQLite database with another application id and no tables', async () => {
    const file = join(tmp.dir, 'other-id.db');
    const d = new Database(file);
    d.pragma('application_id = 1234');
    d.close();
    await refusedUntouched(file, /is a SQLite database but not a hive one/);
  });

  it('a file that is not SQLite at all', async () => {
    const file = join(tmp.dir, 'notes.db');
    writeFileSync(file, Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(20_000, 0x5a)]));
    await refusedUntouched(file, /^hive: .*notes\.db is not a readable SQLite database \(SQLITE_NOTADB\); hive will not touch it: pass --db with another file\.$/);
  });

  it('a hive database cut short (a copy interrupted, a full disk)', async () => {
    const file = join(tmp.dir, 'truncated.db');
    copyFileSync(good, file);
    truncateSync(file, Math.floor(statSync(file).size / 2));
    await refusedUntouched(file, /truncated\.db is not a readable SQLite database \(SQLITE_CORRUPT\)/);
  });

  it('a hive database with garbage over its pages', async () => {
    const file = join(tmp.dir, 'scrambled.db');
    const bytes = readFileSync(good);
    for (let i = 8192; i < bytes.length; i++) bytes[i] = (i * 131) & 0xff;
    writeFileSync(file, bytes);
    await refusedUntouched(file, /scrambled\.db is not a readable SQLite database \(SQLITE_CORRUPT\)/);
  });

  it('a hive database from a newer hive', async () => {
    const file = join(tmp.dir, 'future.db');
    copyFileSync(good, file);
    const d = new Database(file);
    d.pragma(`user_version = ${MIGRATIONS.length + 5}`);
    d.close();
    await refusedUntouched(file, new RegExp(`^hive: database schema version ${MIGRATIONS.length + 5} is newer than this hive understands \\(${MIGRATIONS.length}\\); upgrade hive\\.$`));
  });

  it('a folder', async () => {
    expectOneLine(await hive(['runs', '--db', tmp.dir]), /is a folder, not a database file; pass --db with a file path\.$/);
  });
});

describe('an older schema', () => {
  it('is migrated forward, keeps its runs, and an interrupted run from it resumes', async () => {
    // A version-1 database (the first migration only), holding an interrupted run of 120 rounds
    // with 70 stored: the run's rows are copied from a current database, columns of version 1 only.
    const current = join(tmp.dir, 'current.db');
    const first = await hive(['wargame', '--rounds', '120', '--db', current, '--quiet', '--seed', '5']);
    expect(first.code).toBe(0);
    const file = join(tmp.dir, 'v1.db');
    const d = new Database(file);
    d.pragma(`application_id = ${APPLICATION_ID}`);
    d.exec(MIGRATIONS[0] as string);
    d.pragma('user_version = 1');
    d.exec(`ATTACH '${current}' AS cur`);
    for (const table of ['runs', 'models', 'attacks', 'rounds', 'votes', 'healer_events', 'batches']) {
      const cols = (d.prepare(`PRAGMA main.table_info(${table})`).all() as Array<{ name: string }>).map((c) => c.name).join(', ');
      d.exec(`INSERT INTO main.${table} (${cols}) SELECT ${cols} FROM cur.${table}`);
    }
    d.exec(`DELETE FROM rounds WHERE round > 70; DELETE FROM attacks WHERE round > 70; DELETE FROM votes WHERE round > 70;
            DELETE FROM healer_events WHERE round > 70; DELETE FROM batches WHERE last_round > 70;
            UPDATE runs SET status = 'interrupted', stop_reason = 'stopped before the plan was complete', finished_at = NULL`);
    d.exec('DETACH cur');
    d.close();

    const runs = await hive(['runs', '--db', file]);
    expect(runs.code).toBe(0);
    expect(runs.stdout).toContain('70/120');
    const v = new Database(file, { readonly: true });
    expect(v.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    const columns = (v.prepare(`PRAGMA table_info(runs)`).all() as Array<{ name: string }>).map((c) => c.name);
    expect(columns).toContain('owner_pid');
    expect(v.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name = 'defender_batches'`).get()).toEqual({ n: 1 });
    v.close();

    const resumed = await hive(['wargame', '--resume', '1', '--db', file, '--quiet']);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    const outcomes = (db: string) =>
      (new Database(db, { readonly: true }).prepare('SELECT round, outcome FROM rounds WHERE run_id = 1 ORDER BY round').all() as Array<{ round: number; outcome: string }>).map(
        (r) => `${r.round}:${r.outcome}`,
      );
    expect(outcomes(file)).toEqual(outcomes(current));
  });
});

describe('a database another process is writing', () => {
  /** Holds the write lock of `file` from another process for `ms`, then commits. */
  function holdLock(file: string, ms: number): Promise<void> {
    const script = `
      const Database = require('better-sqlite3');
      const d = new Database(process.argv[1]);
      d.exec('BEGIN IMMEDIATE');
      process.stdout.write('locked\\n');
      setTimeout(() => { d.exec('COMMIT'); d.close(); }, Number(process.argv[2]));`;
    const child = spawn(process.execPath, ['-e', script, file, String(ms)], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
    return new Promise((resolve, reject) => {
      child.stdout.once('data', () => resolve());
      child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`lock holder exited ${code}`))));
    });
  }

  it('is waited on while the lock is brief', async () => {
    const file = join(tmp.dir, 'brief-lock.db');
    copyFileSync(good, file);
    await holdLock(file, 700);
    const r = await hive(['wargame', '--rounds', '20', '--db', file, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('is reported in one line (exit 2) when the lock outlasts the busy timeout', async () => {
    const file = join(tmp.dir, 'long-lock.db');
    copyFileSync(good, file);
    await holdLock(file, BUSY_TIMEOUT_MS + 4000);
    const started = Date.now();
    const r = await hive(['wargame', '--rounds', '20', '--db', file, '--quiet']);
    expectOneLine(r, /^hive: database .*long-lock\.db is locked by another process; wait for it to finish or pass --db with another file\.$/);
    // It waited the busy timeout before giving up.
    expect(Date.now() - started).toBeGreaterThanOrEqual(BUSY_TIMEOUT_MS - 500);
  }, 60_000);
});

describe('one transaction per round', () => {
  it('a round that fails half-way leaves nothing of itself behind', () => {
    const file = join(tmp.dir, 'atomic.db');
    copyFileSync(good, file);
    const store = Store.open(file);
    try {
      const count = (table: string) => (sqlite(store.path).prepare(`SELECT count(*) AS n FROM ${table} WHERE run_id = 1 AND round = 121`).get() as { n: number }).n;
      const vote = { defender: 'a', verdict: 'block' as const, confidence: 1, reason: 'r', latencyMs: 1, promptTokens: 0, completionTokens: 0 };
      const round: RoundRecord = {
        round: 121,
        batch: 3,
        kind: 'attack',
        category: 'obfuscation',
        attacker: 'mutator',
        text: 'x'.repeat(100),
        refused: false,
        strategy: null,
        attempts: 1,
        attackPromptTokens: 0,
        attackCompletionTokens: 0,
        attackLatencyMs: 0,
        source: null,
        outcome: 'DEFENDED',
        decidedBy: 'consensus',
        patternId: null,
        // The same defender twice: the second vote breaks the primary key, after the attack,
        // the round and the first vote were written inside the transaction.
        votes: [vote, vote],
        votesBlock: 2,
        votesAllow: 0,
        votesAbstain: 0,
        score: 1,
        latencyMs: 1,
        error: null,
        healerEvents: [{ kind: 'antibody_added', round: 121, patternId: null, pattern: null, category: 'obfuscation', source: 'ngram', sourceRound: 121, reason: null }],
      };
      expect(() => store.recordRound(1, round)).toThrow();
      for (const table of ['attacks', 'rounds', 'votes', 'healer_events']) expect(count(table), table).toBe(0);
      // The same round written correctly goes in whole.
      store.recordRound(1, { ...round, votes: [vote] });
      for (const table of ['attacks', 'rounds', 'votes', 'healer_events']) expect(count(table), table).toBe(1);
    } finally {
      store.close();
    }
    expect(existsSync(file)).toBe(true);
  });
});
