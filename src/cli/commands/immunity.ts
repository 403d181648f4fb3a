import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { plural } from '../../report/numbers.js';
import type { CliContext } from '../context.js';
import { checkWritable, render, say } from '../output.js';
import { dbOption, intOption, runOrLatest } from '../options.js';

/** `hive immunity export | show | merge`: the healer's state as files that carry across runs. */
export function registerImmunity(program: Command, ctx: CliContext): void {
  const immunity = program.command('immunity').description('export, inspect and merge immunity files (healer patterns and antibodies with provenance)');

  immunity
    .command('export')
    .description("write a run's healer state (patterns, antibodies, hits, provenance) as an immunity file")
    .argument('<run>', 'run id (see "hive runs"), or "latest"')
    .requiredOption('--out <file>', 'immunity file to write (JSON)')
    .addOption(dbOption())
    .action(async (runArg: string, opts: { out: string; db: string }) => {
      const [{ immunityFromRun }, { immunityFormat }, { resolveRunId }, { withStore }] = await Promise.all([
        import('../../healer/immunity-export.js'),
        import('../../report/render/immunity-file.js'),
        import('../../report/build.js'),
        import('../stored.js'),
      ]);
      const requested = runOrLatest(runArg);
      checkWritable(opts.out, '--out');
      const { run, im } = withStore(opts.db, (store) => {
        const id = resolveRunId(store, requested);
        return { run: id, im: immunityFromRun(store, id) };
      });
      // Through the one writer of --out files: a closed pipe ends quietly, as for hive report.
      render(ctx, immunityFormat, im, opts.out);
      say(ctx, `run ${run}: ${plural(im.patterns.length, 'pattern')} and ${plural(im.antibodies.length, 'antibody', 'antibodies')} written to ${opts.out}`);
      say(ctx, `start a run from it with: hive wargame --immunity ${opts.out}`);
    });

  immunity
    .command('show')
    .description('list the patterns and antibodies of an immunity file')
    .argument('<file>', 'immunity file')
    .option('--limit <n>', 'rows per table at most', intOption('--limit'), 100)
    .action(async (file: string, opts: { limit: number }) => {
      const [{ readImmunityFile }, { immunityText }] = await Promise.all([import('../../healer/immunity.js'), import('../../report/render/healer.js')]);
      ctx.out(immunityText(readImmunityFile(file), { limit: Math.max(1, opts.limit), width: ctx.width }));
    });

  immunity
    .command('merge')
    .description('merge immunity files: the result does not depend on their order (dedupe by pattern, hits summed)')
    .argument('<files...>', 'two or more immunity files')
    .requiredOption('--out <file>', 'merged immunity file to write')
    .action(async (files: string[], opts: { out: string }) => {
      if (files.length < 2) throw new UsageError(`immunity merge needs two or more files (got ${files.length}); to copy one file, copy it.`);
      checkWritable(opts.out, '--out');
      const [{ mergeImmunity, readImmunityFile }, { immunityFormat }] = await Promise.all([import('../../healer/immunity.js'), import('../../report/render/immunity-file.js')]);
      const merged = mergeImmunity(files.map(readImmunityFile));
      render(ctx, immunityFormat, merged, opts.out);
      say(ctx, `${files.length} files merged: ${plural(merged.patterns.length, 'pattern')}, ${plural(merged.antibodies.length, 'antibody', 'antibodies')} written to ${opts.out}`);
    });
}
