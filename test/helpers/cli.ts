import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chalk } from 'chalk';
import { outputWidth, type CliContext } from '../../src/cli/context.js';
import { runCli } from '../../src/cli/run.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a hive command line in-process with captured output. */
export async function hive(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return hiveInterrupted(args, () => false, env);
}

/**
 * Runs a command line in-process like `hive()`, with an interrupt handler as main.ts wires it:
 * `interruptAfter(line)` is asked about every line printed on stdout: `true` is one Ctrl-C, a
 * number that many.
 */
export async function hiveInterrupted(args: readonly string[], interruptAfter: (line: string) => boolean | number, env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  let handler: (() => void) | undefined;
  const ctx: CliContext = {
    out: (t) => {
      out.push(t);
      const times = Number(interruptAfter(t));
      for (let i = 0; i < times; i++) handler?.();
    },
    err: (t) => err.push(t),
    isTTY: false,
    // No limit, as in a pipe, unless the test sets COLUMNS.
    width: outputWidth({ COLUMNS: env.COLUMNS }, undefined),
    color: new Chalk({ level: 0 }),
    env: { ...process.env, ...env },
    onInterrupt: (h) => {
      handler = h;
    },
    exitCode: 0,
  };
  const code = await runCli(args, ctx);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

/** Whether a printed line is the row of batch `n` of the progress output, e.g. "      3   101-150 …". */
export const batchRow = (n: number) => (line: string) => new RegExp(`^\\s+${n}\\s+\\d+-\\d+\\s`).test(line);

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(prefix = 'hive-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
