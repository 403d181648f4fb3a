/**
 * The report as terminal tables (`hive report`, the default format, and the end of every run
 * command). Untrusted text is stripped of control sequences, one line, bounded.
 */
import Table from 'cli-table3';
import { Chalk } from 'chalk';
import type { RunReport, RunSubject } from '../types.js';
import { batchHeader, batchLine } from './batch-lines.js';
import { textFormat, type Format } from './registry.js';
import { neutralize } from './sanitize.js';
import { categoriesSection, reportSections, RUN_END_COLUMNS, runFacts, totalsSection, type Section } from './sections.js';

/** Untrusted text for a terminal: control sequences escaped, one line, bounded. */
export const terminalText = (s: string): string => neutralize(s, { max: 80 });

/**
 * A table for the terminal in hive's one style (cli-table3, no colour in the frame), the
 * `numeric` columns right-aligned. Every table hive prints is drawn here.
 */
export function terminalTable(head: readonly string[], rows: ReadonlyArray<readonly string[]>, numeric: readonly number[] = []): string {
  const t = new Table({ head: [...head], style: { head: [], border: [] }, colAligns: head.map((_, i) => (numeric.includes(i) ? 'right' : 'left')) });
  for (const row of rows) t.push([...row]);
  return t.toString();
}

/** A section as a titled table, its note underneath. */
export function sectionTable(s: Section): string {
  return [s.title, terminalTable(s.head, s.rows, s.numeric), ...(s.note ? [s.note] : [])].join('\n');
}

/**
 * Every section of the report as tables, the run's facts on top. The batch rows look exactly like
 * the lines printed while the run played; `batches: false` leaves them out where they were just
 * printed (the end of `hive eval`). `color`: whether the batch rows may be coloured.
 */
export function renderReportTable(r: RunReport, opts: { color: boolean; batches?: boolean }): string {
  const facts = runFacts(r, terminalText)
    .map(([k, v]) => `${k} ${v}`)
    .join(' · ');
  const parts = [facts];
  const [totals, scores, ...rest] = reportSections(r, terminalText);
  if (totals) parts.push(sectionTable(totals));
  if (scores) parts.push(sectionTable(scores));
  if (r.batches.length > 1 && opts.batches !== false) {
    const color = new Chalk({ level: opts.color ? 1 : 0 });
    parts.push(['Batches', batchHeader(), ...r.batches.map((b) => batchLine(b, color))].join('\n'));
  }
  for (const s of rest) parts.push(sectionTable(s));
  return parts.join('\n\n');
}

/** What a wargame or a replay prints when it ends: the totals and the categories, fewer columns than `hive report`. */
export function runEndTables(r: RunReport): string {
  return [sectionTable(totalsSection(r.totals, r.healer.antibodiesPerPrompt)), sectionTable(categoriesSection(r, RUN_END_COLUMNS))].join('\n');
}

export const tableFormat: Format<RunSubject> = textFormat('table', ['.txt'], (s, opts) => renderReportTable(s.report(), { color: opts.color }));
