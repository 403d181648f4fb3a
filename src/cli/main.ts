#!/usr/bin/env node
import { systemErrorText } from '../errors.js';
import { processContext } from './context.js';
import type { InterruptCause } from './interrupt.js';
import { runCli } from './run.js';

const ctx = processContext();
let interruptHandler: ((cause?: InterruptCause) => void) | undefined;
ctx.onInterrupt = (handler) => {
  interruptHandler = handler;
};
// A command that registered a handler turns the first signal into a graceful stop and the second
// into an abort. A third means something ignores the abort: leave at once. That is safe at any
// moment, because every round is stored in one transaction (a resume redoes the unfinished ones).
let interrupts = 0;
const onSignal = (signal: 'SIGINT' | 'SIGTERM' | 'SIGHUP', code: number) => () => {
  interrupts += 1;
  if (interruptHandler && interrupts < 3) interruptHandler(signal);
  else process.exit(code);
};
process.on('SIGINT', onSignal('SIGINT', 130));
process.on('SIGTERM', onSignal('SIGTERM', 143));
// The terminal was closed under the run: a stop like any other (stored interrupted, resumable),
// not Node's default of leaving at once with the run still marked running.
process.on('SIGHUP', onSignal('SIGHUP', 129));

// The reader of stdout went away (`hive report | head`): nothing more is written there, and a run
// that is playing stops as if interrupted (resumable, its resume command on stderr). A report
// simply ends; its exit code stays what it was. Any other error of stdout (a full disk, /dev/full)
// ends the same way, but it is a failure the user must see: one line naming it, exit 2.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (ctx.stdoutClosed) return;
  if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') ctx.stdoutFailure = systemErrorText(err);
  ctx.stdoutClosed = true;
  interruptHandler?.('stdout-closed');
});
// The error of the last writes may come after the command has returned: checked at the very end.
process.on('exit', () => {
  if (ctx.stdoutFailure === undefined) return;
  process.exitCode = 2;
  if (ctx.stdoutFailureSaid) return;
  process.stderr.write(`hive: cannot write to standard output: ${ctx.stdoutFailure}; send it to a file or pipe that can take it.\n`);
  process.exitCode = 2;
});

const code = await runCli(process.argv.slice(2), ctx);
process.exitCode = code;
