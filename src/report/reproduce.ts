import Table from 'cli-table3';
import type { Preset } from '../config/presets.js';
import type { Outcome } from '../domain.js';
import { rate, type Rate } from '../stats/wilson.js';
import type { RunReport } from './types.js';
import type { RunStatus } from '../store/records.js';
import { markdownText } from './markdown.js';
import { neutralize } from './sanitize.js';

/** `hive reproduce`: what was published beside what was measured, computed from a run's report and rendered. */

/** One row of the side-by-side table. */
export interface SideBySide {
  figure: string;
  published: string;
  measured: string;
  /** The measured figure's 95% interval, as text ('' when it has none). */
  interval: string;
  /** Whether the published figure lies inside the measured interval; null when not comparable. */
  inside: boolean | null;
  /** Published value as a fraction, measured rate (for JSON). */
  publishedValue: number | null;
  measuredRate: Rate | null;
}

export interface ReproduceResult {
  runId: number;
  preset: Preset;
  castPath: string;
  attackersPath: string;
  embedded: boolean;
  attackRounds: number;
  benignRounds: number;
  result: { status: RunStatus; reason: string | null };
  report: RunReport;
  rows: SideBySide[];
  /** Caveats to print with the table. */
  caveats: string[];
}

/** Benign controls added on top of `attacks` so that they make up `ratio` of all rounds. */
export function benignOnTop(attacks: number, ratio: number): number {
  return ratio <= 0 ? 0 : Math.round((attacks * ratio) / (1 - ratio));
}

const pct = (x: number, digits = 1) => `${(x * 100).toFixed(digits)}%`;
const ciText = (r: Rate) => (r.rate === null ? '' : `${pct(r.ci.low)}–${pct(r.ci.high)}`);
const insideOf = (x: number, r: Rate) => (r.rate === null ? null : x >= r.ci.low - 1e-12 && x <= r.ci.high + 1e-12);
const measuredText = (r: Rate) => (r.rate === null ? '—' : `${pct(r.rate)} (${r.k}/${r.n})`);

function rateRow(figure: string, published: number, publishedText: string, r: Rate): SideBySide {
  return { figure, published: publishedText, measured: measuredText(r), interval: ciText(r), inside: insideOf(published, r), publishedValue: published, measuredRate: r };
}

const VALID = new Set<Outcome>(['DEFENDED', 'INSTANT_BLOCKED', 'BREACHED']);
const STOPPED = new Set<Outcome>(['DEFENDED', 'INSTANT_BLOCKED']);

/** Defence over attack rounds [from, to) counted in play order (attack ordinals, benign rounds skipped). */
function defenceOver(outcomes: readonly Outcome[], from: number, to: number): { defence: Rate; breaches: number } {
  let k = 0;
  let n = 0;
  let breaches = 0;
  for (const o of outcomes.slice(from, to)) {
    if (!VALID.has(o)) continue;
    n += 1;
    if (STOPPED.has(o)) k += 1;
    if (o === 'BREACHED') breaches += 1;
  }
  return { defence: rate(k, n), breaches };
}

export function sideBySide(preset: Preset, report: RunReport, attackOutcomes: readonly Outcome[]): SideBySide[] {
  const p = preset.published;
  const t = report.totals;
  const f = t.figures;
  const rows: SideBySide[] = [rateRow('defence rate', p.defence, pct(p.defence), f.defence)];
  if (p.breaches !== undefined) {
    const pub = p.breaches / preset.rounds;
    rows.push({
      figure: 'breaches',
      published: `${p.breaches} of ${preset.rounds} (${pct(pub)})`,
      measured: `${t.counts.BREACHED} of ${f.validAttacks}${f.breach.rate === null ? '' : ` (${pct(f.breach.rate)})`}`,
      interval: ciText(f.breach),
      inside: insideOf(pub, f.breach),
      publishedValue: pub,
      measuredRate: f.breach,
    });
  }
  if (p.instant_blocks !== undefined) {
    const pub = p.instant_blocks / preset.rounds;
    const r = rate(t.counts.INSTANT_BLOCKED, f.validAttacks);
    rows.push({ ...rateRow('instant blocks', pub, `${p.instant_blocks} (${pct(pub)})`, r), measured: `${t.counts.INSTANT_BLOCKED} (${r.rate === null ? '—' : pct(r.rate)})` });
  }
  if (p.patterns !== undefined) {
    rows.push({ figure: 'blocklist patterns', published: String(p.patterns), measured: String(report.healer.patternsLearned), interval: '', inside: null, publishedValue: null, measuredRate: null });
  }
  for (const c of p.checkpoints ?? []) {
    const m = defenceOver(attackOutcomes, 0, c.attacks);
    const pubText = `${pct(c.defence)}${c.breaches !== undefined ? ` (${c.breaches} breaches)` : ''}`;
    rows.push({ ...rateRow(`first ${c.attacks} attacks`, c.defence, pubText, m.defence), measured: `${measuredText(m.defence)}, ${m.breaches} breaches` });
  }
  if (p.batches && p.batch_size) {
    p.batches.forEach((pub, i) => {
      const from = i * (p.batch_size as number);
      if (from >= attackOutcomes.length) return;
      const to = from + (p.batch_size as number);
      rows.push(rateRow(`attacks ${from + 1}–${Math.min(to, attackOutcomes.length)}`, pub, pct(pub, 0), defenceOver(attackOutcomes, from, to).defence));
    });
  }
  if (p.categories !== undefined) {
    const played = report.categories.filter((c) => c.counts.attacks > 0).length;
    rows.push({ figure: 'categories', published: String(p.categories), measured: String(played), interval: '', inside: null, publishedValue: null, measuredRate: null });
  }
  rows.push({
    figure: 'false-positive rate',
    published: 'not published',
    measured: measuredText(f.falsePositive),
    interval: ciText(f.falsePositive),
    inside: null,
    publishedValue: null,
    measuredRate: f.falsePositive,
  });
  return rows;
}



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

export function renderReproduceTable(r: ReproduceResult): string {
  const esc = (s: string) => neutralize(s, { max: 200 });
  const t = new Table({ head: HEAD, style: { head: [], border: [] } });
  for (const row of r.rows) t.push([row.figure, row.published, row.measured, row.interval || '—', insideText(row.inside)]);
  const inside = r.rows.filter((x) => x.inside !== null);
  const summary = `${inside.filter((x) => x.inside).length} of ${inside.length} published figures lie inside the measured 95% interval.`;
  return [...head(r, esc), t.toString(), summary, ...r.caveats.map((c) => `note: ${esc(c)}`), ...(r.preset.notes ? [`published notes: ${esc(r.preset.notes)}`] : [])].join('\n');
}

export function renderReproduceMarkdown(r: ReproduceResult): string {
  const esc = (s: string) => markdownText(s, 200);
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const out = [
    `## ${head(r, esc)[0]}`,
    '',
    ...head(r, esc).slice(1).map((l) => `${l}  `),
    '',
    line(HEAD),
    '|---|---:|---:|---:|---|',
    ...r.rows.map((row) => line([row.figure, esc(row.published), esc(row.measured), row.interval || '—', insideText(row.inside)])),
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

export function reproduceJson(r: ReproduceResult) {
  const p = r.preset;
  return {
    preset: p.id,
    config: p.config,
    article: p.article,
    run: r.runId,
    status: r.result.status,
    embedded: r.embedded,
    cast: r.castPath,
    attackers: r.attackersPath,
    attack_rounds: r.attackRounds,
    published_rounds: p.rounds,
    benign_rounds: r.benignRounds,
    heal: p.heal,
    rows: r.rows.map(rowJson),
    substitutions: p.substitutions,
    caveats: r.caveats,
  };
}

/** `hive reproduce` with no preset: what there is. */
export function renderPresetList(presets: readonly Preset[]): string {
  const t = new Table({ head: ['preset', 'configuration', 'rounds', 'published defence', 'cast', 'attackers'], style: { head: [], border: [] } });
  for (const p of presets) t.push([p.id, neutralize(p.config, { max: 60 }), String(p.rounds), `${(p.published.defence * 100).toFixed(1)}%`, p.cast, p.attackers]);
  return t.toString();
}
