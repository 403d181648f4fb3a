/**
 * Immunity that carries across runs, vaccines, and the held-out phase, end to end through the CLI
 * on the embedded default (no model server).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_PATHS } from '../../src/config/paths.js';
import { readImmunityFile } from '../../src/healer/immunity.js';
import { loadVaccine } from '../../src/healer/vaccine.js';
import { hive, tempDir } from '../helpers/cli.js';

const tmp = tempDir('hive-immunity-cli-');
afterAll(() => tmp.cleanup());

const db = join(tmp.dir, 'hive.db');
const fileA = join(tmp.dir, 'a.json');
const fileB = join(tmp.dir, 'b.json');
const LAG = 16; // defenders/embedded.yaml

function query<T>(sql: string, ...args: unknown[]): T[] {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare(sql).all(...args) as T[];
  } finally {
    d.close();
  }
}
const count = (sql: string, ...args: unknown[]): number => (query<{ n: number }>(sql, ...args)[0] as { n: number }).n;

describe('immunity across runs', () => {
  const base = ['wargame', '--rounds', '200', '--seed', '7', '--db', db, '--quiet'];

  it('exports a run, and a run with the same seed and --immunity blocks instantly from the first batch', async () => {
    const first = await hive(base);
    expect(first.code, first.stderr).toBe(0);
    const exp = await hive(['immunity', 'export', '1', '--out', fileA, '--db', db]);
    expect(exp.code, exp.stderr).toBe(0);
    expect(exp.stdout).toMatch(/run 1: \d+ patterns? and \d+ antibod/);
    const a = readImmunityFile(fileA);
    expect(a.runs).toEqual([1]);
    expect(a.patterns.length).toBeGreaterThan(0);
    expect(a.antibodies.length).toBe(count(`SELECT count(DISTINCT a.sha256) n FROM rounds r JOIN attacks a USING (run_id, round) WHERE r.run_id = 1 AND r.outcome = 'BREACHED'`));
    for (const p of a.patterns) expect(p).toMatchObject({ run: 1, source: 'ngram' });
    const hits = a.patterns.reduce((n, p) => n + p.hits, 0);
    expect(hits).toBe(count(`SELECT count(*) n FROM rounds WHERE run_id = 1 AND outcome = 'INSTANT_BLOCKED'`));

    const second = await hive([...base, '--immunity', fileA]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/healer preloaded \(visible from round 1\): immunity: \d+ patterns? loaded/);
    const early = `SELECT count(*) n FROM rounds WHERE run_id = ? AND round <= ${LAG} AND outcome = 'INSTANT_BLOCKED'`;
    // Without immunity nothing can be blocked before the lag has passed; with it, the first rounds are.
    expect(count(early, 1)).toBe(0);
    expect(count(early, 2)).toBeGreaterThan(0);
    const batch1 = `SELECT count(*) n FROM rounds WHERE run_id = ? AND batch = 1 AND outcome = 'INSTANT_BLOCKED'`;
    expect(count(batch1, 2)).toBeGreaterThan(count(batch1, 1));
    // Every load is a round-0 healer event with source immunity and its provenance.
    const loads = query<{ kind: string; origin_json: string | null }>(`SELECT kind, origin_json FROM healer_events WHERE run_id = 2 AND round = 0`);
    expect(loads.length).toBe(a.patterns.length + a.antibodies.length);
    expect(count(`SELECT count(*) n FROM healer_events WHERE run_id = 2 AND round = 0 AND source <> 'immunity'`)).toBe(0);
    expect(loads.every((l) => l.origin_json !== null && JSON.parse(l.origin_json).run === 1)).toBe(true);
  });

  it('re-exports with provenance kept and hits accumulated; merge is order-independent', async () => {
    expect((await hive(['immunity', 'export', '2', '--out', fileB, '--db', db])).code).toBe(0);
    const a = readImmunityFile(fileA);
    const b = readImmunityFile(fileB);
    expect(b.runs).toEqual([1, 2]);
    for (const p of a.patterns.filter((x) => x.status === 'active')) {
      const again = b.patterns.find((x) => x.pattern === p.pattern);
      expect(again, p.pattern).toMatchObject({ run: 1, round: p.round, source: p.source });
      expect(again!.hits).toBeGreaterThanOrEqual(p.hits);
    }
    const ab = join(tmp.dir, 'ab.json');
    const ba = join(tmp.dir, 'ba.json');
    expect((await hive(['immunity', 'merge', fileA, fileB, '--out', ab])).code).toBe(0);
    expect((await hive(['immunity', 'merge', fileB, fileA, '--out', ba])).code).toBe(0);
    expect(readFileSync(ab, 'utf8')).toBe(readFileSync(ba, 'utf8'));
    const show = await hive(['immunity', 'show', ab, '--limit', '5']);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/hive immunity v2: \d+ patterns? \(\d+ active, \d+ retired\), \d+ antibod/);
    expect(show.stdout).toContain('run 1 round');
  });
});

describe('vaccines and the held-out phase', () => {
  it('--vaccine loads the starter vaccine as round-0 events with technique provenance', async () => {
    const starter = join(DEFAULT_PATHS.scenarios, 'vaccines', 'starter.yaml');
    const phrases = Object.values(loadVaccine(starter).categories).flat().reduce((n, g) => n + g.phrases.length, 0);
    const r = await hive(['wargame', '--rounds', '60', '--vaccine', starter, '--db', db, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`vaccine: ${phrases} patterns loaded, 0 rejected`);
    const runId = count(`SELECT max(id) n FROM runs`);
    expect(count(`SELECT count(*) n FROM healer_events WHERE run_id = ? AND round = 0 AND source = 'vaccine' AND kind = 'pattern_learned'`, runId)).toBe(phrases);
    const origin = query<{ origin_json: string }>(`SELECT origin_json FROM healer_events WHERE run_id = ? AND round = 0 LIMIT 1`, runId)[0]!;
    expect(JSON.parse(origin.origin_json)).toMatchObject({ source: 'vaccine', vaccine: 'starter', technique: expect.stringMatching(/^(AML\.T\d{4}|LLM\d\d)/) });
  });

  it('--freeze-healer-after N: no pattern learned after N, and the report gives the frozen-phase figures', async () => {
    const r = await hive(['wargame', '--rounds', '200', '--seed', '3', '--freeze-healer-after', '100', '--db', db, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const runId = count(`SELECT max(id) n FROM runs`);
    expect(count(`SELECT count(*) n FROM healer_events WHERE run_id = ? AND kind = 'pattern_learned' AND round <= 100`, runId)).toBeGreaterThan(0);
    expect(count(`SELECT count(*) n FROM healer_events WHERE run_id = ? AND round > 100`, runId)).toBe(0);
    expect(count(`SELECT count(*) n FROM rounds WHERE run_id = ? AND round > 100 AND outcome = 'BREACHED'`, runId)).toBeGreaterThan(0);

    const table = await hive(['report', String(runId), '--db', db]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain('Learning curve');
    expect(table.stdout).toContain('Held-out phase (rounds after 100, healer frozen)');
    expect(table.stdout).toMatch(/exact repeats of an earlier breach/);

    const json = await hive(['report', String(runId), '--db', db, '--format', 'json']);
    const report = JSON.parse(json.stdout) as { healer: { immunity: { frozen: { after_round: number; rounds: number; patterns_learned: number; defence_rate: number }; learning_curve: unknown[]; repeats: { instant_blocks: number; exact: number; near: number; same_payload: number; novel: number } } } };
    const im = report.healer.immunity;
    expect(im.frozen).toMatchObject({ after_round: 100, rounds: 100, patterns_learned: 0 });
    expect(im.learning_curve).toHaveLength(4);
    expect(im.repeats.exact + im.repeats.near + im.repeats.same_payload + im.repeats.novel).toBe(im.repeats.instant_blocks);
  });
});

describe('user errors: one line, exit 2', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['missing immunity file', ['wargame', '--db', db, '--rounds', '5', '--immunity', join(tmp.dir, 'none.json')], /immunity file not found: .*none\.json/],
    ['immunity without healer', ['wargame', '--db', db, '--rounds', '5', '--no-heal', '--immunity', fileA], /--immunity needs the healer, which is off/],
    ['bad freeze round', ['wargame', '--db', db, '--rounds', '5', '--freeze-healer-after', 'soon'], /--freeze-healer-after must be a whole number/],
    ['missing vaccine', ['wargame', '--db', db, '--rounds', '5', '--vaccine', join(tmp.dir, 'none.yaml')], /vaccine file not found/],
    ['unknown run', ['immunity', 'export', '99', '--db', db, '--out', join(tmp.dir, 'x.json')], /run 99 is not in/],
    ['bad file to show', ['immunity', 'show', join(tmp.dir, 'junk.json')], /immunity file .*junk\.json has \d+ problems: \(1\) format: must be "hive-immunity"/],
  ];
  for (const [name, args, message] of cases) {
    it(name, async () => {
      writeFileSync(join(tmp.dir, 'junk.json'), '{"format": "something-else"}');
      const runs = count(`SELECT count(*) n FROM runs`);
      const r = await hive(args);
      expect(r.code, r.stdout).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.split('\n')).toHaveLength(1);
      // A refused command leaves no run behind.
      expect(count(`SELECT count(*) n FROM runs`)).toBe(runs);
    });
  }
});
