/**
 * What a new user's break-test found hive accepting in silence: a freeze after the last round
 * (no held-out phase), a report file whose ending names no format, and a --summary that wrote over
 * what earlier steps put in GitHub's shared step summary file.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hive, tempDir } from '../helpers/cli.js';

const tmp = tempDir('hive-silent-');
afterAll(() => tmp.cleanup());
const db = join(tmp.dir, 'runs.db');

describe('refused before any work', () => {
  it('--freeze-healer-after at or past --rounds: exit 2, nothing stored', async () => {
    const r = await hive(['wargame', '--rounds', '100', '--freeze-healer-after', '600', '--db', db]);
    expect(r.stderr).toBe('hive: --freeze-healer-after 600 leaves no held-out phase in a run of 100 rounds; pass a number below --rounds (e.g. --freeze-healer-after 50).');
    expect(r.code).toBe(2);
    expect(existsSync(db) ? (await hive(['runs', '--db', db])).stdout : '').not.toMatch(/^\s+1\s/m);
  });

  it('"--freeze-healer-after needs the healer" agrees in number', async () => {
    const r = await hive(['wargame', '--rounds', '100', '--freeze-healer-after', '50', '--no-heal', '--db', db]);
    expect(r.stderr).toMatch(/^hive: --freeze-healer-after needs the healer, which is off/);
  });

  it('report --out with an ending that names no format, and no --format', async () => {
    expect((await hive(['wargame', '--rounds', '20', '--db', db, '-q'])).code).toBe(0);
    const out = join(tmp.dir, 'r.xyz');
    const r = await hive(['report', '--db', db, '--out', out]);
    expect(r.stderr).toMatch(/^hive: cannot tell the format of --out .*r\.xyz from its ending "\.xyz": pass --format .*\.json \(json\)/);
    expect(r.code).toBe(2);
    expect(existsSync(out)).toBe(false);
    const md = join(tmp.dir, 'r.md');
    expect((await hive(['report', '--db', db, '--out', md])).code).toBe(0);
    expect(readFileSync(md, 'utf8')).toMatch(/^## hive report: run 1/m);
  });
});

describe('hive ci --summary', () => {
  it('appends to the file: what earlier steps wrote stays', async () => {
    const summary = join(tmp.dir, 'step-summary.md');
    writeFileSync(summary, '## Build\n\nearlier step\n');
    const r = await hive(['ci', '--cast', 'defenders/embedded.yaml', '--rounds', '40', '--min-defence', '0.1', '--summary', summary, '--db', db, '-q']);
    expect(r.code).toBe(0);
    const text = readFileSync(summary, 'utf8');
    expect(text.startsWith('## Build\n\nearlier step\n')).toBe(true);
    expect(text.length).toBeGreaterThan('## Build\n\nearlier step\n'.length + 20);
  });
});
