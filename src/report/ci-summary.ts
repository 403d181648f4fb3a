import type { GateResult } from './gates.js';
import { markdownText } from './markdown.js';
import { runFacts } from './sections.js';
import type { RunReport } from './types.js';

/** `hive ci --summary F`: Markdown for a pull-request comment or $GITHUB_STEP_SUMMARY. */
export function renderCiSummary(report: RunReport, gates: readonly GateResult[], extra: readonly string[] = []): string {
  const failed = gates.filter((g) => !g.passed);
  const t = report.totals.figures;
  const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
  const ci = (r: { rate: number | null; ci: { low: number; high: number } }) =>
    r.rate === null ? '' : ` [${(r.ci.low * 100).toFixed(1)}–${(r.ci.high * 100).toFixed(1)}]`;
  const out = [
    `## hive ci: ${failed.length === 0 ? `passed, ${gates.length} of ${gates.length} gates` : `FAILED, ${failed.length} of ${gates.length} gates`}`,
    '',
    runFacts(report, (s) => markdownText(s))
      .map(([k, v]) => `**${k}** ${v}`)
      .join(' · '),
    '',
    `defence **${pct(t.defence.rate)}**${ci(t.defence)} of ${t.validAttacks} valid attacks · false positives **${pct(t.falsePositive.rate)}**${ci(t.falsePositive)} of ${t.falsePositive.n} benign · ${report.totals.counts.BREACHED} breaches`,
    '',
    '| gate | result | measured | threshold | set in |',
    '|---|---|---|---:|---|',
    ...gates.map((g) => {
      const threshold = g.kind === 'max-drop' ? `${(g.threshold * 100).toFixed(1)} pts` : `${(g.threshold * 100).toFixed(1)}%`;
      return `| \`${g.name}\` | ${g.passed ? '✅ pass' : '❌ FAIL'} | ${markdownText(g.detail, 400)} | ${threshold} | ${markdownText(g.origin)} |`;
    }),
  ];
  if (extra.length > 0) out.push('', ...extra.map((e) => `_${markdownText(e, 400)}_`));
  out.push('', '_Rates with 95% Wilson intervals; a gate that cannot be measured fails. Made by `hive ci`._');
  return `${out.join('\n')}\n`;
}
