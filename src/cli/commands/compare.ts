import type { Command } from 'commander';
import { COMPARE_FORMAT_IDS } from '../../report/render/format-ids.js';
import type { CliContext } from '../context.js';
import { dbOption, intOption, runIdArgument } from '../options.js';
import { render } from '../output.js';

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
    .option('-f, --format <format>', COMPARE_FORMAT_IDS.join(' | '), 'table')
    .addOption(dbOption())
    .action(async (aArg: string, bArg: string, flags: CompareFlags) => {
      const [{ compareRuns }, { COMPARE_FORMATS }, { chooseFormat }, { withStore }] = await Promise.all([
        import('../../report/compute/compare.js'),
        import('../../report/render/formats.js'),
        import('../../report/render/registry.js'),
        import('../stored.js'),
      ]);
      const format = chooseFormat(COMPARE_FORMATS, flags.format);
      const a = runIdArgument(aArg, 'runA');
      const b = runIdArgument(bArg, 'runB');
      const comparison = withStore(flags.db, (store) => compareRuns(store, a, b, { unpaired: Boolean(flags.unpaired) }));
      render(ctx, format, { comparison, flips: Boolean(flags.flips), flipLimit: flags.flipLimit });
    });
}
