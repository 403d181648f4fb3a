/**
 * `hive` as a real child process, for what only a process shows: signals (Ctrl-C, kill -9) and
 * exit codes. The CLI is bundled from src/ with rolldown (already installed: vitest's bundler) in
 * about a second, instead of a full `tsc` build, into a folder under the checkout's own
 * `.test-cache/` (git-ignored), from which hive finds this checkout's package folder (scenarios,
 * casts) and its dependencies, even where node_modules is a link to another checkout.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');

export interface BuiltCli {
  /** The bundled entry point: `node <main> wargame …`. */
  main: string;
  cleanup: () => void;
}

/**
 * `modules: true` keeps every source file its own output file (`<dir>/src/cli/main.mjs` …), so a
 * loader trace names the modules a command loads; otherwise one entry and a chunk per dynamic import.
 */
export async function buildCli(opts: { modules?: boolean } = {}): Promise<BuiltCli> {
  const { build } = await import('rolldown');
  const dir = join(ROOT, '.test-cache', `hive-child-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  mkdirSync(dir, { recursive: true });
  await build({
    input: join(ROOT, 'src', 'cli', 'main.ts'),
    platform: 'node',
    // Packages stay outside the bundle (better-sqlite3 is native); only our own files go in.
    external: (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0'),
    resolve: { extensionAlias: { '.js': ['.ts', '.js'] } },
    logLevel: 'silent',
    output: opts.modules
      ? { dir, format: 'esm', preserveModules: true, preserveModulesRoot: ROOT, entryFileNames: '[name].mjs' }
      : { dir, format: 'esm', entryFileNames: 'main.mjs' },
  });
  const main = opts.modules ? join(dir, 'src', 'cli', 'main.mjs') : join(dir, 'main.mjs');
  return { main, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The CLI bundled once for the calling test file: built before its first test, removed after its
 * last. Call at the top of a test file; the returned function gives the build inside a test.
 */
export function bundledCliForFile(): () => BuiltCli {
  let cli: BuiltCli | undefined;
  beforeAll(async () => {
    cli = await buildCli();
  }, 60_000);
  afterAll(() => cli?.cleanup());
  return () => {
    if (!cli) throw new Error('the CLI is built in beforeAll: ask for it inside a test');
    return cli;
  };
}

export interface HiveChild {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (or 128 + signal number when killed by a signal). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnHive(cli: BuiltCli, args: readonly string[], env: NodeJS.ProcessEnv = {}): HiveChild {
  const child = spawn(process.execPath, [cli.main, ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout?.on('data', (b: Buffer) => out.push(b));
  child.stderr?.on('data', (b: Buffer) => err.push(b));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.on('close', (code, signal) => res({ code, signal })));
  return { child, stdout: () => Buffer.concat(out).toString('utf8'), stderr: () => Buffer.concat(err).toString('utf8'), exited };
}

/**
 * Polls the database (read-only, beside the writer) until run `runId` has `atLeast` rounds; throws
 * after `timeoutMs`. The default is generous: a child starting up and playing a few hundred rounds
 * beside other processes on a loaded 2-core machine took more than 20 s (370 of 400 rounds then).
 */
export async function waitForRounds(db: string, runId: number, atLeast: number, timeoutMs = 60_000): Promise<number> {
  const started = Date.now();
  for (;;) {
    let n = 0;
    try {
      const d = new Database(db, { readonly: true, fileMustExist: true });
      try {
        n = (d.prepare('SELECT count(*) AS n FROM rounds WHERE run_id = ?').get(runId) as { n: number }).n;
      } finally {
        d.close();
      }
    } catch {
      n = 0; // not created yet
    }
    if (n >= atLeast) return n;
    if (Date.now() - started > timeoutMs) throw new Error(`run ${runId} in ${db} has ${n} rounds after ${timeoutMs} ms, waited for ${atLeast}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
