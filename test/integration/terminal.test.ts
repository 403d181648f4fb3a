/**
 * hive as a user sees it: under a real pseudo-terminal 80 columns wide (util-linux `script`), with
 * colours on and off, and with its stdout closed under it (`hive … | head`). What the terminal
 * received is cut where a line ends or a redraw starts, so every piece is a line as drawn; the
 * batch rows are parsed back and checked against the counts stored in SQLite.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { displayWidth } from '../../src/report/render/layout.js';
import { tempDir } from '../helpers/cli.js';
import { bundledCliForFile, spawnHive } from '../helpers/child.js';

const tmp = tempDir('hive-terminal-');
const cli = bundledCliForFile();
afterAll(() => tmp.cleanup());

const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;

/** Runs hive under a pseudo-terminal of `cols` columns; resolves with every byte it drew. */
function underTerminal(args: string[], env: NodeJS.ProcessEnv, cols = 80): Promise<{ code: number | null; raw: string }> {
  const quoted = [process.execPath, cli().main, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn('script', ['-qec', `stty cols ${cols} rows 50; exec ${quoted}`, '/dev/null'], {
    cwd: join(import.meta.dirname, '..', '..'),
    env: { ...process.env, TERM: 'xterm-256color', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  child.stdout.on('data', (b: Buffer) => out.push(b));
  child.stderr.on('data', (b: Buffer) => out.push(b));
  return new Promise((res) => child.on('close', (code) => res({ code, raw: Buffer.concat(out).toString('utf8') })));
}

/** The lines as drawn: split where a line ends or the bar's redraw returns to column 1, control sequences removed. */
function drawnLines(raw: string): string[] {
  return raw
    .split(/\r?\n|\u001b\[1G/)
    .map((s) => stripVTControlCharacters(s).replace(/\r/g, ''))
    .filter((s) => s.trim() !== '');
}

/** The columns where each cell ends (right-aligned columns share them with their heading). */
const rightEdges = (line: string): number[] => [...line.matchAll(/\S+(?: \S+)*/g)].map((m) => (m.index ?? 0) + m[0].length);

function storedBatches(db: string): Array<{ batch: number; first_round: number; last_round: number; counts: Record<string, number> }> {
  const d = new Database(db, { readonly: true });
  try {
    const rows = d.prepare('SELECT batch, first_round, last_round, counts_json FROM batches WHERE run_id = 1 ORDER BY batch').all() as Array<{ batch: number; first_round: number; last_round: number; counts_json: string }>;
    return rows.map((r) => ({ ...r, counts: JSON.parse(r.counts_json) as Record<string, number> }));
  } finally {
    d.close();
  }
}

function runStatus(db: string): string {
  const d = new Database(db, { readonly: true });
  try {
    return (d.prepare('SELECT status FROM runs WHERE id = 1').get() as { status: string }).status;
  } finally {
    d.close();
  }
}

describe.skipIf(!hasScript)('hive wargame --rounds 200 under an 80-column terminal', () => {
  for (const colour of [true, false]) {
    it(`prints no line wider than 80 columns and lines every batch row up with its header (colours ${colour ? 'on' : 'off'})`, async () => {
      const db = join(tmp.dir, `tty-${colour}.db`);
      const { code, raw } = await underTerminal(['wargame', '--rounds', '200', '--db', db], colour ? { NO_COLOR: '' } : { NO_COLOR: '1' });
      expect(code).toBe(0);
      // Colour is really on (or off): the escape sequences reached the terminal.
      expect(/\u001b\[3\dm/.test(raw)).toBe(colour);
      const lines = drawnLines(raw);
      for (const l of lines) expect(displayWidth(l), l).toBeLessThanOrEqual(80);

      const header = lines.find((l) => /^batch\s+rounds\s+attacks/.test(l)) as string;
      expect(header).toBeDefined();
      const heads = header.trim().split(/\s{2,}/);
      expect(heads).toEqual(['batch', 'rounds', 'attacks', 'breach', 'defence [CI]', 'benign', 'FP', 'errors']);
      const rows = lines.filter((l) => /^\s*\d+\s+\d+-\d+\s/.test(l));
      const stored = storedBatches(db);
      expect(rows).toHaveLength(stored.length);
      expect(stored).toHaveLength(4);
      rows.forEach((row, i) => {
        expect(rightEdges(row)).toEqual(rightEdges(header));
        const cell = Object.fromEntries(row.trim().split(/\s{2,}/).map((v, k) => [heads[k], v]));
        const b = stored[i] as (typeof stored)[number];
        const c = b.counts as Record<string, number>;
        expect(cell).toMatchObject({
          batch: String(b.batch),
          rounds: `${b.first_round}-${b.last_round}`,
          attacks: String(c.attacks),
          breach: String(c.BREACHED),
          benign: String(c.benign),
          FP: String(c.FALSE_POSITIVE),
          errors: String(c.ERROR),
        });
        const valid = (c.attacks as number) - (c.ATTACKER_REFUSED as number) - (c.ERROR as number);
        const blocked = (c.DEFENDED as number) + (c.INSTANT_BLOCKED as number);
        expect(cell['defence [CI]']).toMatch(new RegExp(`^${((100 * blocked) / valid).toFixed(1)}% \\[\\d+\\.\\d–\\d+\\.\\d\\]$`));
      });
      // The tables that close the run fit too, and the run is complete.
      expect(lines.some((l) => /^defence rate\s+\d+\.\d%/.test(l))).toBe(true);
      expect(runStatus(db)).toBe('completed');
    });
  }
});

describe('a closed stdout', () => {
  it('stops a wargame as interrupted (exit 130, resumable, the resume command on stderr), no stack trace', async () => {
    const db = join(tmp.dir, 'pipe.db');
    const h = spawnHive(cli(), ['wargame', '--rounds', '2000', '--db', db]);
    // Like `| head -2`: the reader goes away after two lines.
    let seen = '';
    h.child.stdout?.on('data', (b: Buffer) => {
      seen += b.toString('utf8');
      if (seen.split('\n').length > 2) h.child.stdout?.destroy();
    });
    const { code } = await h.exited;
    expect(h.stderr()).not.toMatch(/EPIPE|Error:|\n\s+at /);
    expect(code).toBe(130);
    expect(runStatus(db)).toBe('interrupted');
    expect(h.stderr()).toMatch(/^hive: run 1 interrupted: .*; resume with: hive wargame --resume 1 --db .*pipe\.db$/m);
  });

  it('ends a report quietly with exit 0, in every format', async () => {
    const db = join(tmp.dir, 'pipe.db');
    for (const format of ['json', 'csv', 'html', 'table']) {
      const h = spawnHive(cli(), ['report', '--db', db, '--format', format]);
      // Like `| head -c 100` that already left: nothing can be written.
      h.child.stdout?.destroy();
      const { code } = await h.exited;
      expect(h.stderr(), format).toBe('');
      expect(code, format).toBe(0);
    }
  });
});

describe('a closed pipe given as --out', () => {
  it('ends immunity export --out /dev/stdout | head -3 quietly with exit 0, as hive report | head does', async () => {
    const db = join(tmp.dir, 'immunity-pipe.db');
    // 1000 rounds teach far more than a pipe holds (64 KiB): once head has its 3 lines and leaves,
    // the rest cannot fit and the write meets EPIPE.
    const played = spawnHive(cli(), ['wargame', '--rounds', '1000', '--db', db, '-q']);
    expect((await played.exited).code).toBe(0);
    // A shell pipe, as a user types it (a child's 'pipe' stdio is a socket, which /dev/stdout cannot reopen).
    const quoted = [process.execPath, cli().main, 'immunity', 'export', '1', '--out', '/dev/stdout', '--db', db].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const r = spawnSync('bash', ['-o', 'pipefail', '-c', `${quoted} | head -3`], { cwd: join(import.meta.dirname, '..', '..'), encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('{\n  "format": "hive-immunity",\n  "version": 2,\n');
    expect(r.status).toBe(0);
  });
});

/** Runs hive with its stdout on /dev/full (every write fails with ENOSPC); resolves with its exit code and stderr. */
function toFullDevice(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const full = openSync('/dev/full', 'w');
  const child = spawn(process.execPath, [cli().main, ...args], {
    cwd: join(import.meta.dirname, '..', '..'),
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', full, 'pipe'],
  });
  closeSync(full);
  const err: Buffer[] = [];
  child.stderr?.on('data', (b: Buffer) => err.push(b));
  return new Promise((res) => child.on('close', (code) => res({ code, stderr: Buffer.concat(err).toString('utf8') })));
}

describe.skipIf(!existsSync('/dev/full'))('a stdout that fails (a full disk, /dev/full)', () => {
  const named = /^hive: cannot write to standard output: no space left on device \(ENOSPC\)/m;

  it('stops a wargame as interrupted (resumable), names the error in one line, exit 2, no stack trace', async () => {
    const db = join(tmp.dir, 'full.db');
    const { code, stderr } = await toFullDevice(['wargame', '--rounds', '2000', '--db', db]);
    expect(stderr).not.toMatch(/Error:|\n\s+at |internal error/);
    expect(stderr).toMatch(named);
    expect(stderr.match(/cannot write to standard output/g)).toHaveLength(1);
    expect(code).toBe(2);
    expect(runStatus(db)).toBe('interrupted');
    // One line: the error, how the run ended and how to go on.
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^hive: cannot write to standard output: .*; run 1 interrupted: .*; resume with: hive wargame --resume 1 --db .*full\.db$/m);
  });

  it('ends report, runs, compare and ci with that one line and exit 2', async () => {
    const db = join(tmp.dir, 'full-reports.db');
    expect((await toFullDevice(['wargame', '--rounds', '40', '--db', db])).code).toBe(2);
    expect((await toFullDevice(['wargame', '--rounds', '40', '--seed', '7', '--db', db])).code).toBe(2);
    for (const args of [['report', '1'], ['report', '1', '--format', 'json'], ['runs'], ['compare', '1', '2'], ['ci', '--cast', 'defenders/embedded.yaml', '--rounds', '20', '--min-defence', '0.1']]) {
      const { code, stderr } = await toFullDevice([...args, '--db', db]);
      expect(stderr, args.join(' ')).not.toMatch(/Error:|\n\s+at |internal error/);
      expect(stderr, args.join(' ')).toMatch(named);
      expect(code, args.join(' ')).toBe(2);
    }
  });

  it('names a failed --out write in one line, exit 2', async () => {
    const db = join(tmp.dir, 'full-out.db');
    const h = spawnHive(cli(), ['wargame', '--rounds', '20', '--db', db]);
    expect((await h.exited).code).toBe(0);
    const out = spawnHive(cli(), ['report', '1', '--db', db, '--out', '/dev/full', '--format', 'csv']);
    const { code } = await out.exited;
    expect(out.stderr().trim()).toMatch(/^hive: cannot write --out \/dev\/full: no space left on device \(ENOSPC\);[^\n]*$/);
    expect(code).toBe(2);
  });
});
