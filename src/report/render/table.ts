/**
 * The report as terminal tables (`hive report`, the default format, and the end of every run
 * command), laid out for the width they are printed to (src/report/render/layout.ts). Untrusted
 * text is stripped of control sequences, one line, bounded.
 */
import { Chalk } from 'chalk';
import type { RunReport, RunSubject } from '../types.js';
import { BatchRows } from './batch-lines.js';
import { columnSpec } from './columns.js';
import { droppedNote, layoutTable, wrapText, type Cell } from './layout.js';
import { textFormat, type Format } from './registry.js';
import { neutralize } from './sanitize.js';
import { modeSections } from './mode-sections.js';
import { categoriesSection, reportSections, RUN_END_COLUMNS, runFacts, totalsSection, type Section } from './sections.js';

/** Untrusted text for a terminal: control sequences escaped, one line, bounded. */
export const terminalText = (s: string): string => neutralize(s, { max: 80 });

/**
 * A table for the terminal in hive's one style: no frame, the header underlined, the `numeric`
 * columns right-aligned, within `width` columns (Infinity: no limit), columns given way as
 * src/report/render/columns.ts says. Every table hive prints is drawn here.
 */
export function terminalTable(head: readonly string[], rows: ReadonlyArray<readonly Cell[]>, opts: { width: number; numeric?: readonly number[] }): string {
  const specs = head.map((h, i) => columnSpec(h, opts.numeric?.includes(i) ?? false));
  return layoutTable(specs, rows, opts.width).join('\n');
}

/** A section as a titled table, its note underneath (wrapped to the width). */
export function sectionTable(s: Section, width: number): string {
  return [s.title, terminalTable(s.head, s.rows, { width, numeric: s.numeric }), ...(s.note ? wrapText(s.note, width) : [])].join('\n');
}

/** The batch rows of a report, laid out as they were printed while the run played. */
function batchesTable(r: RunReport, width: number, color: boolean): string {
  const rows = new BatchRows(r.run.roundsPlanned, width, new Chalk({ level: color ? 1 : 0 }));
  return ['Batches', ...rows.header(), ...r.batches.map((b) => rows.row(b)), ...droppedNote(rows.dropped, width)].join('\n');
}

/**
 * Every section of the report as tables, the run's facts on top. The batch rows look exactly like
 * the lines printed while the run played; `batches: false` leaves them out where they were just
 * printed (the end of `hive eval`). `color`: whether the batch rows may be coloured; `width`: the
 * columns to fit (Infinity: no limit).
 */
export function renderReportTable(r: RunReport, opts: { color: boolean; width: number; batches?: boolean }): string {
  const facts = runFacts(r, terminalText)
    .map(([k, v]) => `${k} ${v}`)
    .join(' · ');
  const parts = [wrapText(facts, opts.width).join('\n')];
  const [totals, scores, ...rest] = reportSections(r, terminalText);
  if (totals) parts.push(sectionTable(totals, opts.width));
  if (scores) parts.push(sectionTable(scores, opts.width));
  if (r.batches.length > 1 && opts.batches !== false) parts.push(batchesTable(r, opts.width, opts.color));
  for (const s of rest) parts.push(sectionTable(s, opts.width));
  return parts.join('\n\n');
}

/** What a wargame or a replay prints when it ends: the totals and the categories, fewer columns than `hive report`. */
export function runEndTables(r: RunReport, width: number): string {
  const modes = modeSections(r.modes, true, r.run.replayOf).map((s) => sectionTable(s, width));
  return [sectionTable(totalsSection(r.totals, r.healer.antibodiesPerPrompt, r.modes?.conversationStops.beforePayload), width), sectionTable(categoriesSection(r, RUN_END_COLUMNS), width), ...modes].join('\n\n');
}

export const tableFormat: Format<RunSubject> = textFormat('table', ['.txt'], (s, opts) => renderReportTable(s.report(), { color: opts.color, width: opts.width }));
