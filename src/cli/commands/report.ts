import type { Command } from 'commander';
import { REPORT_FORMAT_IDS } from '../../report/render/format-ids.js';
import type { CliContext } from '../context.js';
import { dbOption, runOrLatest } from '../options.js';
import { checkWritable, render, say } from '../output.js';

interface ReportFlags {
  db: string;
  format?: string;
  out?: string;
}

export function registerReport(program: Command, ctx: CliContext): void {
  program
    .command('report')
    .argument('[run]', 'run id, or "latest" (the default)')
    .description('every figure of a stored run with counts and 95% intervals: tables, JSON, CSV (one row per round), Markdown or a self-contained HTML page with charts')
    .addOption(dbOption())
    .option('-f, --format <format>', `${REPORT_FORMAT_IDS.join(' | ')} (default: from --out's ending: .txt table, .json, .csv, .md or .markdown, .html or .htm; else table; any other ending is refused)`)
    .option('-o, --out <file>', 'write the report to this file instead of stdout')
    .action(async (runArg: string | undefined, flags: ReportFlags) => {
      const [{ resolveRunId, runSubject }, { REPORT_FORMATS }, { chooseFormat }, { withStore }] = await Promise.all([
        import('../../report/build.js'),
        import('../../report/render/formats.js'),
        import('../../report/render/registry.js'),
        import('../stored.js'),
      ]);
      const format = chooseFormat(REPORT_FORMATS, flags.format, flags.out);
      const requested = runOrLatest(runArg);
      if (flags.out !== undefined) checkWritable(flags.out, '--out');
      const runId = withStore(flags.db, (store) => {
        const id = resolveRunId(store, requested);
        render(ctx, format, runSubject(store, id), flags.out);
        return id;
      });
      if (flags.out) say(ctx, `report of run ${runId} (${format.id}) written to ${flags.out}`);
    });
}
