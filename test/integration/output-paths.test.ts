/**
 * Output paths are checked before any work: a path hive cannot write costs no run, creates no
 * folder and never hangs; only runs/ for the default database is made by hive itself.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { hive, tempDir } from '../helpers/cli.js';
import { bundledCliForFile } from '../helpers/child.js';

const tmp = tempDir('hive-paths-');
const aFile = join(tmp.dir, 'a-file');
writeFileSync(aFile, 'not a folder\n');

afterAll(() => tmp.cleanup());

/** Runs stored in `db`, or 0 when the file was never made. */
function runsIn(db: string): number {
  if (!existsSync(db)) return 0;
  const d = new Database(db, { readonly: true });
  try {
    return (d.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n;
  } finally {
    d.close();
  }
}

describe('output paths are checked before the first round', () => {
  const ci = (db: string, extra: string[]) => hive(['ci', '--cast', 'defenders/embedded.yaml', '--rounds', '20', '--min-defence', '0', '--db', db, '-q', ...extra]);

  it('hive ci with --junit or --summary under a regular file exits 2 in one line and stores no run', async () => {
    const db = join(tmp.dir, 'ci.db');
    for (const flag of ['--junit', '--summary']) {
      const r = await ci(db, [flag, join(aFile, 'out.xml')]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`hive: cannot write ${flag} ${join(aFile, 'out.xml')}: ${aFile} is not a folder; pass ${flag} with a path in a writable folder.`);
      expect(r.stdout).not.toMatch(/gates passed|PASS/);
    }
    expect(runsIn(db)).toBe(0);
  });

  it('never creates the folders of a path, and never hangs on one (a /proc path answers at once)', async () => {
    const db = join(tmp.dir, 'ci2.db');
    const deep = join(tmp.dir, 'no', 'such', 'folder', 'hive.xml');
    const r = await ci(db, ['--junit', deep]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^hive: cannot write --junit .*hive\.xml: folder .*folder does not exist \(create it first, e\.g\. mkdir -p .*\); pass --junit/);
    expect(existsSync(join(tmp.dir, 'no'))).toBe(false);

    for (const path of ['/proc/self/hive/summary.md', '/proc/self/summary.md']) {
      const proc = await ci(db, ['--summary', path]);
      expect(proc.code).toBe(2);
      expect(proc.stderr).toMatch(new RegExp(`^hive: cannot write --summary ${path.replace(/[./]/g, '\\$&')}: `));
    }
    expect(runsIn(db)).toBe(0);

    const w = await hive(['wargame', '--rounds', '10', '--db', join(tmp.dir, 'nested', 'deeper', 'w.db')]);
    expect(w.code).toBe(2);
    expect(w.stderr).toMatch(/^hive: cannot write --db .*w\.db: folder .*deeper does not exist/);
    expect(existsSync(join(tmp.dir, 'nested'))).toBe(false);
  });

  it('refuses a folder as an output file, and an unwritable --out of report and immunity', async () => {
    const db = join(tmp.dir, 'w.db');
    expect((await hive(['wargame', '--rounds', '10', '--db', db, '-q'])).code).toBe(0);
    const folder = join(tmp.dir, 'a-folder');
    mkdirSync(folder);
    const r = await hive(['report', '1', '--db', db, '--out', folder]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${folder} is a folder, not a file`);
    const im = await hive(['immunity', 'export', '1', '--db', db, '--out', join(aFile, 'im.json')]);
    expect(im.code).toBe(2);
    expect(im.stderr).toMatch(/^hive: cannot write --out /);
  });

  it('immunity merge takes two or more files, as its help says', async () => {
    const db = join(tmp.dir, 'w.db');
    const one = join(tmp.dir, 'one.json');
    expect((await hive(['immunity', 'export', '1', '--db', db, '--out', one])).code).toBe(0);
    const r = await hive(['immunity', 'merge', one, '--out', join(tmp.dir, 'merged.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('hive: immunity merge needs two or more files (got 1); to copy one file, copy it.');
    expect(existsSync(join(tmp.dir, 'merged.json'))).toBe(false);
  });
});

describe('the default database', () => {
  const cli = bundledCliForFile();

  it('is made in runs/ of the working folder, which hive creates', async () => {
    const cwd = join(tmp.dir, 'fresh');
    mkdirSync(cwd);
    const child = spawn(process.execPath, [cli().main, 'wargame', '--rounds', '10', '-q'], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: 'ignore' });
    const code = await new Promise<number | null>((res) => child.on('close', res));
    expect(code).toBe(0);
    expect(runsIn(join(cwd, 'runs', 'hive.db'))).toBe(1);
  });
});
