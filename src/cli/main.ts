#!/usr/bin/env node
import { processContext } from './context.js';
import { runCli } from './run.js';

const ctx = processContext();
let interruptHandler: (() => void) | undefined;
ctx.onInterrupt = (handler) => {
  interruptHandler = handler;
};
// A command that registered a handler turns the first signal into a graceful stop and the second
// into an abort. A third means something ignores the abort: leave at once. That is safe at any
// moment, because every round is stored in one transaction (a resume redoes the unfinished ones).
let interrupts = 0;
const onSignal = (code: number) => () => {
  interrupts += 1;
  if (interruptHandler && interrupts < 3) interruptHandler();
  else process.exit(code);
};
process.on('SIGINT', onSignal(130));
process.on('SIGTERM', onSignal(143));

const code = await runCli(process.argv.slice(2), ctx);
process.exitCode = code;
