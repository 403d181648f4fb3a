/** `hive reproduce` as a table, Markdown and JSON, and the list of presets. Preset texts and paths are shown neutralised. */
import type { Preset } from '../../config/presets.js';
import { pct } from '../numbers.js';
import type { ReproduceResult, SideBySide } from '../compute/types.js';
import { jsonText } from './json.js';
import { markdownTable, markdownText } from './markdown.js';
import { textFormat, type Format } from './registry.js';
import { neutralize } from './sanitize.js';
import { wrapText } from './layout.js';
import { terminalTable } from './table.js';

const insideText = (x: boolean | null) => (x === null ? '—' : x ? 'yes' : 'NO');

export function articleLine(p: Preset): string {
  return `source: ${p.article.title}, ${p.article.date ?? 'date not recorded'}${p.article.url ? `, ${p.article.url}` : ''}`;
}

function head(r: ReproduceResult, esc: (s: string) => string): string[] {
  const p = r.preset;
  return [
    `reproduce ${p.id}: ${esc(p.config)}`,
    esc(articleLine(p)),
    `run ${r.runId}: ${r.attackRounds} attack rounds + ${r.benignRounds} benign controls, healer ${p.heal ? 'on' : 'off'}, cast ${esc(r.castPath)}, attackers ${esc(r.attackersPath)}`,
  ];
}

const HEAD = ['figure', 'published', 'measured', '95% CI', 'published inside CI?'];

/** Side by side: published, measured, the 95% interval and whether the published figure lies inside it. */
export function renderReproduceTable(r: ReproduceResult, opts: { width: number }): string {
  const esc = (s: string) => neutralize(s, { max: 200 });
  const table = terminalTable(HEAD, r.rows.map((row) => [row.figure, row.published, row.measured, row.interval || '—', insideText(row.inside)]), { width: opts.width, numeric: [1, 2, 3] });
  const inside = r.rows.filter((x) => x.inside !== null);
  const summary = `${inside.filter((x) => x.inside).length} of ${inside.length} published figures lie inside the measured 95% interval.`;
  const prose = (lines: string[]) => lines.flatMap((l) => wrapText(l, opts.width));
  return [
    ...prose(head(r, esc)),
    table,
    ...prose([summary, ...r.caveats.map((c) => `note: ${esc(c)}`), ...(r.preset.notes ? [`published notes: ${esc(r.preset.notes)}`] : [])]),
  ].join('\n');
}

export function renderReproduceMarkdown(r: ReproduceResult): string {
  const esc = (s: string) => markdownText(s, 200);
  const rows = r.rows.map((row) => [row.figure, esc(row.published), esc(row.measured), row.interval || '—', insideText(row.inside)]);
  const out = [
    `## ${head(r, esc)[0]}`,
    '',
    ...head(r, esc).slice(1).map((l) => `${l}  `),
    '',
    markdownTable({ title: '', head: HEAD, numeric: [1, 2, 3], rows }),
    '',
    ...r.caveats.map((c) => `- ${esc(c)}`),
  ];
  return `${out.join('\n')}\n`;
}

function rowJson(row: SideBySide) {
  const m = row.measuredRate;
  return {
    figure: row.figure,
    published: row.published,
    published_value: row.publishedValue,
    measured: row.measured,
    measured_rate: m?.rate ?? null,
    measured_k: m?.k ?? null,
    measured_n: m?.n ?? null,
    measured_ci: m && m.rate !== null ? [m.ci.low, m.ci.high] : null,
    published_inside_ci: row.inside,
  };
}

/** `hive reproduce --format json`: snake_case, rates as fractions with their counts and interval. */
export function reproduceJson(r: ReproduceResult) {
  const p = r.preset;
  return {
    // What was published, the run that measured it again, and what that run played.
    preset: p.id, config: p.config, article: p.article,
    run: r.runId, status: r.result.status, embedded: r.embedded, cast: r.castPath, attackers: r.attackersPath,
    attack_rounds: r.attackRounds, published_rounds: p.rounds, benign_rounds: r.benignRounds, heal: p.heal,
    rows: r.rows.map(rowJson),
    substitutions: p.substitutions,
    caveats: r.caveats,
  };
}

/** `hive reproduce` with no preset: what there is. */
export function renderPresetList(presets: readonly Preset[], width: number): string {
  const rows = presets.map((p) => [p.id, neutralize(p.config, { max: 60 }), String(p.rounds), pct(p.published.defence), p.cast, p.attackers]);
  return terminalTable(['preset', 'configuration', 'rounds', 'published defence', 'cast', 'attackers'], rows, { width, numeric: [2, 3] });
}

export const reproduceTableFormat: Format<ReproduceResult> = textFormat('table', ['.txt'], renderReproduceTable);
export const reproduceJsonFormat: Format<ReproduceResult> = textFormat('json', ['.json'], (r) => jsonText(reproduceJson(r)));
export const reproduceMarkdownFormat: Format<ReproduceResult> = textFormat('md', ['.md', '.markdown'], renderReproduceMarkdown);
