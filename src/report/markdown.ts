import { neutralize } from './sanitize.js';
import { batchesSection, reportSections, runFacts, type Section } from './sections.js';
import type { RunReport } from './types.js';

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

function table(s: Section): string {
  const align = s.head.map((_, i) => (s.numeric.includes(i) ? '---:' : '---'));
  // Untrusted cells arrive escaped by markdownText; the rest are hive's own words and numbers.
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(s.head), `|${align.join('|')}|`, ...s.rows.map(line)].join('\n');
}

function section(s: Section, level = '###'): string {
  return [`${level} ${s.title}`, '', table(s), ...(s.note ? ['', `_${s.note}_`] : [])].join('\n');
}

/** `hive report --format md`: a summary and tables to paste into a pull request. */
export function renderReportMarkdown(r: RunReport): string {
  const t = r.totals.figures;
  const facts = runFacts(r, markdownText)
    .map(([k, v]) => `**${k}** ${v}`)
    .join(' · ');
  const tpr1 = r.scores.operatingPoints.find((p) => p.maxFpr === 0.01)?.tpr;
  const headline = [
    `defence ${t.defence.rate === null ? '—' : `**${(t.defence.rate * 100).toFixed(1)}%**`} of ${t.validAttacks} valid attacks`,
    `false positives ${t.falsePositive.rate === null ? '—' : `**${(t.falsePositive.rate * 100).toFixed(1)}%**`} of ${t.falsePositive.n} benign`,
    `balanced accuracy ${t.balancedAccuracy === null ? '—' : `${(t.balancedAccuracy * 100).toFixed(1)}%`}`,
    `TPR at 1% FPR ${tpr1 === undefined || tpr1.rate === null ? '—' : `${(tpr1.rate * 100).toFixed(1)}%`}`,
  ].join(' · ');
  const parts = [`## hive report: run ${r.run.id}`, '', facts, '', headline];
  for (const s of reportSections(r, markdownText)) parts.push('', section(s));
  if (r.batches.length > 1) {
    parts.push('', '<details><summary>Batches</summary>', '', table(batchesSection(r)), '', '</details>');
  }
  parts.push('', '_Rates with 95% Wilson intervals; refused and errored rounds are left out of every denominator._');
  return `${parts.join('\n')}\n`;
}
