import Table from 'cli-table3';
import type { ChalkInstance } from 'chalk';
import { neutralize } from './sanitize.js';
import { reportSections, runFacts, type Section } from './sections.js';
import type { RunReport } from './types.js';
import { batchHeader, batchLine } from './terminal.js';

/** Untrusted text for a terminal: control sequences escaped, one line, bounded. */
const terminalText = (s: string): string => neutralize(s, { max: 80 });

function sectionTable(s: Section): string {
  const t = new Table({
    head: s.head,
    style: { head: [], border: [] },
    colAligns: s.head.map((_, i) => (s.numeric.includes(i) ? 'right' : 'left')),
  });
  for (const row of s.rows) t.push(row);
  return [s.title, t.toString(), ...(s.note ? [s.note] : [])].join('\n');
}

/** `hive report` as terminal tables; the batch rows look exactly like the live wargame lines. */
export function renderReportTable(r: RunReport, color: ChalkInstance, opts: { batches?: boolean } = {}): string {
  const facts = runFacts(r, terminalText)
    .map(([k, v]) => `${k} ${v}`)
    .join(' · ');
  const parts = [facts];
  const sections = reportSections(r, terminalText);
  const [totals, scores, ...rest] = sections;
  if (totals) parts.push(sectionTable(totals));
  if (scores) parts.push(sectionTable(scores));
  // Left out where the batch rows were just printed live (the end of `hive eval`).
  if (r.batches.length > 1 && opts.batches !== false) {
    parts.push(
      ['Batches', batchHeader(), ...r.batches.map((b) => batchLine({ batch: b.batch, firstRound: b.firstRound, lastRound: b.lastRound, counts: b.counts }, color))].join('\n'),
    );
  }
  for (const s of rest) parts.push(sectionTable(s));
  return parts.join('\n\n');
}
