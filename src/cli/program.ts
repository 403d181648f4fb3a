import { Command } from 'commander';
import { TOOL_VERSION } from '../version.js';
import type { CliContext } from './context.js';
import { registerCategories } from './commands/categories.js';
import { registerCi } from './commands/ci.js';
import { registerCompare } from './commands/compare.js';
import { registerDoctor } from './commands/doctor.js';
import { registerEval } from './commands/eval.js';
import { registerImmunity } from './commands/immunity.js';
import { registerReplay } from './commands/replay.js';
import { registerReport } from './commands/report.js';
import { registerReproduce } from './commands/reproduce.js';
import { registerRuns } from './commands/runs.js';
import { registerWargame } from './commands/wargame.js';

/** The whole command-line surface, wired to a context so tests can run commands in-process. */
export function createProgram(ctx: CliContext): Command {
  const program = new Command('hive')
    .description('hive: an adversarial wargame benchmark for LLM defences')
    .version(TOOL_VERSION)
    .exitOverride()
    // Usage errors are printed by runCli (src/cli/run.ts) as one line with the help to read.
    .configureOutput({ writeOut: (s) => ctx.out(s.trimEnd()), writeErr: (s) => ctx.err(s.trimEnd()), outputError: () => {} });
  registerWargame(program, ctx);
  registerCategories(program, ctx);
  registerRuns(program, ctx);
  registerDoctor(program, ctx);
  registerReport(program, ctx);
  registerEval(program, ctx);
  registerImmunity(program, ctx);
  registerReplay(program, ctx);
  registerCompare(program, ctx);
  registerCi(program, ctx);
  registerReproduce(program, ctx);
  return program;
}
