import { CommanderError } from 'commander';
import { HiveError } from '../errors.js';
import { neutralize } from '../report/render/sanitize.js';
import type { CliContext } from './context.js';
import { createProgram } from './program.js';

/**
 * Runs one command line and returns the exit code: 0 done, 1 a gate or run failed, 2 usage or
 * config error (one line, no stack trace), 130 interrupted.
 */
export async function runCli(argv: readonly string[], ctx: CliContext): Promise<number> {
  const program = createProgram(ctx);
  // `hive` alone asks what hive can do: the help, on stdout, as a success.
  if (argv.length === 0) {
    program.outputHelp();
    return 0;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return ctx.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander has already printed its message; help and version are not errors.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      if (err.cause instanceof HiveError) {
        ctx.err(`hive: ${neutralize(err.cause.message)}`);
        return err.cause.exitCode;
      }
      // One line: commander's message without its "error: " and the help that shows the usage.
      const command = program.commands.find((c) => c.name() === argv[0]);
      const message = err.message.replace(/^error:\s*/, '').split('\n')[0]?.replace(/\.$/, '') ?? '';
      ctx.err(`hive: ${neutralize(message)}; see "hive ${command ? `${command.name()} ` : ''}--help"`);
      return 2;
    }
    if (err instanceof HiveError) {
      ctx.err(`hive: ${neutralize(err.message)}`);
      return err.exitCode;
    }
    ctx.err(`hive: internal error: ${neutralize(err instanceof Error ? (err.stack ?? err.message) : String(err), { keepNewlines: true })}`);
    ctx.err('This is a bug in hive; please report it with the command you ran.');
    return 1;
  }
}
