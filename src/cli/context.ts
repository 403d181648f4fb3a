import { Chalk, type ChalkInstance } from 'chalk';
import type { InterruptCause } from './interrupt.js';

/** Tables are never laid out narrower than this: below it they are printed at 80 and wrap. */
export const MIN_WIDTH = 80;

/** Everything a command may touch of the outside world, so commands are testable in-process. */
export interface CliContext {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Whether stdout is a terminal (progress bars) — false in CI and pipes. */
  isTTY: boolean;
  /** Where progress bars draw (stdout when it is a terminal); without it there is no bar. */
  terminal?: NodeJS.WritableStream;
  /** Columns the tables on stdout must fit (`outputWidth`); Infinity: no limit. */
  width: number;
  color: ChalkInstance;
  env: NodeJS.ProcessEnv;
  /** Set by the commands that play runs so the entry point can map SIGINT (and a closed stdout) to a graceful stop. */
  onInterrupt?: (handler: ((cause?: InterruptCause) => void) | undefined) => void;
  /** The exit code a command asks for without an error (ci gates, interrupted runs). */
  exitCode: number;
  /** Set once stdout is closed (a pipe whose reader left): nothing more is written there. */
  stdoutClosed?: boolean;
  /**
   * Set when stdout failed for another reason than a reader that left (a full disk, /dev/full):
   * the error in words. The run stops as for a closed pipe, and hive ends with this line, exit 2.
   */
  stdoutFailure?: string;
  /** The failure of stdout was already named (with how the run ended): hive ends without naming it again. */
  stdoutFailureSaid?: boolean;
}

/**
 * The width tables are laid out for: a terminal's own width (80 at the least); elsewhere (a pipe,
 * a file, a CI log) COLUMNS when it is set to a number (80 at the least), else no limit.
 */
export function outputWidth(env: NodeJS.ProcessEnv, terminalColumns: number | undefined): number {
  if (terminalColumns !== undefined && terminalColumns > 0) return Math.max(MIN_WIDTH, terminalColumns);
  const columns = Number(env.COLUMNS);
  return Number.isInteger(columns) && columns > 0 ? Math.max(MIN_WIDTH, columns) : Infinity;
}

export function processContext(): CliContext {
  const isTTY = Boolean(process.stdout.isTTY);
  const noColor = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '';
  const ctx: CliContext = {
    out: (text) => {
      if (!ctx.stdoutClosed) process.stdout.write(`${text}\n`);
    },
    err: (text) => process.stderr.write(`${text}\n`),
    isTTY,
    ...(isTTY ? { terminal: process.stdout } : {}),
    width: outputWidth(process.env, isTTY ? process.stdout.columns : undefined),
    color: new Chalk({ level: isTTY && !noColor ? 1 : 0 }),
    env: process.env,
    exitCode: 0,
  };
  return ctx;
}
