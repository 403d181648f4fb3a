/**
 * At 80 columns no line of `hive report`, `hive compare` (its defence and false-positive tables,
 * and --flips) or `hive runs` is wider than 80, counted as layout counts them (ANSI stripped, wide
 * characters twice, string-width), over a wargame and its replay with the second shipped
 * embedded cast, and the figures are still there (a number is never cut).
 */
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import stringWidth from 'string-width';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hive, tempDir } from '../helpers/cli.js';

const tmp = tempDir('hive-eighty-');
const db = join(tmp.dir, 'runs.db');
const COLUMNS = { COLUMNS: '80' };

beforeAll(async () => {
  expect((await hive(['wargame', '--rounds', '300', '--db', db, '-q'])).code).toBe(0);
  expect((await hive(['replay', '1', '--cast', 'defenders/embedded-strict.yaml', '--db', db, '-q'])).code).toBe(0);
}, 120_000);
afterAll(() => tmp.cleanup());

const widest = (text: string): { width: number; line: string } =>
  text.split('\n').reduce((w, line) => {
    const n = stringWidth(stripVTControlCharacters(line));
    return n > w.width ? { width: n, line } : w;
  }, { width: 0, line: '' });

describe('at 80 columns', () => {
  for (const args of [['report', '1'], ['report', '2'], ['compare', '1', '2'], ['compare', '1', '2', '--flips'], ['runs']]) {
    it(`hive ${args.join(' ')} prints no line wider than 80`, async () => {
      const r = await hive([...args, '--db', db], COLUMNS);
      expect(r.code).toBe(0);
      const w = widest(r.stdout);
      expect(w.width, w.line).toBeLessThanOrEqual(80);
    });
  }

  it('the batch rows a wargame prints as it plays name the columns they leave out, under the heading', async () => {
    const r = await hive(['wargame', '--rounds', '100', '--db', join(tmp.dir, 'live.db')], COLUMNS);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    const head = lines.findIndex((l) => l.startsWith('batch '));
    expect(lines[head + 2]).toMatch(/^\(not shown at 80 columns: [a-z %[\]0-9,]+\)$/);
    expect(lines[head + 3]).toMatch(/^\s+1\s+1-50\s/);
    expect(widest(r.stdout).width).toBeLessThanOrEqual(80);
  });

  it('keeps every category row whole in number: the Categories table lists 13 rows with their intervals', async () => {
    const r = await hive(['report', '1', '--db', db], COLUMNS);
    const section = r.stdout.split('\nCategories\n')[1]?.split('\n\n')[0] ?? '';
    const rows = section.split('\n').slice(2).filter((l) => /\d+\.\d% \[\d+\.\d–\d+\.\d\]/.test(l));
    expect(rows).toHaveLength(13);
  });

  it('compare keeps the p-value whole and its Holm value in a column of its own', async () => {
    const r = await hive(['compare', '1', '2', '--db', db], { COLUMNS: '120' });
    const head = r.stdout.split('\n').find((l) => /^scope\s+attacks/.test(l)) ?? '';
    expect(head).toMatch(/\bp\s+Holm( p)?$/);
  });
});
