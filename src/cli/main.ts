#!/usr/bin/env node
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
const onSignal = (code: number) => () => {
  interrupts += 1;
  if (interruptHandler && interrupts < 3) interruptHandler('signal');
  else process.exit(code);
};
process.on('SIGINT', onSignal(130));
process.on('SIGTERM', onSignal(143));

// The reader of stdout went away (`hive report | head`): nothing more is written there, and a run
// that is playing stops as if interrupted (resumable, its resume command on stderr). A report
// simply ends; its exit code stays what it was. Any other error of stdout is a real failure.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') throw err;
  if (ctx.stdoutClosed) return;
  ctx.stdoutClosed = true;
  interruptHandler?.('stdout-closed');
});

const code = await runCli(process.argv.slice(2), ctx);
process.exitCode = code;
