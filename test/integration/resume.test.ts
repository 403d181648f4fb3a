/**
 * `hive wargame --resume` in-process, through the CLI: a run interrupted (Ctrl-C, as main.ts
 * delivers it) at several points and resumed each time ends with every round stored once, with
 * the outcomes, votes and healer events of an uninterrupted run with the same seed. Also: what
 * an interrupted run prints, what `hive runs` shows, and the ways a resume is refused.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { batchRow, hive, hiveInterrupted, tempDir } from '../helpers/cli.js';

const tmp = tempDir('hive-resume-');
afterAll(() => tmp.cleanup());

function query<T>(db: string, sql: string, ...params: unknown[]): T[] {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare(sql).all(...params) as T[];
  } finally {
    d.close();
  }
}

/** Everything a run stored that must not depend on being interrupted (timings left out). */
function fingerprint(db: string, runId: number) {
  return {
    rounds: query<Record<string, unknown>>(
      db,
      `SELECT round, batch, kind, category, attacker, outcome, decided_by, pattern_id, votes_block, votes_allow, votes_abstain, calls, score, error
       FROM rounds WHERE run_id = ? ORDER BY round`,
      runId,
    ),
    attacks: query<Record<string, unknown>>(db, `SELECT round, sha256, text_length, truncated, strategy FROM attacks WHERE run_id = ? ORDER BY round`, runId),
    votes: query<Record<string, unknown>>(db, `SELECT round, defender, verdict, confidence, reason, error FROM votes WHERE run_id = ? ORDER BY round, defender`, runId),
    healer: query<Record<string, unknown>>(
      db,
      `SELECT round, kind, pattern_id, pattern, category, source, source_round, reason FROM healer_events WHERE run_id = ? ORDER BY id`,
      runId,
    ),
    batches: query<Record<string, unknown>>(db, `SELECT batch, first_round, last_round, counts_json FROM batches WHERE run_id = ? ORDER BY batch`, runId),
    health: query<Record<string, unknown>>(db, `SELECT batch, defender, asked, abstained, degraded FROM defender_batches WHERE run_id = ? ORDER BY batch, defender`, runId),
  };
}

describe('resume after Ctrl-C', () => {
  const db = join(tmp.dir, 'resume.db');
  const args = ['wargame', '--rounds', '600', '--seed', '7', '--batch', '50', '--concurrency', '6', '--db', db];

  it('interrupted three times and resumed, the run equals an uninterrupted one round for round', async () => {
    const reference = await hive([...args, '--quiet']);
    expect(reference.code).toBe(0);

    // Ctrl-C after batch 2, then (resumed) after batch 5, then after batch 9, then to the end.
    const first = await hiveInterrupted(args, batchRow(2));
    expect(first.code).toBe(130);
    expect(first.stderr).toBe('stopping: finishing the rounds in flight (Ctrl-C again to abort them)…');
    expect(first.stdout).toMatch(/run 2 interrupted: stopped before the plan was complete; \d+ of 600 rounds stored\./);
    expect(first.stdout).toContain(`resume with: hive wargame --resume 2 --db ${db}`);
    // The summary so far is printed: totals and categories.
    expect(first.stdout).toContain('defence rate');
    expect(first.stdout).toContain('prompt_injection');
    expect(query<{ status: string }>(db, 'SELECT status FROM runs WHERE id = 2')[0]?.status).toBe('interrupted');

    const runs = await hive(['runs', '--db', db]);
    expect(runs.stdout).toContain('interrupted (resumable)');
    expect(runs.stdout).toContain(`run 2 (stopped before the plan was complete): hive wargame --resume 2 --db ${db}`);

    for (const stopAfter of [5, 9]) {
      const r = await hiveInterrupted(['wargame', '--resume', '2', '--concurrency', String(stopAfter), '--db', db], batchRow(stopAfter));
      expect(r.code).toBe(130);
      expect(r.stdout).toMatch(/^run 2 resumed \(was interrupted\): \d+ of 600 rounds already stored; seed 7, cast embedded, attackers embedded/);
    }
    const last = await hive(['wargame', '--resume', '2', '--db', db]);
    expect(last.stderr).toBe('');
    expect(last.code).toBe(0);
    expect(last.stdout).toContain(`run 2 completed: 600 rounds stored in ${db}`);
    // The final summary covers the whole run, not only the last session.
    expect(last.stdout).toMatch(/^rounds\s+600\s/m);

    const a = fingerprint(db, 1);
    const b = fingerprint(db, 2);
    expect(b.rounds.map((r) => r.round)).toEqual(Array.from({ length: 600 }, (_, i) => i + 1));
    expect(b.rounds).toEqual(a.rounds);
    expect(b.attacks).toEqual(a.attacks);
    expect(b.votes).toEqual(a.votes);
    expect(b.healer).toEqual(a.healer);
    expect(b.batches).toEqual(a.batches);
    expect(b.health).toEqual(a.health);
    expect(a.healer.some((e) => e.kind === 'pattern_learned')).toBe(true);
    expect(a.rounds.some((r) => r.outcome === 'INSTANT_BLOCKED')).toBe(true);
    expect(query<{ status: string }>(db, 'SELECT status FROM runs WHERE id = 2')[0]?.status).toBe('completed');
  });

  it('a second Ctrl-C aborts the rounds in flight; the run stays resumable', async () => {
    // Two Ctrl-C at once after batch 1: the first stops dispatching, the second aborts.
    const r = await hiveInterrupted([...args, '--seed', '8'], (line) => (batchRow(1)(line) ? 2 : 0));
    expect(r.code).toBe(130);
    const id = Number(/run (\d+) interrupted/.exec(r.stdout)?.[1]);
    const rounds = query<{ round: number }>(db, 'SELECT round FROM rounds WHERE run_id = ? ORDER BY round', id).map((x) => x.round);
    expect(rounds).toEqual(Array.from({ length: rounds.length }, (_, i) => i + 1));
    const done = await hive(['wargame', '--resume', String(id), '--db', db, '--quiet']);
    expect(done.code).toBe(0);
    expect(query<{ n: number }>(db, 'SELECT count(*) AS n FROM rounds WHERE run_id = ?', id)[0]?.n).toBe(600);
  });

  it('rebuilds a batch row lost to a kill between the round and the batch write', async () => {
    const r = await hiveInterrupted([...args, '--seed', '9'], batchRow(3));
    const id = Number(/run (\d+) interrupted/.exec(r.stdout)?.[1]);
    const d = new Database(db);
    d.prepare('DELETE FROM batches WHERE run_id = ? AND batch = 3').run(id);
    d.prepare('DELETE FROM defender_batches WHERE run_id = ? AND batch = 3').run(id);
    d.close();
    expect((await hive(['wargame', '--resume', String(id), '--db', db, '--quiet'])).code).toBe(0);
    const ref = await hive(['wargame', '--rounds', '600', '--seed', '9', '--batch', '50', '--db', db, '--quiet']);
    const refId = Number(/run (\d+) completed/.exec(ref.stdout)?.[1]);
    expect(fingerprint(db, id).batches).toEqual(fingerprint(db, refId).batches);
    expect(fingerprint(db, id).health).toEqual(fingerprint(db, refId).health);
  });
});

describe('resume refusals: one line, exit 2', () => {
  const db = join(tmp.dir, 'refusals.db');

  it('refuses what it cannot or must not continue', async () => {
    expect((await hive(['wargame', '--rounds', '30', '--db', db, '--quiet'])).code).toBe(0);
    const cases: Array<[string[], RegExp]> = [
      [['--resume', '1'], /^hive: run 1 is already completed \(30 of 30 rounds\); nothing to resume\./],
      [['--resume', '99'], /^hive: no run 99 in .*refusals\.db; "hive runs --db .*" lists the runs it holds\.$/],
      [['--resume', '1', '--seed', '3', '--cast', 'x.yaml'], /^hive: --cast, --seed cannot be combined with --resume: a resumed run keeps the plan and config it was started with\.$/],
      [['--resume', 'one'], /^hive: --resume must be a whole number/],
    ];
    for (const [extra, message] of cases) {
      const r = await hive(['wargame', '--db', db, ...extra]);
      expect(r.code, extra.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.split('\n')).toHaveLength(1);
    }
  });

  it('refuses a run another live process is playing, and resumes one whose process is gone', async () => {
    const d = new Database(db);
    // Run 1 "running" and owned by a live process on this machine (our parent).
    d.prepare(`UPDATE runs SET status = 'running', owner_pid = ? WHERE id = 1`).run(process.ppid);
    d.prepare(`DELETE FROM rounds WHERE run_id = 1 AND round > 20`).run();
    d.prepare(`DELETE FROM attacks WHERE run_id = 1 AND round > 20`).run();
    d.prepare(`DELETE FROM votes WHERE run_id = 1 AND round > 20`).run();
    d.prepare(`DELETE FROM healer_events WHERE run_id = 1 AND round > 20`).run();
    d.close();
    const live = await hive(['wargame', '--resume', '1', '--db', db]);
    expect(live.code).toBe(2);
    expect(live.stderr).toBe(`hive: run 1 is still being played by process ${process.ppid} on this machine; stop it (Ctrl-C) before resuming it.`);

    // The owner died (a pid that cannot exist): the run is resumed.
    new Database(db).prepare(`UPDATE runs SET owner_pid = 2147483646 WHERE id = 1`).run();
    const gone = await hive(['wargame', '--resume', '1', '--db', db, '--quiet']);
    expect(gone.code).toBe(0);
    expect(gone.stdout).toMatch(/^run 1 resumed \(was running\): 20 of 30 rounds already stored/);
  });

  it('refuses a run whose plan no longer comes out of its config, and a damaged config', async () => {
    expect((await hive(['wargame', '--rounds', '30', '--db', db, '--quiet', '--max-minutes', '0.00001'])).code).toBe(0);
    const d = new Database(db);
    const id = (d.prepare('SELECT max(id) AS id FROM runs').get() as { id: number }).id;
    d.prepare(`UPDATE runs SET plan_json = '[]' WHERE id = ?`).run(id);
    d.close();
    const r = await hive(['wargame', '--resume', String(id), '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/its plan no longer comes out of its seed and configuration/);

    new Database(db).prepare(`UPDATE runs SET config_json = '{"options":{}}' WHERE id = ?`).run(id);
    const bad = await hive(['wargame', '--resume', String(id), '--db', db]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^hive: run \d+ cannot be resumed: its stored configuration is damaged \(options\.rounds: /);
  });
});
