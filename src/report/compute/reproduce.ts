/**
 * `hive reproduce`: what was published beside what was measured, row by row, from a run's report
 * and the outcomes of its attack rounds in play order. Each measured rate comes with its 95%
 * interval and whether the published figure lies inside it.
 */
import type { Preset } from '../../config/presets.js';
import type { Outcome } from '../../domain.js';
import { rate, type Rate } from '../../stats/wilson.js';
import { pct } from '../numbers.js';
import type { RunReport } from '../types.js';
import type { SideBySide } from './types.js';

/** Benign controls added on top of `attacks` so that they make up `ratio` of all rounds. */
export function benignOnTop(attacks: number, ratio: number): number {
  return ratio <= 0 ? 0 : Math.round((attacks * ratio) / (1 - ratio));
}

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

/** The rows of the side-by-side table; `attackOutcomes`: the run's attack rounds in play order. */
export function sideBySide(preset: Preset, report: RunReport, attackOutcomes: readonly Outcome[]): SideBySide[] {
  const p = preset.published;
  const t = report.totals;
  const rows: SideBySide[] = [rateRow('defence rate', p.defence, pct(p.defence), t.defenceRate)];
  if (p.breaches !== undefined) {
    const pub = p.breaches / preset.rounds;
    rows.push({
      figure: 'breaches',
      published: `${p.breaches} of ${preset.rounds} (${pct(pub)})`,
      measured: `${t.counts.BREACHED} of ${t.validAttacks}${t.breachRate.rate === null ? '' : ` (${pct(t.breachRate.rate)})`}`,
      interval: ciText(t.breachRate),
      inside: insideOf(pub, t.breachRate),
      publishedValue: pub,
      measuredRate: t.breachRate,
    });
  }
  if (p.instant_blocks !== undefined) {
    const pub = p.instant_blocks / preset.rounds;
    const r = rate(t.counts.INSTANT_BLOCKED, t.validAttacks);
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
    measured: measuredText(t.falsePositiveRate),
    interval: ciText(t.falsePositiveRate),
    inside: null,
    publishedValue: null,
    measuredRate: t.falsePositiveRate,
  });
  return rows;
}
