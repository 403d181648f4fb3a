import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { CATEGORY_IDS } from '../../src/categories.js';
import { hive, tempDir } from '../helpers/cli.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

function outcomes(db: string, runId: number): string[] {
  const d = new Database(db, { readonly: true });
  try {
    return (d.prepare('SELECT round, outcome FROM rounds WHERE run_id = ? ORDER BY round').all(runId) as Array<{ round: number; outcome: string }>).map(
      (r) => `${r.round}:${r.outcome}`,
    );
  } finally {
    d.close();
  }
}

describe('hive wargame on the embedded default', () => {
  const db = join(tmp.dir, 'hive.db');

  it('plays 500 rounds in 13 categories and stores every round, vote and healer event', async () => {
    const r = await hive(['wargame', '--rounds', '500', '--db', db]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const batchLines = r.stdout.split('\n').filter((l) => /^\s+\d+\s+\d+-\d+\s/.test(l));
    expect(batchLines).toHaveLength(10);
    expect(r.stdout).toContain('defence rate');
    expect(r.stdout).toContain('false-positive rate');
    for (const id of CATEGORY_IDS) expect(r.stdout).toContain(id);

    const d = new Database(db, { readonly: true });
    const one = <T>(sql: string): T => d.prepare(sql).get() as T;
    expect(one<{ n: number }>('SELECT count(*) n FROM rounds WHERE run_id = 1').n).toBe(500);
    expect(one<{ n: number }>('SELECT count(DISTINCT category) n FROM rounds WHERE run_id = 1').n).toBe(13);
    expect(one<{ n: number }>('SELECT count(*) n FROM attacks WHERE run_id = 1').n).toBe(500);
    // Every round the swarm judged has all five votes; healer-decided rounds have none.
    const judged = one<{ n: number }>(`SELECT count(*) n FROM rounds WHERE run_id = 1 AND decided_by = 'consensus'`).n;
    expect(one<{ n: number }>('SELECT count(*) n FROM votes WHERE run_id = 1').n).toBe(judged * 5);
    const breaches = one<{ n: number }>(`SELECT count(*) n FROM rounds WHERE run_id = 1 AND outcome = 'BREACHED'`).n;
    expect(breaches).toBeGreaterThan(0);
    expect(one<{ n: number }>(`SELECT count(*) n FROM healer_events WHERE run_id = 1 AND kind = 'antibody_added'`).n).toBe(breaches);
    expect(one<{ n: number }>(`SELECT count(*) n FROM healer_events WHERE run_id = 1 AND kind = 'pattern_learned'`).n).toBeGreaterThan(0);
    expect(one<{ n: number }>(`SELECT count(*) n FROM batches WHERE run_id = 1`).n).toBe(10);
    expect(one<{ status: string; seed: number }>('SELECT status, seed FROM runs WHERE id = 1')).toMatchObject({ status: 'completed', seed: 42 });
    d.close();
  });

  it('gives identical outcomes round by round for the same seed, at concurrency 1 and 8', async () => {
    const args = ['wargame', '--rounds', '300', '--seed', '9', '--db', db, '--quiet'];
    expect((await hive([...args, '--concurrency', '1'])).code).toBe(0);
    expect((await hive([...args, '--concurrency', '8'])).code).toBe(0);
    const a = outcomes(db, 2);
    const b = outcomes(db, 3);
    expect(a).toHaveLength(300);
    expect(b).toEqual(a);
    // The healer acted, so the equality is not trivially about a healer that never learns.
    expect(a.some((x) => x.endsWith('INSTANT_BLOCKED'))).toBe(true);
    // And another seed differs.
    expect((await hive([...args.slice(0, 3), '--seed', '10', '--db', db, '--quiet'])).code).toBe(0);
    expect(outcomes(db, 4)).not.toEqual(a);
  });

  it('runs without the healer when told', async () => {
    const r = await hive(['wargame', '--rounds', '60', '--no-heal', '--db', db, '--quiet']);
    expect(r.code).toBe(0);
    const d = new Database(db, { readonly: true });
    expect((d.prepare(`SELECT count(*) n FROM rounds WHERE run_id = 5 AND outcome = 'INSTANT_BLOCKED'`).get() as { n: number }).n).toBe(0);
    expect((d.prepare(`SELECT count(*) n FROM healer_events WHERE run_id = 5`).get() as { n: number }).n).toBe(0);
    d.close();
  });

  it('limits a run to the categories asked for', async () => {
    const r = await hive(['wargame', '--rounds', '40', '--category', 'obfuscation', '--category', 'logic_bomb', '--db', db, '--quiet']);
    expect(r.code).toBe(0);
    const d = new Database(db, { readonly: true });
    const cats = (d.prepare(`SELECT DISTINCT category FROM rounds WHERE run_id = 6 ORDER BY category`).all() as Array<{ category: string }>).map((x) => x.category);
    d.close();
    expect(cats).toEqual(['logic_bomb', 'obfuscation']);
  });
});

describe('errors a user can cause', () => {
  const db = join(tmp.dir, 'errors.db');
  const cases: Array<[string, string[], RegExp]> = [
    ['unknown category', ['--category', 'telepathy'], /unknown category "telepathy".*hive categories/],
    ['missing cast file', ['--cast', join(tmp.dir, 'nope.yaml')], /cast file not found: .*nope\.yaml/],
    ['zero rounds', ['--rounds', '0'], /--rounds must be a whole number from 1/],
    ['non-numeric rounds', ['--rounds', 'many'], /--rounds must be a whole number/],
  ];
  for (const [name, args, message] of cases) {
    it(`${name}: one line, exit 2, no stack trace`, async () => {
      const r = await hive(['wargame', '--db', db, ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.split('\n')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  }

  it('an invalid cast names the file and the key', async () => {
    const bad = join(tmp.dir, 'bad.yaml');
    writeFileSync(bad, 'name: x\nconsensus: { threshold: 9 }\ndefenders:\n  - { name: a, provider: embedded, model: signatures, colour: red }\n');
    const r = await hive(['wargame', '--cast', bad, '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cast .*bad\.yaml has 2 problems: \(1\) defenders\[0\]: unknown key "colour" \(valid keys: provider, model, name, role, vanguard\); \(2\) consensus\.threshold: is 9 but the cast has only 1 defender\. /);
    const yaml = join(tmp.dir, 'broken.yaml');
    writeFileSync(yaml, 'name: [unclosed\n');
    const r2 = await hive(['wargame', '--cast', yaml, '--db', db]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/not valid YAML/);
  });

  it('categories lists the 13 ids', async () => {
    const r = await hive(['categories']);
    expect(r.code).toBe(0);
    for (const id of CATEGORY_IDS) expect(r.stdout).toContain(id);
    expect(r.stdout).toContain('AML.T0051.000');
  });
});
