import type { Command } from 'commander';
import Table from 'cli-table3';
import { DEFAULT_PATHS } from '../../config/paths.js';
import { Store } from '../../store/store.js';
import type { CliContext } from '../context.js';
import { neutralize } from '../../report/render/sanitize.js';
import { isResumable, resumeCommand } from '../run-end.js';

export function registerRuns(program: Command, ctx: CliContext): void {
  program
    .command('runs')
    .description('list the runs stored in the database')
    .option('--db <file>', 'SQLite database', DEFAULT_PATHS.db)
    .action((opts: { db: string }) => {
      const store = Store.open(opts.db, { mustExist: true });
      try {
        const runs = store.runs.list();
        if (runs.length === 0) {
          ctx.out(`no runs in ${opts.db} yet; start one with "hive wargame".`);
          return;
        }
        const t = new Table({ head: ['id', 'kind', 'status', 'created', 'cast', 'attackers', 'rounds', 'seed'], style: { head: [], border: [] } });
        const unfinished: string[] = [];
        for (const r of runs) {
          const resumable = isResumable(r.kind, r.status);
          const status = resumable ? `${r.status} (resumable)` : r.status;
          if (resumable) {
            // A `running` run whose process was killed looks the same as a live one: say both.
            const why = r.status === 'running' ? 'if its process is gone' : neutralize(r.stopReason ?? r.status, { max: 160 });
            unfinished.push(`run ${r.id} (${why}): ${resumeCommand(r.id, opts.db)}`);
          }
          t.push([String(r.id), r.kind, status, r.createdAt.replace('T', ' ').slice(0, 19), neutralize(r.castName), neutralize(r.attackersName ?? '—'), `${r.roundsDone}/${r.roundsPlanned}`, String(r.seed)]);
        }
        ctx.out(t.toString());
        if (unfinished.length > 0) ctx.out(['unfinished runs continue where they stopped with:', ...unfinished.map((u) => `  ${u}`)].join('\n'));
      } finally {
        store.close();
      }
    });
}
