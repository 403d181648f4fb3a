/**
 * `hive compare` of conversation and iterative rounds: between two live wargames (each attacker
 * adapting to its own cast) every round that opens with the same input is paired — the round is
 * the unit, and leaving out the rounds whose later turns differ would keep a selection that
 * depends on the verdicts — saying how many went on differently; between a replay and its source,
 * the recorded sequence, with the recorded-pressure sentence.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hive, tempDir } from '../helpers/cli.js';
import { closeSqlite, sqlite } from '../helpers/sqlite.js';

const tmp = tempDir('hive-compare-seq-');
afterAll(() => {
  closeSqlite();
  tmp.cleanup();
});
const db = join(tmp.dir, 'seq.db');

/** Per conversation or iterative round of a run, the hashes of its user turns or attempts in order. */
function sequences(run: number): Map<number, string> {
  const rows = sqlite(db)
    .prepare(`SELECT round, group_concat(sha256, ' ') AS seq FROM (SELECT round, sha256 FROM turns WHERE run_id = ? AND role IN ('user', 'attempt') ORDER BY round, turn) GROUP BY round`)
    .all(run) as Array<{ round: number; seq: string }>;
  return new Map(rows.map((r) => [r.round, r.seq]));
}

describe('compare of conversation and iterative rounds', () => {
  const play = ['--rounds', '200', '--multi-turn', '0.3', '--max-turns', '5', '--refinements', '3', '--seed', '42', '--db', db, '--quiet'];
  beforeAll(async () => {
    const strict = join(tmp.dir, 'strict.yaml');
    writeFileSync(strict, readFileSync(join(import.meta.dirname, '..', '..', 'defenders', 'embedded.yaml'), 'utf8').replace('threshold: 2', 'threshold: 1').replace(/^name: .*$/m, 'name: strict'));
    // Runs 1 and 2: live wargames with one seed and two casts; run 3: run 1 replayed by the strict cast.
    expect((await hive(['wargame', ...play])).code).toBe(0);
    expect((await hive(['wargame', ...play, '--cast', strict])).code).toBe(0);
    expect((await hive(['replay', '1', '--cast', strict, '--db', db, '--quiet'])).code).toBe(0);
  }, 180_000);

  it('pairs every round of two live runs, also those whose sequences went on differently, and says how many', async () => {
    const a = sequences(1);
    const b = sequences(2);
    const same = [...a].filter(([round, seq]) => b.get(round) === seq).length;
    const differ = a.size - same;
    expect(differ).toBeGreaterThan(10);
    const c = JSON.parse((await hive(['compare', '1', '2', '--db', db, '--format', 'json'])).stdout);
    expect(c).toMatchObject({ paired: true, basis: 'identical-inputs', rounds: 200, recorded_pressure_rounds: 0, same_sequence_rounds: same, different_sequence_rounds: differ });
    // Every attack round is in the pairs, so the paired rates are the runs' own defence rates.
    const totals = async (run: string) => JSON.parse((await hive(['report', run, '--db', db, '--format', 'json'])).stdout).totals;
    const [ta, tb] = [await totals('1'), await totals('2')];
    expect(c.groups[0].defence.n).toBe(ta.valid_attacks);
    expect(c.groups[0].defence.a_rate).toBeCloseTo(ta.defence_rate, 10);
    expect(c.groups[0].defence.b_rate).toBeCloseTo(tb.defence_rate, 10);
    const table = (await hive(['compare', '1', '2', '--db', db])).stdout.replace(/\s+/g, ' ');
    expect(table).not.toMatch(/recorded pressure/);
    expect(table).toContain(`${same} played the same whole sequence in both runs, ${differ} went on differently after the same first input`);
    expect(table).toContain('all are paired');
  });

  it('pairs a replay with its source on the recorded sequence, and says it is recorded pressure', async () => {
    const c = JSON.parse((await hive(['compare', '1', '3', '--db', db, '--format', 'json'])).stdout);
    expect(c).toMatchObject({ paired: true, basis: 'replay', rounds: 200, mismatched_rounds: 0, recorded_pressure_rounds: sequences(1).size, different_sequence_rounds: 0 });
    expect((await hive(['compare', '1', '3', '--db', db])).stdout).toMatch(/compared on the same recorded pressure \(the turns and attempts of run 1/);
  });
});
