import type { Command } from 'commander';
import { neutralize } from '../../report/render/sanitize.js';
import { terminalTable } from '../../report/render/table.js';
import type { CliContext } from '../context.js';
import { say } from '../output.js';
import { dbOption } from '../options.js';
import { isResumable, resumeCommand } from '../run-end.js';
import { withStore } from '../stored.js';

export function registerRuns(program: Command, ctx: CliContext): void {
  program
    .command('runs')
    .description('list the runs stored in the database')
    .addOption(dbOption())
    .action((opts: { db: string }) => {
      const runs = withStore(opts.db, (store) => store.runs.list());
      if (runs.length === 0) {
        say(ctx, `no runs in ${opts.db} yet; start one with "hive wargame".`);
        return;
      }
      const unfinished: string[] = [];
      const rows = runs.map((r) => {
        const resumable = isResumable(r.kind, r.status);
        if (resumable) {
          // A `running` run whose process was killed looks the same as a live one: say both.
          const why = r.status === 'running' ? 'if its process is gone' : neutralize(r.stopReason ?? r.status, { max: 160 });
          unfinished.push(`run ${r.id} (${why}): ${resumeCommand(r.id, opts.db)}`);
        }
        const status = resumable ? `${r.status} (resumable)` : r.status;
        return [String(r.id), r.kind, status, r.createdAt.replace('T', ' ').slice(0, 19), neutralize(r.castName), neutralize(r.attackersName ?? '—'), `${r.roundsDone}/${r.roundsPlanned}`, String(r.seed)];
      });
      ctx.out(terminalTable(['id', 'kind', 'status', 'created', 'cast', 'attackers', 'rounds', 'seed'], rows, { width: ctx.width }));
      if (unfinished.length > 0) ctx.out(['unfinished runs continue where they stopped with:', ...unfinished.map((u) => `  ${u}`)].join('\n'));
    });
}
