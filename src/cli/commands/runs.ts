import type { Command } from 'commander';
import { CATEGORY_IDS } from '../../categories.js';
import { neutralize } from '../../report/render/sanitize.js';
import type { RunRow } from '../../store/records.js';
import type { tryReadRunConfig } from '../../config/run-config.js';
import type { CliContext } from '../context.js';
import { dbOption } from '../options.js';
import { say } from '../output.js';
import { notResumable } from '../../run-stops.js';
import { isResumable, resumeCommand } from '../run-end.js';

/**
 * A stored run as a row of `hive runs`: the command that made it (wargame, eval, replay,
 * reproduce or ci; the stored kind stays wargame, eval or replay), its cast, what it played
 * against, its categories, the healer, and the run it replays. Names are untrusted text.
 */
function runRow(r: RunRow, readConfig: typeof tryReadRunConfig): string[] {
  const config = readConfig(r);
  const resumable = isResumable(r.kind, r.status, config?.command);
  const status = resumable ? `${r.status} (resumable)` : r.status;
  let against = r.attackersName ?? '—';
  let categories = '—';
  if (config?.kind === 'wargame') {
    const cats = config.options.categories;
    categories = cats.length === CATEGORY_IDS.length ? `all ${cats.length}` : cats.join(', ');
  } else if (config?.kind === 'eval') {
    against = `corpus ${config.options.corpus}`;
  }
  return [
    String(r.id),
    config?.command ?? r.kind,
    status,
    r.createdAt.replace('T', ' ').slice(0, 16),
    neutralize(r.castName, { max: 40 }),
    neutralize(against, { max: 60 }),
    categories,
    config === undefined ? '—' : config.options.heal ? 'on' : 'off',
    r.replayOf === null ? '—' : String(r.replayOf),
    `${r.roundsDone}/${r.roundsPlanned}`,
    String(r.seed),
  ];
}

export function registerRuns(program: Command, ctx: CliContext): void {
  program
    .command('runs')
    .description('list the runs stored in the database: the command that made each, its cast, healer, categories and what it replays')
    .addOption(dbOption())
    .action(async (opts: { db: string }) => {
      const [{ withStore }, { tryReadRunConfig }, { terminalTable }] = await Promise.all([import('../stored.js'), import('../../config/run-config.js'), import('../../report/render/table.js')]);
      const runs = withStore(opts.db, (store) => store.runs.list());
      if (runs.length === 0) {
        say(ctx, `no runs in ${opts.db} yet; start one with "hive wargame".`);
        return;
      }
      const head = ['id', 'command', 'status', 'created', 'cast', 'attackers', 'categories', 'healer', 'replay of', 'rounds', 'seed'];
      ctx.out(terminalTable(head, runs.map((r) => runRow(r, tryReadRunConfig)), { width: ctx.width, numeric: [0, 8, 9, 10] }));
      // Unfinished runs: the command that continues each, or, for a run no resume can continue
      // (eval, replay, a run of hive ci), how to run it again.
      const unfinished = runs
        .filter((r) => r.status !== 'completed')
        .map((r) => {
          // A `running` run whose process was killed looks the same as a live one: say both.
          const why = r.status === 'running' ? 'if its process is gone' : neutralize(r.stopReason ?? r.status, { max: 160 });
          const cannot = notResumable(r.kind, tryReadRunConfig(r)?.command);
          return `  run ${r.id} (${why}): ${cannot ?? resumeCommand(r.id, opts.db)}`;
        });
      if (unfinished.length > 0) for (const line of ['unfinished runs (a wargame continues where it stopped):', ...unfinished]) say(ctx, line);
    });
}
