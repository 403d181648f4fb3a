/**
 * Real `hive wargame` processes, killed for real. kill -9 at several points of a long embedded
 * run, each followed by `--resume`, leaves every round stored exactly once with the outcomes,
 * votes and healer events of an uninterrupted run with the same seed; after every kill the
 * database holds only whole rounds. Ctrl-C (SIGINT) stops gracefully: exit 130, the run marked
 * interrupted, the summary and the resume command printed.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli.js';
import { buildCli, spawnHive, waitForRounds, type BuiltCli } from '../helpers/child.js';

const tmp = tempDir('hive-crash-');
let cli: BuiltCli;
beforeAll(async () => {
  cli = await buildCli();
}, 60_000);
afterAll(() => {
  cli?.cleanup();
  tmp.cleanup();
});

function all<T>(db: string, sql: string, ...params: unknown[]): T[] {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare(sql).all(...params) as T[];
  } finally {
    d.close();
  }
}

/** What must not depend on crashes: every stored row but timings. */
function fingerprint(db: string) {
  return {
    rounds: all(db, `SELECT round, batch, kind, category, attacker, outcome, decided_by, pattern_id, votes_block, votes_allow, votes_abstain, score FROM rounds WHERE run_id = 1 ORDER BY round`),
    attacks: all(db, `SELECT round, sha256, text_length, strategy FROM attacks WHERE run_id = 1 ORDER BY round`),
    votes: all(db, `SELECT round, defender, verdict, confidence, reason FROM votes WHERE run_id = 1 ORDER BY round, defender`),
    healer: all(db, `SELECT round, kind, pattern_id, pattern, source_round, reason FROM healer_events WHERE run_id = 1 ORDER BY id`),
    batches: all(db, `SELECT batch, first_round, last_round, counts_json FROM batches WHERE run_id = 1 ORDER BY batch`),
  };
}

/** After a kill: rounds 1..n, each with its attack and all its votes, nothing half-written. */
function checkWhole(db: string): number {
  const rounds = all<{ round: number; decided_by: string; calls: number }>(db, 'SELECT round, decided_by, calls FROM rounds WHERE run_id = 1 ORDER BY round');
  expect(rounds.map((r) => r.round)).toEqual(Array.from({ length: rounds.length }, (_, i) => i + 1));
  const attacks = all<{ round: number }>(db, 'SELECT round FROM attacks WHERE run_id = 1 ORDER BY round').map((a) => a.round);
  expect(attacks).toEqual(rounds.map((r) => r.round));
  const votes = new Map(all<{ round: number; n: number }>(db, 'SELECT round, count(*) AS n FROM votes WHERE run_id = 1 GROUP BY round').map((v) => [v.round, v.n]));
  for (const r of rounds) expect(votes.get(r.round) ?? 0).toBe(r.decided_by === 'consensus' ? 5 : r.calls);
  const orphans = all<{ n: number }>(db, 'SELECT count(*) AS n FROM healer_events WHERE run_id = 1 AND round > ?', rounds.length)[0]?.n;
  expect(orphans).toBe(0);
  return rounds.length;
}

const ROUNDS = 1200;

describe('kill -9 and resume', () => {
  it(`a ${ROUNDS}-round run killed three times ends equal to an uninterrupted one`, async () => {
    const refDb = join(tmp.dir, 'reference.db');
    const db = join(tmp.dir, 'killed.db');
    const base = ['--quiet', '--concurrency', '4'];
    // The uninterrupted run plays beside the killed one, on its own database.
    const reference = spawnHive(cli, ['wargame', '--rounds', String(ROUNDS), '--seed', '11', '--db', refDb, ...base]);

    let session = spawnHive(cli, ['wargame', '--rounds', String(ROUNDS), '--seed', '11', '--db', db, ...base]);
    const stored: number[] = [];
    // Each kill point leaves hundreds of rounds to play: the session must not finish between two
    // polls of a test process that the loaded machine left unscheduled (900 of 1200 left a few
    // tenths of a second), or the kill lands on a process that already exited.
    const KILL_AT = [90, 400, 700];
    for (const at of KILL_AT) {
      await waitForRounds(db, 1, at);
      session.child.kill('SIGKILL');
      expect((await session.exited).signal).toBe('SIGKILL');
      stored.push(checkWhole(db));
      // A killed run is left `running`: nobody could mark it.
      expect(all<{ status: string }>(db, 'SELECT status FROM runs WHERE id = 1')[0]?.status).toBe('running');
      session = spawnHive(cli, ['wargame', '--resume', '1', '--db', db, ...base]);
    }
    const end = await session.exited;
    expect(session.stderr()).toBe('');
    expect(end.code).toBe(0);
    expect(session.stdout()).toContain(`run 1 completed: ${ROUNDS} rounds stored`);
    // Each kill landed at a different point and the next session went on from there.
    KILL_AT.forEach((at, i) => expect(stored[i]).toBeGreaterThanOrEqual(at));

    expect((await reference.exited).code).toBe(0);
    expect(checkWhole(db)).toBe(ROUNDS);
    const a = fingerprint(refDb);
    const b = fingerprint(db);
    expect(b.rounds).toEqual(a.rounds);
    expect(b.attacks).toEqual(a.attacks);
    expect(b.votes).toEqual(a.votes);
    expect(b.healer).toEqual(a.healer);
    expect(b.batches).toEqual(a.batches);
    expect(a.healer.length).toBeGreaterThan(0);
    expect(all<{ status: string }>(db, 'SELECT status FROM runs WHERE id = 1')[0]?.status).toBe('completed');
  });
});

describe('kill -9 with group commit', () => {
  it('a run at concurrency 8 (several rounds a commit) killed mid-run keeps only whole committed rounds, and its resume stores what an uninterrupted run stores', async () => {
    const refDb = join(tmp.dir, 'group-reference.db');
    const db = join(tmp.dir, 'group-killed.db');
    const args = ['wargame', '--rounds', '600', '--seed', '5', '--quiet', '--concurrency', '8'];
    const reference = spawnHive(cli, [...args, '--db', refDb]);
    const session = spawnHive(cli, [...args, '--db', db]);
    await waitForRounds(db, 1, 150);
    session.child.kill('SIGKILL');
    expect((await session.exited).signal).toBe('SIGKILL');
    // Rounds 1..k, each with its attack, votes and healer events: a group is committed whole or not at all.
    const stored = checkWhole(db);
    expect(stored).toBeGreaterThanOrEqual(150);
    expect(stored).toBeLessThan(600);
    const resumed = spawnHive(cli, ['wargame', '--resume', '1', '--db', db, '--quiet', '--concurrency', '8']);
    const end = await resumed.exited;
    expect(resumed.stderr()).toBe('');
    expect(end.code).toBe(0);
    expect((await reference.exited).code).toBe(0);
    expect(checkWhole(db)).toBe(600);
    const a = fingerprint(refDb);
    const b = fingerprint(db);
    expect(b).toEqual(a);
    expect(a.healer.length).toBeGreaterThan(0);
  }, 90_000);
});

describe('Ctrl-C on a real process', () => {
  it('the first SIGINT stops gracefully: exit 130, run interrupted, summary and resume command printed', async () => {
    const db = join(tmp.dir, 'sigint.db');
    const p = spawnHive(cli, ['wargame', '--rounds', '20000', '--db', db]);
    await waitForRounds(db, 1, 120);
    p.child.kill('SIGINT');
    const end = await p.exited;
    expect(end.code).toBe(130);
    expect(p.stderr()).toBe('stopping: finishing the rounds in flight (Ctrl-C again to abort them)…\n');
    const out = p.stdout();
    expect(out).toMatch(/run 1 interrupted: stopped before the plan was complete; \d+ of 20000 rounds stored\./);
    expect(out).toContain(`resume with: hive wargame --resume 1 --db ${db}`);
    expect(out).toContain('defence rate');
    // Not a terminal: no escape sequence of any kind in what was printed.
    expect(out.includes('\u001b')).toBe(false);
    expect(all<{ status: string; stop_reason: string }>(db, 'SELECT status, stop_reason FROM runs WHERE id = 1')[0]).toEqual({
      status: 'interrupted',
      stop_reason: 'stopped before the plan was complete',
    });
    const n = checkWhole(db);
    expect(out).toContain(`${n} of 20000 rounds stored`);
  });

  for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
    it(`${signal} (${signal === 'SIGHUP' ? 'the terminal closed' : 'kill'}) stops like the first Ctrl-C: exit 130, run interrupted and resumable`, async () => {
      const db = join(tmp.dir, `${signal}.db`);
      const p = spawnHive(cli, ['wargame', '--rounds', '20000', '--db', db, '--quiet']);
      await waitForRounds(db, 1, 60);
      p.child.kill(signal);
      const end = await p.exited;
      expect(end).toEqual({ code: 130, signal: null });
      expect(all<{ status: string }>(db, 'SELECT status FROM runs WHERE id = 1')[0]?.status).toBe('interrupted');
      checkWhole(db);
      expect(p.stdout()).toContain(`resume with: hive wargame --resume 1 --db ${db}`);
    });
  }

  it('a second SIGINT aborts; a third leaves at once; the run is resumable either way', async () => {
    const db = join(tmp.dir, 'sigint2.db');
    const p = spawnHive(cli, ['wargame', '--rounds', '20000', '--db', db, '--quiet']);
    await waitForRounds(db, 1, 60);
    p.child.kill('SIGINT');
    p.child.kill('SIGINT');
    p.child.kill('SIGINT');
    expect((await p.exited).code).toBe(130);
    checkWhole(db);
    const r = spawnHive(cli, ['runs', '--db', db]);
    expect((await r.exited).code).toBe(0);
    expect(r.stdout()).toMatch(/hive wargame --resume 1 --db /);
  });
});
