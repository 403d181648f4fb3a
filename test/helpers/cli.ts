import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chalk } from 'chalk';
import type { CliContext } from '../../src/cli/context.js';
import { runCli } from '../../src/cli/run.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a hive command line in-process with captured output. */
export async function hive(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: CliContext = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    isTTY: false,
    color: new Chalk({ level: 0 }),
    env: { ...process.env, ...env },
    exitCode: 0,
  };
  const code = await runCli(args, ctx);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(prefix = 'hive-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
