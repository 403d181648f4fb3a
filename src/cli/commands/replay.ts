import type { Command } from 'commander';
import { CATEGORY_IDS, type RoundCategory } from '../../categories.js';
import { DEFAULT_PATHS } from '../../config/paths.js';
import { startReplay } from '../../engine/replay.js';
import { neutralize } from '../../report/render/sanitize.js';
import { categoryTable, totalsTable } from '../../report/render/batch-lines.js';
import { Breakdown } from '../../stats/breakdown.js';
import type { CliContext } from '../context.js';
import { interruptSignals } from '../interrupt.js';
import { intOption, runIdArgument } from '../options.js';
import { RunProgress } from '../progress.js';

interface ReplayFlags {
  cast: string;
  heal?: boolean;
  scenarios?: string;
  concurrency: number;
  db: string;
  quiet?: boolean;
}

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
    .option('--db <file>', 'SQLite database holding the source run; the replay is stored there too', DEFAULT_PATHS.db)
    .option('-q, --quiet', 'print only the final tables')
    .action(async (runArg: string, flags: ReplayFlags) => {
      const sourceRunId = runIdArgument(runArg);
      const byCategory = new Breakdown<RoundCategory>();
      const progress = new RunProgress(ctx, { quiet: Boolean(flags.quiet) });
      const signals = interruptSignals(ctx, (t) => progress.line(t));
      const session = await startReplay({
        sourceRunId,
        castPath: flags.cast,
        dbPath: flags.db,
        heal: flags.heal,
        scenariosDir: flags.scenarios,
        concurrency: flags.concurrency,
        env: ctx.env,
        stop: signals.stop,
        abort: signals.abort,
        emit: (e) => {
          if (e.type === 'run_started') {
            ctx.out(`replay run ${e.runId} of run ${sourceRunId}: ${e.roundsPlanned} stored inputs, cast ${neutralize(flags.cast)}, db ${neutralize(flags.db)}`);
          } else if (e.type === 'round_done') byCategory.add(e.record.category, e.record);
          progress.handle(e);
        },
      }).finally(() => {
        progress.stop();
        signals.release();
      });
      const { runId, result, source } = session;
      const healNote = session.heal === source.heal ? `as in run ${sourceRunId}` : `run ${sourceRunId} had it ${source.heal ? 'on' : 'off'}`;
      ctx.out(`healer ${session.heal ? 'on' : 'off'} (${healNote})`);
      if (source.carried.refused + source.carried.attackerErrors > 0) {
        ctx.out(`${source.carried.refused} refused and ${source.carried.attackerErrors} attacker-error rounds kept as they were (no attack to judge).`);
      }
      if (source.truncated > 0) ctx.out(`${source.truncated} inputs were stored truncated and are judged as stored.`);
      ctx.out('');
      ctx.out(totalsTable(result.totals));
      ctx.out(categoryTable(byCategory.entries(CATEGORY_IDS)));
      if (result.status === 'completed') {
        ctx.out(`replay run ${runId} completed: ${result.roundsDone} rounds stored in ${neutralize(flags.db)}.`);
        ctx.out(`compare: hive compare ${sourceRunId} ${runId} --db ${neutralize(flags.db)} --flips`);
      } else {
        ctx.out(`replay run ${runId} ${result.status}${result.reason ? `: ${neutralize(result.reason)}` : ''}; ${result.roundsDone} rounds stored.`);
        ctx.exitCode = result.status === 'interrupted' ? 130 : 1;
      }
    });
}
