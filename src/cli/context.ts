import { Chalk, type ChalkInstance } from 'chalk';

/** Everything a command may touch of the outside world, so commands are testable in-process. */
export interface CliContext {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Whether stdout is a terminal (progress bars) — false in CI and pipes. */
  isTTY: boolean;
  /** Where progress bars draw (stdout when it is a terminal); without it there is no bar. */
  terminal?: NodeJS.WritableStream;
  color: ChalkInstance;
  env: NodeJS.ProcessEnv;
  /** Set by `hive wargame` so the entry point can map SIGINT to a graceful stop. */
  onInterrupt?: (handler: (() => void) | undefined) => void;
  /** The exit code a command asks for without an error (ci gates, interrupted runs). */
  exitCode: number;
}

export function processContext(): CliContext {
  const isTTY = Boolean(process.stdout.isTTY);
  const noColor = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '';
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    isTTY,
    ...(isTTY ? { terminal: process.stdout } : {}),
    color: new Chalk({ level: isTTY && !noColor ? 1 : 0 }),
    env: process.env,
    exitCode: 0,
  };
}
