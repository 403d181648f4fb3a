/**
 * `hive report <run> --format html`: one self-contained file. Inline CSS and inline SVG drawn by
 * hive; no script, no font, no image, no link to anything: a Content-Security-Policy of
 * `default-src 'none'` says so to the browser too. Every piece of untrusted text (cast and
 * defender names from config files, learned patterns, corpus sources) is HTML-escaped.
 *
 * Charts: defence rate per batch with its 95% interval band; defence and false-positive rate per
 * category; each defender's detect rate against its false-positive rate; breaches and instant
 * blocks over time with the rounds where the healer learned a pattern marked. Then the tables of
 * the terminal report (src/report/sections.ts).
 */
import type { Rate } from '../../stats/wilson.js';
import { counts, intervalText, pct, rateWithCi } from '../numbers.js';
import type { RunReport, RunSubject, Timeline } from '../types.js';
import { textFormat, type Format } from './registry.js';
import { neutralize } from './sanitize.js';
import { batchesSection, reportSections, runFacts, type Section } from './sections.js';
import { escapeHtml, linear, n, niceCeil, svg, ticks, xAxis, yAxis, type Frame } from './svg.js';

const pctLabel = (v: number) => `${Math.round(v * 100)}%`;
const rateTip = (r: Rate) => (r.rate === null ? 'no data' : `${rateWithCi(r)} (${counts(r)})`);
const empty = (f: Frame, title: string, why: string) =>
  svg(f, title, `<text class="empty" x="${f.width / 2}" y="${f.height / 2}" text-anchor="middle">${escapeHtml(why)}</text>`);

/** Defence rate per batch, the 95% band around it, and the overall rate as a dashed line. */
export function batchChart(r: RunReport): string {
  const f: Frame = { width: 760, height: 280, left: 52, right: 16, top: 16, bottom: 40 };
  const title = 'Defence rate per batch, with its 95% interval';
  const pts = r.batches.filter((b) => b.defenceRate.rate !== null);
  if (pts.length === 0) return empty(f, title, 'no batch has valid attacks');
  const maxRound = Math.max(...r.batches.map((b) => b.lastRound), 1);
  const x = linear([0, maxRound], [f.left, f.width - f.right]);
  const y = linear([0, 1], [f.height - f.bottom, f.top]);
  const mid = (b: (typeof pts)[number]) => (b.firstRound - 1 + b.lastRound) / 2;
  const band = [...pts.map((b) => `${n(x(mid(b)))},${n(y(b.defenceRate.ci.high))}`), ...[...pts].reverse().map((b) => `${n(x(mid(b)))},${n(y(b.defenceRate.ci.low))}`)].join(' ');
  const line = pts.map((b) => `${n(x(mid(b)))},${n(y(b.defenceRate.rate as number))}`).join(' ');
  const overall = r.totals.defenceRate.rate;
  const only = pts.length === 1 ? pts[0] : undefined;
  const parts = [
    yAxis(f, y, [0, 0.25, 0.5, 0.75, 1], pctLabel, 'defence rate'),
    xAxis(f, x, ticks(maxRound, 6, true), (v) => String(v), 'round'),
    pts.length > 1 ? `<polygon class="band" points="${band}"/>` : '',
    only ? `<line class="whisker" x1="${n(x(mid(only)))}" x2="${n(x(mid(only)))}" y1="${n(y(only.defenceRate.ci.low))}" y2="${n(y(only.defenceRate.ci.high))}"/>` : '',
    overall !== null ? `<line class="overall" x1="${f.left}" x2="${f.width - f.right}" y1="${n(y(overall))}" y2="${n(y(overall))}"><title>overall ${escapeHtml(rateTip(r.totals.defenceRate))}</title></line>` : '',
    `<polyline class="rate" points="${line}"/>`,
    ...pts.map(
      (b) =>
        `<circle class="dot" cx="${n(x(mid(b)))}" cy="${n(y(b.defenceRate.rate as number))}" r="3"><title>${escapeHtml(`batch ${b.batch} (rounds ${b.firstRound}–${b.lastRound}): ${rateTip(b.defenceRate)}, ${b.counts.BREACHED} breached`)}</title></circle>`,
    ),
  ];
  return svg(f, title, parts.join(''));
}

/** Per category: the defence rate (bar, interval whisker) and the false-positive rate (thin red bar). */
export function categoryChart(r: RunReport): string {
  const cats = r.categories;
  const rowH = 26;
  const f: Frame = { width: 760, height: 56 + rowH * Math.max(cats.length, 1), left: 190, right: 24, top: 12, bottom: 40 };
  const title = 'Defence and false-positive rate per category';
  if (cats.length === 0) return empty(f, title, 'no categories');
  const x = linear([0, 1], [f.left, f.width - f.right]);
  const parts: string[] = [xAxis(f, x, [0, 0.25, 0.5, 0.75, 1], pctLabel, 'rate (bars: defence; thin red: false positives; whiskers: 95% interval)')];
  for (const v of [0.25, 0.5, 0.75, 1]) parts.push(`<line class="grid" x1="${n(x(v))}" x2="${n(x(v))}" y1="${f.top}" y2="${f.height - f.bottom}"/>`);
  cats.forEach((c, i) => {
    const top = f.top + i * rowH + 4;
    const d = c.defenceRate;
    const fp = c.falsePositiveRate;
    parts.push(`<text class="label" x="${f.left - 8}" y="${n(top + 11)}" text-anchor="end">${escapeHtml(c.category, 40)}</text>`);
    if (d.rate !== null) {
      parts.push(
        `<rect class="bar" x="${f.left}" y="${n(top)}" width="${n(x(d.rate) - f.left)}" height="13"><title>${escapeHtml(`${c.category}: defence ${rateTip(d)}, ${c.counts.BREACHED} breached`)}</title></rect>`,
        `<line class="whisker" x1="${n(x(d.ci.low))}" x2="${n(x(d.ci.high))}" y1="${n(top + 6.5)}" y2="${n(top + 6.5)}"/>`,
      );
    }
    if (fp.rate !== null) {
      parts.push(
        `<rect class="fpbar" x="${f.left}" y="${n(top + 15)}" width="${n(Math.max(x(fp.rate) - f.left, 1))}" height="5"><title>${escapeHtml(`${c.category}: false positives ${rateTip(fp)}`)}</title></rect>`,
        `<line class="whisker fp" x1="${n(x(fp.ci.low))}" x2="${n(x(fp.ci.high))}" y1="${n(top + 17.5)}" y2="${n(top + 17.5)}"/>`,
      );
    }
  });
  return svg(f, title, parts.join(''));
}

/** Marker colours of the defender chart (CSS classes c0…c9), repeated past ten defenders. */
const DEFENDER_COLOURS = 10;

/**
 * Each defender: detect rate on attacks (y) against false-positive rate on benign rounds (x), with
 * both intervals. The false-positive axis reaches the highest interval bound, so no interval is
 * cut at the axis; names stand in a legend beside the plot, where no whisker or other name can
 * run through them.
 */
export function defenderChart(r: RunReport): string {
  const ds = r.defenders.filter((d) => d.detectRate.rate !== null || d.falsePositiveRate.rate !== null);
  const legendRow = 18;
  const f: Frame = { width: 760, height: Math.max(320, 56 + legendRow * ds.length), left: 52, right: 190, top: 16, bottom: 40 };
  const title = 'Defenders: detect rate against false-positive rate';
  if (ds.length === 0) return empty(f, title, 'no defender votes recorded');
  const fpHigh = ds.map((d) => (d.falsePositiveRate.rate === null ? 0 : d.falsePositiveRate.ci.high));
  const xMax = Math.min(1, niceCeil(Math.max(0.05, ...fpHigh)));
  const x = linear([0, xMax], [f.left, f.width - f.right]);
  const y = linear([0, 1], [f.height - f.bottom, f.top]);
  const parts = [yAxis(f, y, [0, 0.25, 0.5, 0.75, 1], pctLabel, 'detect rate (attacks)'), xAxis(f, x, ticks(xMax, 5), pctLabel, 'false-positive rate (benign)')];
  const legendX = f.width - f.right + 16;
  ds.forEach((d, i) => {
    const colour = `c${i % DEFENDER_COLOURS}`;
    const cx = x(d.falsePositiveRate.rate ?? 0);
    const cy = y(d.detectRate.rate ?? 0);
    const tip = `<title>${escapeHtml(`${d.name}: detect ${rateTip(d.detectRate)}; false positives ${rateTip(d.falsePositiveRate)}; ${d.abstain} abstentions`)}</title>`;
    const ly = f.top + 8 + i * legendRow;
    parts.push(
      d.detectRate.rate !== null ? `<line class="whisker ${colour}" x1="${n(cx)}" x2="${n(cx)}" y1="${n(y(d.detectRate.ci.low))}" y2="${n(y(d.detectRate.ci.high))}"/>` : '',
      d.falsePositiveRate.rate !== null ? `<line class="whisker ${colour}" x1="${n(x(d.falsePositiveRate.ci.low))}" x2="${n(x(d.falsePositiveRate.ci.high))}" y1="${n(cy)}" y2="${n(cy)}"/>` : '',
      `<circle class="defender ${colour}" cx="${n(cx)}" cy="${n(cy)}" r="6">${tip}</circle>`,
      `<circle class="key ${colour}" cx="${legendX}" cy="${ly}" r="5"/><text class="label" x="${legendX + 10}" y="${ly + 4}">${escapeHtml(d.name, 24)}</text>`,
    );
  });
  return svg(f, title, parts.join(''));
}

/** Cumulative counts at up to `bins` points along [0, last]: a long run stays a small path. */
function cumulative(rounds: readonly number[], last: number, bins = 400): Array<[number, number]> {
  const pts: Array<[number, number]> = [[0, 0]];
  const step = Math.max(1, Math.ceil(last / bins));
  let i = 0;
  for (let at = step; ; at = Math.min(last, at + step)) {
    while (i < rounds.length && (rounds[i] as number) <= at) i += 1;
    pts.push([at, i]);
    if (at >= last) break;
  }
  return pts;
}

/** Breaches and instant blocks over time; a green mark where the healer learned a pattern. */
export function timelineChart(r: RunReport, t: Timeline, maxMarks = 300): string {
  const f: Frame = { width: 760, height: 300, left: 52, right: 16, top: 16, bottom: 52 };
  const title = 'Breaches and instant blocks over time, healer patterns marked';
  if (t.lastRound === 0) return empty(f, title, 'no rounds');
  const yMax = niceCeil(Math.max(t.breaches.length, t.instantBlocks.length, 1));
  const x = linear([0, t.lastRound], [f.left, f.width - f.right]);
  const y = linear([0, yMax], [f.height - f.bottom, f.top]);
  const path = (pts: Array<[number, number]>) => pts.map(([a, b], i) => `${i === 0 ? 'M' : 'L'}${n(x(a))},${n(y(b))}`).join('');
  const learned = r.healer.patterns.filter((p) => p.learnedRound > 0);
  const shown = learned.slice(0, maxMarks);
  const base = f.height - f.bottom;
  const parts = [
    yAxis(f, y, ticks(yMax, 4, true), (v) => String(v), 'rounds so far'),
    xAxis(f, x, ticks(t.lastRound, 6, true), (v) => String(v), 'round'),
    `<path class="instant" d="${path(cumulative(t.instantBlocks, t.lastRound))}"/>`,
    `<path class="breach" d="${path(cumulative(t.breaches, t.lastRound))}"/>`,
    ...shown.map(
      (p) =>
        `<path class="pattern" d="M${n(x(p.learnedRound))},${n(base - 1)}l-4,-8h8z"><title>${escapeHtml(`pattern ${p.id} learned at round ${p.learnedRound}${p.sourceRound !== null ? ` from the breach of round ${p.sourceRound}` : ''}: "${neutralize(p.pattern, { max: 80 })}" (${p.hits} attacks stopped, ${p.falsePositiveHits} benign)`)}</title></path>`,
    ),
    `<g class="legend" transform="translate(${f.left + 10} ${f.top + 6})">` +
      `<line class="breach" x1="0" x2="18" y1="4" y2="4"/><text x="24" y="8">breaches (${t.breaches.length})</text>` +
      `<line class="instant" x1="150" x2="168" y1="4" y2="4"/><text x="174" y="8">instant blocks (${t.instantBlocks.length})</text>` +
      `<path class="pattern" d="M335,9l-4,-8h8z"/><text x="344" y="8">pattern learned (${learned.length}${learned.length > shown.length ? `, first ${shown.length} marked` : ''})</text></g>`,
  ];
  return svg(f, title, parts.join(''));
}

function table(s: Section): string {
  const cell = (tag: 'th' | 'td', text: string, i: number) => `<${tag}${s.numeric.includes(i) ? ' class="num"' : ''}>${escapeHtml(text)}</${tag}>`;
  return [
    `<section><h2>${escapeHtml(s.title)}</h2><div class="scroll"><table>`,
    `<thead><tr>${s.head.map((h, i) => cell('th', h, i)).join('')}</tr></thead>`,
    `<tbody>${s.rows.map((row) => `<tr>${row.map((c, i) => cell('td', c, i)).join('')}</tr>`).join('')}</tbody>`,
    `</table></div>${s.note ? `<p class="note">${escapeHtml(s.note)}</p>` : ''}</section>`,
  ].join('');
}

const CSS = `
:root{--fg:#1d2330;--muted:#5b6475;--line:#d9dee8;--blue:#2f6fdb;--band:rgba(47,111,219,.16);--red:#d23f31;--amber:#d68a00;--green:#1f9d55}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:#f6f7fb}
main{max-width:1100px;margin:0 auto;padding:24px}h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:0 0 8px}
.facts{color:var(--muted);margin:0 0 16px}.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;margin-bottom:16px}
.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:10px 12px}.card b{display:block;font-size:22px}.card span{color:var(--muted);font-size:12px}
section,figure{background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px 14px;margin:0 0 16px}
figure figcaption{font-weight:600;margin-bottom:6px}svg.chart{width:100%;height:auto;display:block}
.grid{stroke:var(--line);stroke-width:1}.axis{stroke:#8a93a6}.tick,.label,.legend text{font-size:11px;fill:var(--muted)}.label{fill:var(--fg)}
.axis-title{font-size:11px;fill:var(--muted)}.empty{fill:var(--muted);font-size:13px}
.band{fill:var(--band)}.rate{fill:none;stroke:var(--blue);stroke-width:2}.dot{fill:var(--blue)}.overall{stroke:var(--blue);stroke-dasharray:4 4;opacity:.7}
.bar{fill:var(--blue)}.fpbar{fill:var(--red)}.whisker{stroke:#1d2330;stroke-width:1.4}.whisker.fp{stroke:var(--red)}
.defender{stroke:#fff;stroke-width:1.5}.c0{fill:#2f6fdb;stroke:#2f6fdb}.c1{fill:#1f9d55;stroke:#1f9d55}.c2{fill:#d68a00;stroke:#d68a00}.c3{fill:#8e44ad;stroke:#8e44ad}.c4{fill:#d23f31;stroke:#d23f31}
.c5{fill:#16a2b8;stroke:#16a2b8}.c6{fill:#6b7a8f;stroke:#6b7a8f}.c7{fill:#b8336a;stroke:#b8336a}.c8{fill:#7a9a01;stroke:#7a9a01}.c9{fill:#c05800;stroke:#c05800}
circle.defender{stroke:#fff}circle.key{stroke:none}
.breach{fill:none;stroke:var(--red);stroke-width:2}.instant{fill:none;stroke:var(--amber);stroke-width:2}.pattern{fill:var(--green);stroke:none}
table{border-collapse:collapse;width:100%;font-size:12.5px}th,td{padding:4px 6px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#f0f2f7}.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}th.num{white-space:normal}.scroll{overflow-x:auto}.note{color:var(--muted);font-size:12px;margin:6px 0 0}
footer{color:var(--muted);font-size:12px}`;

function card(label: string, value: string, sub: string): string {
  return `<div class="card"><span>${escapeHtml(label)}</span><b>${escapeHtml(value)}</b><span>${escapeHtml(sub)}</span></div>`;
}

/** The whole page; `t`: the per-round facts of the charts. */
export function renderReportHtml(r: RunReport, t: Timeline): string {
  const untrusted = (s: string) => neutralize(s, { max: 80 });
  const f = r.totals;
  const c = r.totals.counts;
  const ci = (x: Rate) => (x.rate === null ? 'no data' : `95% CI ${intervalText(x.ci, true)} · ${counts(x)}`);
  const facts = runFacts(r, untrusted)
    .map(([k, v]) => `${escapeHtml(k)} <strong>${escapeHtml(v)}</strong>`)
    .join(' · ');
  const sections = reportSections(r, untrusted);
  if (r.batches.length > 1) sections.splice(2, 0, batchesSection(r));
  const title = `hive report: run ${r.run.id}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="generator" content="hive ${escapeHtml(r.run.toolVersion)}">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)} <small>(${escapeHtml(r.run.kind)}, cast ${escapeHtml(untrusted(r.run.cast))})</small></h1>
<p class="facts">${facts}</p>
<div class="cards">
${card('defence rate', pct(f.defenceRate.rate), ci(f.defenceRate))}
${card('breaches', String(c.BREACHED), `of ${f.validAttacks} valid attacks`)}
${card('false-positive rate', pct(f.falsePositiveRate.rate), ci(f.falsePositiveRate))}
${card('balanced accuracy', pct(f.balancedAccuracy), '(defence + (1 − FPR)) / 2')}
${card('instant blocks', String(c.INSTANT_BLOCKED), `${r.healer.patternsLearned} patterns learned`)}
${card('refused / errors', `${c.ATTACKER_REFUSED} / ${c.ERROR}`, c.RECORDING_ENDED > 0 ? `left out of every rate, as are ${c.RECORDING_ENDED} whose recording ended` : 'left out of every rate')}
</div>
<figure><figcaption>Defence rate per batch</figcaption>${batchChart(r)}</figure>
<figure><figcaption>Breaches over time</figcaption>${timelineChart(r, t)}</figure>
<figure><figcaption>Per category</figcaption>${categoryChart(r)}</figure>
<figure><figcaption>Per defender</figcaption>${defenderChart(r)}</figure>
${sections.map(table).join('\n')}
<footer>Rates with 95% Wilson intervals; refused and errored rounds are left out of every denominator. Made by hive ${escapeHtml(r.run.toolVersion)}; this file loads nothing from anywhere.</footer>
</main>
</body>
</html>
`;
}

export const htmlFormat: Format<RunSubject> = textFormat('html', ['.html', '.htm'], (s) => renderReportHtml(s.report(), s.timeline()));
