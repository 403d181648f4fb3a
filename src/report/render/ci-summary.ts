import { bounds, pct } from '../numbers.js';
import type { GatedRun } from '../compute/types.js';
import { markdownText } from './markdown.js';
import { textFormat, type Format } from './registry.js';
import { runFacts } from './sections.js';

/** `hive ci --summary F`: Markdown for a pull-request comment or $GITHUB_STEP_SUMMARY. */
export function renderCiSummary(g: GatedRun): string {
  const { report, gates } = g;
  const failed = gates.filter((x) => !x.passed);
  const t = report.totals;
  const bracketed = (r: { rate: number | null; ci: { low: number; high: number } }) => (r.rate === null ? '' : ` [${bounds(r.ci)}]`);
  const out = [
    `## hive ci: ${failed.length === 0 ? `passed, ${gates.length} of ${gates.length} gates` : `FAILED, ${failed.length} of ${gates.length} gates`}`,
    '',
    runFacts(report, (s) => markdownText(s))
      .map(([k, v]) => `**${k}** ${v}`)
      .join(' · '),
    '',
    `defence **${pct(t.defenceRate.rate)}**${bracketed(t.defenceRate)} of ${t.validAttacks} valid attacks · false positives **${pct(t.falsePositiveRate.rate)}**${bracketed(t.falsePositiveRate)} of ${t.falsePositiveRate.n} benign · ${t.counts.BREACHED} breaches · ${t.counts.ERROR} errored rounds (${t.attackErrors} attack, ${t.benignErrors} benign) of ${t.counts.rounds}`,
    '',
    '| gate | result | measured | threshold | set in |',
    '|---|---|---|---:|---|',
    ...gates.map((x) => {
      const threshold = x.kind === 'max-drop' ? `${(x.threshold * 100).toFixed(1)} pts` : pct(x.threshold);
      return `| \`${x.name}\` | ${x.passed ? '✅ pass' : '❌ FAIL'} | ${markdownText(x.detail, 400)} | ${threshold} | ${markdownText(x.origin)} |`;
    }),
  ];
  if (g.status !== 'completed') out.push('', `_${markdownText(`The run ended ${g.status}; the gates saw only the rounds played.`, 400)}_`);
  out.push('', '_Rates with 95% Wilson intervals; a gate that cannot be measured fails. Made by `hive ci`._');
  return `${out.join('\n')}\n`;
}

export const ciSummaryFormat: Format<GatedRun> = textFormat('md', ['.md', '.markdown'], renderCiSummary);
