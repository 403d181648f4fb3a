import type { Command } from 'commander';
import { neutralize } from '../../report/render/sanitize.js';
import { notResumable } from '../../run-stops.js';
import { plural } from '../../util/words.js';
import type { CliContext } from '../context.js';
import { checkWritable, say } from '../output.js';
import { dbOption, intOption, runIdArgument } from '../options.js';

interface ReplayFlags {
  cast: string;
  heal?: boolean;
  scenarios?: string;
  concurrency: number;
  db: string;
  quiet?: boolean;
}

/** A replay run is not resumed: it is run again. */
const AGAIN = notResumable('replay', 'replay') as string;

export function registerReplay(program: Command, ctx: CliContext): void {
  program
    .command('replay')
    .argument('<run>', 'the run whose stored inputs are judged again')
    .description('judge the stored inputs of a run (attacks and benign rounds, same order) with another cast; no attacker is called')
    .requiredOption('--cast <file>', 'defender cast (YAML) that judges the inputs')
    .option('--heal', 'healer on, whatever the source run did')
    .option('--no-heal', 'healer off, whatever the source run did')
    .option('--scenarios <dir>', "scenario folder (default: the source run's, else the shipped one)")
    .option('--concurrency <n>', 'rounds in flight', intOption('--concurrency'), 4)
    .addOption(dbOption('SQLite database holding the source run; the replay is stored there too'))
    .option('-q, --quiet', 'print only the final tables')
    .action(async (runArg: string, flags: ReplayFlags) => {
      const sourceRunId = runIdArgument(runArg);
      checkWritable(flags.db, '--db');
      const [{ startReplay }, { runEndTables }, { endedEarly, runCommand }, { storedReport }] = await Promise.all([
        import('../../engine/replay.js'),
        import('../../report/render/table.js'),
        import('../run-command.js'),
        import('../stored.js'),
      ]);
      await runCommand(ctx, {
        quiet: Boolean(flags.quiet),
        again: AGAIN,
        onEvent: (e, print) => {
          if (e.type === 'run_started') print(`replay run ${e.runId} of run ${sourceRunId}: ${e.roundsPlanned} stored inputs, cast ${neutralize(flags.cast)}, db ${neutralize(flags.db)}`);
        },
        play: (controls) =>
          startReplay({
            sourceRunId,
            castPath: flags.cast,
            dbPath: flags.db,
            heal: flags.heal,
            scenariosDir: flags.scenarios,
            concurrency: flags.concurrency,
            env: ctx.env,
            ...controls,
          }),
        end: (session) => {
          const { runId, result, source } = session;
          const healNote = session.heal === source.heal ? `as in run ${sourceRunId}` : `run ${sourceRunId} had it ${source.heal ? 'on' : 'off'}`;
          say(ctx, `healer ${session.heal ? 'on' : 'off'} (${healNote})`);
          if (source.carried.refused + source.carried.attackerErrors > 0) {
            say(ctx, `${source.carried.refused} refused and ${source.carried.attackerErrors} attacker-error rounds kept as they were (no attack to judge).`);
          }
          if (source.truncated > 0) say(ctx, `${plural(source.truncated, 'input')} ${source.truncated === 1 ? 'was' : 'were'} stored truncated and ${source.truncated === 1 ? 'is' : 'are'} judged as stored.`);
          ctx.out('');
          ctx.out(runEndTables(storedReport(flags.db, runId), ctx.width));
          if (result.status === 'completed') {
            say(ctx, `replay run ${runId} completed: ${plural(result.roundsDone, 'round')} stored in ${neutralize(flags.db)}.`);
            say(ctx, `compare: hive compare ${sourceRunId} ${runId} --db ${neutralize(flags.db)} --flips`);
          } else {
            say(ctx, `${endedEarly(`replay run ${runId}`, result)}; ${plural(result.roundsDone, 'round')} stored; ${AGAIN}.`);
          }
        },
      });
    });
}
