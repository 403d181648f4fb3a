/**
 * `hive reproduce <preset>`: play a published configuration (presets/published.yaml) for its
 * published number of attack rounds, plus benign controls, and set what was measured beside what
 * was published, each measured rate with its 95% Wilson interval and whether the published
 * figure lies inside it. Never prints.
 */
import { DEFAULT_PATHS } from '../config/paths.js';
import { presetPath, type Preset } from '../config/presets.js';
import type { Outcome } from '../domain.js';
import { UsageError } from '../errors.js';
import { buildRunReport, type RunReport } from '../report/summary.js';
import { rate, type Rate } from '../stats/wilson.js';
import { Store } from '../store/store.js';
import type { EventSink } from './events.js';
import { checkNumber, startWargame } from './session.js';
import type { WargameResult } from './wargame.js';

export interface ReproduceOptions {
  preset: Preset;
  /** Overrides for people who substitute models. */
  castPath?: string | undefined;
  attackersPath?: string | undefined;
  /** Dry run: the embedded cast and attackers with the preset's rounds and healer setting. */
  embedded: boolean;
  /** Attack rounds instead of the published number (a shorter dry run). */
  rounds?: number | undefined;
  seed: number;
  concurrency: number;
  batchSize: number;
  scenariosDir: string;
  dbPath: string;
  env?: NodeJS.ProcessEnv;
  emit?: EventSink;
  stop?: AbortSignal;
  abort?: AbortSignal;
}

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
  result: WargameResult;
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

export async function reproducePreset(o: ReproduceOptions): Promise<ReproduceResult> {
  const preset = o.preset;
  if (o.embedded && (o.castPath !== undefined || o.attackersPath !== undefined)) {
    throw new UsageError('--embedded runs the embedded cast and attackers: it cannot be combined with --cast or --attackers.');
  }
  const attackRounds = o.rounds ?? preset.rounds;
  checkNumber('--rounds', attackRounds, 1, 10_000_000);
  const castPath = o.embedded ? DEFAULT_PATHS.cast : (o.castPath ?? presetPath(preset.cast));
  const attackersPath = o.embedded ? DEFAULT_PATHS.attackers : (o.attackersPath ?? presetPath(preset.attackers));
  const benignRounds = benignOnTop(attackRounds, preset.benign_ratio);
  const total = attackRounds + benignRounds;
  const session = await startWargame({
    rounds: total,
    castPath,
    attackersPath,
    scenariosDir: o.scenariosDir,
    dbPath: o.dbPath,
    batchSize: o.batchSize,
    seed: o.seed,
    concurrency: o.concurrency,
    benignRatio: benignRounds / total,
    heal: preset.heal,
    env: o.env ?? process.env,
    ...(o.emit ? { emit: o.emit } : {}),
    ...(o.stop ? { stop: o.stop } : {}),
    ...(o.abort ? { abort: o.abort } : {}),
  });
  const store = Store.open(o.dbPath, { mustExist: true });
  try {
    const report = buildRunReport(store, session.runId);
    const attackOutcomes = (
      store.database.prepare(`SELECT outcome FROM rounds WHERE run_id = ? AND kind = 'attack' ORDER BY round`).all(session.runId) as Array<{ outcome: Outcome }>
    ).map((r) => r.outcome);
    const caveats: string[] = [];
    if (o.embedded) {
      caveats.push('Dry run on the embedded cast and attackers (rule-based detectors, template attacker; not LLMs): it checks the pipeline, it does not reproduce the published models.');
    } else {
      if (o.castPath !== undefined) caveats.push(`Cast overridden: ${o.castPath}.`);
      if (o.attackersPath !== undefined) caveats.push(`Attackers overridden: ${o.attackersPath}.`);
      for (const s of preset.substitutions) caveats.push(`Substitution: ${s}.`);
    }
    if (attackRounds !== preset.rounds) caveats.push(`${attackRounds} attack rounds instead of the published ${preset.rounds}: intervals are wider and later batches are missing.`);
    if (session.result.status !== 'completed') caveats.push(`The run ended ${session.result.status}: the figures cover the rounds played.`);
    return {
      runId: session.runId,
      preset,
      castPath,
      attackersPath,
      embedded: o.embedded,
      attackRounds,
      benignRounds,
      result: session.result,
      report,
      rows: sideBySide(preset, report, attackOutcomes),
      caveats,
    };
  } finally {
    store.close();
  }
}
