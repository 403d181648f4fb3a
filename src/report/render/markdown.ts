import { pct } from '../numbers.js';
import type { RunReport, RunSubject } from '../types.js';
import { textFormat, type Format } from './registry.js';
import { neutralize } from './sanitize.js';
import { batchesSection, reportSections, runFacts, type Section } from './sections.js';

/**
 * Untrusted text for Markdown (a pull-request comment), one line with control characters
 * escaped. Inside a code span nothing is interpreted (no link, image, raw HTML or @mention), so
 * text without backticks or pipes goes in one; anything else has every ASCII punctuation
 * character backslash-escaped, which CommonMark allows for all of them.
 */
export function markdownText(s: string, max = 80): string {
  const line = neutralize(s, { max });
  if (line.trim() !== '' && !/[`|]/.test(line)) return `\`${line}\``;
  return line.replace(/[!-/:-@[-`{-~]/g, '\\$&');
}

/** A section as a Markdown table, numbers right-aligned. */
export function markdownTable(s: Section): string {
  const align = s.head.map((_, i) => (s.numeric.includes(i) ? '---:' : '---'));
  // Untrusted cells arrive escaped by markdownText; the rest are hive's own words and numbers.
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(s.head), `|${align.join('|')}|`, ...s.rows.map(line)].join('\n');
}

function section(s: Section, level = '###'): string {
  return [`${level} ${s.title}`, '', markdownTable(s), ...(s.note ? ['', `_${s.note}_`] : [])].join('\n');
}

/** `hive report --format md`: a summary and tables to paste into a pull request. */
export function renderReportMarkdown(r: RunReport): string {
  const t = r.totals;
  const facts = runFacts(r, markdownText)
    .map(([k, v]) => `**${k}** ${v}`)
    .join(' · ');
  const tpr1 = r.scores.operatingPoints.find((p) => p.maxFpr === 0.01)?.tpr;
  const bold = (x: number | null) => (x === null ? '—' : `**${pct(x)}**`);
  const headline = [
    `defence ${bold(t.defenceRate.rate)} of ${t.validAttacks} valid attacks`,
    `false positives ${bold(t.falsePositiveRate.rate)} of ${t.falsePositiveRate.n} benign`,
    `balanced accuracy ${pct(t.balancedAccuracy)}`,
    `TPR at 1% FPR ${pct(tpr1?.rate ?? null)}`,
  ].join(' · ');
  const parts = [`## hive report: run ${r.run.id}`, '', facts, '', headline];
  // In the order of the terminal table: the batches after the totals and scores.
  const [totals, scores, ...rest] = reportSections(r, markdownText);
  for (const s of [totals, scores]) if (s) parts.push('', section(s));
  if (r.batches.length > 1) parts.push('', section(batchesSection(r)));
  for (const s of rest) parts.push('', section(s));
  parts.push('', '_Rates with 95% Wilson intervals; refused and errored rounds are left out of every denominator._');
  return `${parts.join('\n')}\n`;
}

export const markdownFormat: Format<RunSubject> = textFormat('md', ['.md', '.markdown'], (s) => renderReportMarkdown(s.report()));
