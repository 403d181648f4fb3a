import type { Command } from 'commander';
import { DEFAULT_PATHS } from '../../config/paths.js';
import { startWargame } from '../../engine/session.js';
import type { WargameEvent } from '../../engine/events.js';
import { batchHeader, batchLine, categoryTable, totalsTable } from '../../report/terminal.js';
import { neutralize } from '../../report/sanitize.js';
import { Breakdown } from '../../stats/breakdown.js';
import { CATEGORY_IDS, type CategoryId } from '../../categories.js';
import type { CliContext } from '../context.js';
import { collect, floatOption, intOption } from '../options.js';

interface WargameFlags {
  rounds: number;
  cast: string;
  attackers: string;
  scenarios: string;
  batch: number;
  seed: number;
  concurrency: number;
  benignRatio: number;
  heal: boolean;
  db: string;
  category?: string[];
  quiet?: boolean;
}

export const DEFAULT_SEED = 42;

export function registerWargame(program: Command, ctx: CliContext): void {
  program
    .command('wargame')
    .description('attackers write attacks, the swarm votes, the healer learns; every round goes to SQLite')
    .option('-n, --rounds <n>', 'rounds to play', intOption('--rounds'), 500)
    .option('--cast <file>', 'defender cast (YAML)', DEFAULT_PATHS.cast)
    .option('--attackers <file>', 'attacker pool (YAML)', DEFAULT_PATHS.attackers)
    .option('--scenarios <dir>', 'scenario folder', DEFAULT_PATHS.scenarios)
    .option('--batch <n>', 'rounds per batch row', intOption('--batch'), 50)
    .option('--seed <n>', 'seed for the plan and embedded attackers', intOption('--seed'), DEFAULT_SEED)
    .option('--concurrency <n>', 'rounds in flight', intOption('--concurrency'), 4)
    .option('--benign-ratio <r>', 'share of rounds that are benign controls', floatOption('--benign-ratio'), 0.2)
    .option('--no-heal', 'turn the auto-healer off')
    .option('--category <id>', 'only this category (repeatable)', collect)
    .option('--db <file>', 'SQLite database', DEFAULT_PATHS.db)
    .option('-q, --quiet', 'print only the final tables')
    .action(async (flags: WargameFlags) => {
      const byCategory = new Breakdown<CategoryId>();
      const stop = new AbortController();
      const abort = new AbortController();
      ctx.onInterrupt?.(() => {
        if (!stop.signal.aborted) {
          ctx.err('stopping: finishing the rounds in flight (Ctrl-C again to abort them)…');
          stop.abort();
        } else abort.abort();
      });
      const emit = (e: WargameEvent): void => {
        if (e.type === 'run_started') {
          ctx.out(`run ${e.runId}: ${e.roundsPlanned} rounds, seed ${flags.seed}, cast ${flags.cast}, attackers ${flags.attackers}, db ${flags.db}`);
          if (!flags.quiet) ctx.out(batchHeader());
        } else if (e.type === 'round_done') {
          byCategory.add(e.record.category, e.record);
        } else if (e.type === 'batch_done' && !flags.quiet) {
          ctx.out(batchLine(e.batch, ctx.color));
        }
      };
      const { runId, result } = await startWargame({
        rounds: flags.rounds,
        castPath: flags.cast,
        attackersPath: flags.attackers,
        scenariosDir: flags.scenarios,
        dbPath: flags.db,
        batchSize: flags.batch,
        seed: flags.seed,
        concurrency: flags.concurrency,
        benignRatio: flags.benignRatio,
        heal: flags.heal,
        categories: flags.category,
        env: ctx.env,
        emit,
        stop: stop.signal,
        abort: abort.signal,
      });
      ctx.onInterrupt?.(undefined);
      ctx.out('');
      ctx.out(totalsTable(result.totals));
      ctx.out(categoryTable(byCategory.entries(CATEGORY_IDS)));
      if (result.status === 'completed') {
        ctx.out(`run ${runId} completed: ${result.roundsDone} rounds stored in ${flags.db}`);
      } else {
        ctx.out(`run ${runId} ${result.status}${result.reason ? `: ${neutralize(result.reason)}` : ''}; ${result.roundsDone} rounds stored.`);
        ctx.exitCode = result.status === 'interrupted' ? 130 : 1;
      }
    });
}
