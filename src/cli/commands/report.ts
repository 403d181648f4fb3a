import type { Command } from 'commander';
import { DEFAULT_PATHS } from '../../config/paths.js';
import { resolveRunId, runSubject } from '../../report/build.js';
import { REPORT_FORMATS } from '../../report/render/formats.js';
import { chooseFormat } from '../../report/render/registry.js';
import { Store } from '../../store/store.js';
import type { CliContext } from '../context.js';
import { runOrLatest } from '../options.js';
import { render } from '../output.js';

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
    .option('--db <file>', 'SQLite database', DEFAULT_PATHS.db)
    .option('-f, --format <format>', `${REPORT_FORMATS.map((f) => f.id).join(' | ')} (default: from --out's extension, else table)`)
    .option('-o, --out <file>', 'write the report to this file instead of stdout')
    .action((runArg: string | undefined, flags: ReportFlags) => {
      const format = chooseFormat(REPORT_FORMATS, flags.format, flags.out);
      const requested = runOrLatest(runArg);
      const store = Store.open(flags.db, { mustExist: true });
      try {
        const runId = resolveRunId(store, requested);
        render(ctx, format, runSubject(store, runId), flags.out);
        if (flags.out) ctx.out(`report of run ${runId} (${format.id}) written to ${flags.out}`);
      } finally {
        store.close();
      }
    });
}
