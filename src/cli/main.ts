#!/usr/bin/env node
import { processContext } from './context.js';
import { runCli } from './run.js';

const ctx = processContext();
let interruptHandler: (() => void) | undefined;
ctx.onInterrupt = (handler) => {
  interruptHandler = handler;
};
process.on('SIGINT', () => {
  if (interruptHandler) interruptHandler();
  else process.exit(130);
});
process.on('SIGTERM', () => {
  if (interruptHandler) interruptHandler();
  else process.exit(143);
});

const code = await runCli(process.argv.slice(2), ctx);
process.exitCode = code;
