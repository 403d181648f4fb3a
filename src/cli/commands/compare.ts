import type { Command } from 'commander';
import { DEFAULT_PATHS } from '../../config/paths.js';
import { UsageError } from '../../errors.js';
import { compareRuns } from '../../report/compare.js';
import { COMPARE_FORMATS, compareJsonText, renderCompareMarkdown, renderCompareTable, type CompareFormat } from '../../report/compare-render.js';
import { Store } from '../../store/store.js';
import type { CliContext } from '../context.js';
import { intOption } from '../options.js';
import { runIdArgument } from './replay.js';

interface CompareFlags {
  db: string;
  format: string;
  flips?: boolean;
  flipLimit?: number;
  unpaired?: boolean;
}

export function registerCompare(program: Command, ctx: CliContext): void {
  program
    .command('compare')
    .argument('<runA>', 'the reference run')
    .argument('<runB>', 'the run compared with it (e.g. a replay of runA with another cast)')
    .description("defence and false-positive rates of two runs side by side: paired by round with McNemar's exact test when they judged the same inputs")
    .option('--flips', 'list the rounds whose decision flipped between A and B')
    .option('--flip-limit <n>', 'list at most this many flipped rounds (table and md)', intOption('--flip-limit'))
    .option('--unpaired', 'compare as independent samples even when the runs could be paired')
    .option('-f, --format <format>', COMPARE_FORMATS.join(' | '), 'table')
    .option('--db <file>', 'SQLite database', DEFAULT_PATHS.db)
    .action((aArg: string, bArg: string, flags: CompareFlags) => {
      const format = flags.format.toLowerCase() === 'markdown' ? 'md' : flags.format.toLowerCase();
      if (!(COMPARE_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${COMPARE_FORMATS.join(', ')} (got "${flags.format}").`);
      const a = runIdArgument(aArg, 'runA');
      const b = runIdArgument(bArg, 'runB');
      const store = Store.open(flags.db, { mustExist: true });
      try {
        const c = compareRuns(store, a, b, { unpaired: Boolean(flags.unpaired) });
        const opts = { flips: Boolean(flags.flips), ...(flags.flipLimit !== undefined ? { flipLimit: flags.flipLimit } : {}) };
        const text = (format as CompareFormat) === 'json' ? compareJsonText(c) : format === 'md' ? renderCompareMarkdown(c, opts).trimEnd() : renderCompareTable(c, opts);
        ctx.out(text);
      } finally {
        store.close();
      }
    });
}
