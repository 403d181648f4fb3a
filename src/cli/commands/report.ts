import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import { Chalk } from 'chalk';
import type { Command } from 'commander';
import { DEFAULT_PATHS } from '../../config/paths.js';
import { errorMessage, UsageError } from '../../errors.js';
import { writeRoundsCsv } from '../../report/csv.js';
import { reportJsonText } from '../../report/json.js';
import { readTimeline, renderReportHtml } from '../../report/html.js';
import { renderReportMarkdown } from '../../report/markdown.js';
import { renderReportTable } from '../../report/report-table.js';
import { buildRunReport, resolveRunId } from '../../report/build.js';
import { Store } from '../../store/store.js';
import type { CliContext } from '../context.js';

export const REPORT_FORMATS = ['table', 'json', 'csv', 'md', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const BY_EXTENSION: Record<string, ReportFormat> = { '.json': 'json', '.csv': 'csv', '.md': 'md', '.markdown': 'md', '.txt': 'table', '.html': 'html', '.htm': 'html' };

interface ReportFlags {
  db: string;
  format?: string;
  out?: string;
}

/** `--format` when given, else what `--out`'s extension says, else the terminal tables. */
export function resolveFormat(format: string | undefined, out: string | undefined): ReportFormat {
  if (format !== undefined) {
    const f = format.toLowerCase() === 'markdown' ? 'md' : format.toLowerCase();
    if (!(REPORT_FORMATS as readonly string[]).includes(f)) {
      throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(', ')} (got "${format}").`);
    }
    return f as ReportFormat;
  }
  return (out && BY_EXTENSION[extname(out).toLowerCase()]) || 'table';
}

export function parseRunArgument(value: string | undefined): number | undefined {
  if (value === undefined || value === 'latest') return undefined;
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value)) || Number(value) < 1) {
    throw new UsageError(`run must be a run id (a whole number from "hive runs") or "latest" (got "${value}").`);
  }
  return Number(value);
}

/** A file sink that writes chunks as they come (CSV of 100,000 rounds is not built in memory). */
function fileSink(path: string): { write: (chunk: string) => void; close: () => void } {
  let fd: number;
  try {
    mkdirSync(dirname(path), { recursive: true });
    fd = openSync(path, 'w');
  } catch (err) {
    throw new UsageError(`cannot write ${path}: ${errorMessage(err)}; pass --out with a writable path.`);
  }
  return { write: (chunk) => void writeSync(fd, chunk), close: () => closeSync(fd) };
}

export function registerReport(program: Command, ctx: CliContext): void {
  program
    .command('report')
    .argument('[run]', 'run id, or "latest" (the default)')
    .description('every figure of a stored run with counts and 95% intervals: tables, JSON, CSV (one row per round), Markdown or a self-contained HTML page with charts')
    .option('--db <file>', 'SQLite database', DEFAULT_PATHS.db)
    .option('-f, --format <format>', `${REPORT_FORMATS.join(' | ')} (default: from --out's extension, else table)`)
    .option('-o, --out <file>', 'write the report to this file instead of stdout')
    .action((runArg: string | undefined, flags: ReportFlags) => {
      const format = resolveFormat(flags.format, flags.out);
      const requested = parseRunArgument(runArg);
      const store = Store.open(flags.db, { mustExist: true });
      try {
        const runId = resolveRunId(store, requested);
        const sink = flags.out ? fileSink(flags.out) : undefined;
        try {
          // Chunks handed to ctx.out lose their last "\n" because ctx.out adds one back.
          const write = sink ? sink.write : (text: string) => ctx.out(text.endsWith('\n') ? text.slice(0, -1) : text);
          if (format === 'csv') {
            writeRoundsCsv(store, runId, write, { forTerminal: !sink && ctx.isTTY });
          } else {
            const report = buildRunReport(store, runId);
            const text =
              format === 'json'
                ? `${reportJsonText(report)}\n`
                : format === 'md'
                  ? renderReportMarkdown(report)
                  : format === 'html'
                    ? renderReportHtml(report, readTimeline(store, runId))
                    : `${renderReportTable(report, sink ? new Chalk({ level: 0 }) : ctx.color)}\n`;
            write(text);
          }
        } finally {
          sink?.close();
        }
        if (flags.out) ctx.out(`report of run ${runId} (${format}) written to ${flags.out}`);
      } finally {
        store.close();
      }
    });
}
