/** `hive compare` as a table, Markdown and JSON. Cast names and flipped inputs are untrusted text. */
import type { Rate } from '../../stats/wilson.js';
import { counts, formatP, formatPoints, rateWithCi } from '../numbers.js';
import type { Comparison, ComparisonView, ComparedRun, PairedFigure, PairedGroup, UnpairedFigure, UnpairedGroup } from '../compute/types.js';
import { jsonText } from './json.js';
import { markdownTable, markdownText } from './markdown.js';
import { textFormat, type Format } from './registry.js';
import { neutralize, preview } from './sanitize.js';
import { wrapText, type Cell } from './layout.js';
import { terminalTable } from './table.js';

/** The significance level used for the one-line verdicts (never for gates: see `hive ci --alpha`). */
export const COMPARE_ALPHA = 0.05;
export const COMPARE_VERSION = 1;

type Esc = (s: string) => string;

function rateCell(r: Rate): string {
  return r.rate === null ? '—' : `${rateWithCi(r)} ${counts(r)}`;
}

const points = (d: number | null) => formatPoints(d).replace(' pts', '');

function diffCi(c: UnpairedFigure['comparison']['ci']): string {
  return c ? `[${points(c.low)}, ${points(c.high)}]` : '';
}

function runLabel(r: ComparedRun, esc: Esc): string {
  const replay = r.replayOf !== null ? `, replay of run ${r.replayOf}` : '';
  return `run ${r.id} (${r.kind}, cast ${esc(r.castName)}${replay}, ${r.rounds} rounds)`;
}

function pairingLine(c: Comparison): string {
  if (!c.pairing.paired) return `UNPAIRED comparison (${c.pairing.reason}): two independent samples, Newcombe interval and the p-value of that interval.`;
  const p = c.pairing;
  const how = p.basis === 'replay' ? (c.b.replayOf === c.a.id ? `run ${c.b.id} replays run ${c.a.id}` : c.a.replayOf === c.b.id ? `run ${c.a.id} replays run ${c.b.id}` : `both replay run ${c.a.root}`) : p.sequencesDiffer > 0 ? 'same first input in every round' : 'same input in every round';
  const left = [p.unmatched > 0 ? `${p.unmatched} rounds stored in one run only` : '', p.mismatched > 0 ? `${p.mismatched} rounds with different inputs` : ''].filter(Boolean);
  const recorded = p.recordedPressure > 0
    ? ` ${p.recordedPressure} of them are conversation or iterative rounds judging the same recorded turns and attempts, one run stopping sooner or not: compared on the same recorded pressure (the turns and attempts of run ${c.a.root}, adapted to its cast's verdicts).`
    : '';
  const live =
    p.sequencesDiffer > 0 || p.sequencesPaired > 0
      ? ` Conversation and iterative rounds were adapted to each run's own verdicts (a replay's to its source's), so a pair is one round — the same opening by the same attacker — not one input: ${p.sequencesPaired} played the same whole sequence in both runs, ${p.sequencesDiffer} went on differently after the same first input (one stopped or breached sooner, or the attacker adapted differently); all are paired.`
      : '';
  return `PAIRED by round (${how}): ${p.rounds} rounds${left.length ? `; left out: ${left.join(', ')}` : ''}.${recorded}${live}`;
}

/**
 * The p-value and Holm's adjusted value (category rows; "—" on the overall row) as two cells: in
 * one cell ("0.0123 (Holm 0.0456)") they made a column too wide for 80 columns, and a narrow
 * terminal may now leave the Holm column out and say so.
 */
function pCells(p: number, holm: number | null): string[] {
  return [formatP(p), holm === null ? '—' : formatP(holm)];
}

/** "13 / 2", and the texts McNemar counted when texts repeat: "8 / 0 (texts 1 / 0)". */
function onlyCell(f: PairedFigure): string {
  const rounds = `${f.aOnly} / ${f.bOnly}`;
  return f.mcnemar.b === f.aOnly && f.mcnemar.c === f.bOnly ? rounds : `${rounds} (texts ${f.mcnemar.b} / ${f.mcnemar.c})`;
}

function pairedCells(f: PairedFigure): string[] {
  return [String(f.n), rateCell(f.a), rateCell(f.b), formatPoints(f.difference), onlyCell(f), ...pCells(f.mcnemar.pValue, f.pHolm)];
}

function unpairedCells(f: UnpairedFigure): string[] {
  return [rateCell(f.a), rateCell(f.b), `${formatPoints(f.comparison.difference)} ${diffCi(f.comparison.ci)}`.trim(), ...(f.comparison.pValue === null ? ['—', '—'] : pCells(f.comparison.pValue, f.pHolm))];
}

interface Grid {
  head: string[];
  rows: string[][];
  numeric: number[];
  /** Per row, whether its defence half and its false-positive half hold no round on either side. */
  empty: Array<[boolean, boolean]>;
}

/** A figure with no round on either side: its row says nothing (a corpus with no benign rows has FPR rows of 0). */
const pairedEmpty = (f: PairedFigure): boolean => f.n === 0;
const unpairedEmpty = (f: UnpairedFigure): boolean => f.a.n === 0 && f.b.n === 0;

/** The grid's rows without those empty in every half of `halves` (0 defence, 1 false positives); the overall row always stays. */
function withoutEmptyRows(g: Grid, halves: ReadonlyArray<0 | 1>): Grid {
  const keep = g.rows.map((_, i) => i === 0 || !halves.every((h) => g.empty[i]?.[h]));
  return { ...g, rows: g.rows.filter((_, i) => keep[i]), empty: g.empty.filter((_, i) => keep[i]) };
}

function grid(c: Comparison, esc: Esc): Grid {
  if (c.pairing.paired) {
    const groups = c.groups as PairedGroup[];
    return {
      head: ['scope', 'attacks', 'defence A', 'defence B', 'Δ B−A', 'A-only / B-only', 'p', 'Holm p', 'benign', 'FPR A', 'FPR B', 'Δ B−A', 'A-only / B-only', 'p', 'Holm p'],
      rows: groups.map((g) => [esc(g.scope), ...pairedCells(g.defence), ...pairedCells(g.falsePositive)]),
      numeric: [1, 4, 6, 7, 8, 11, 13, 14],
      empty: groups.map((g) => [pairedEmpty(g.defence), pairedEmpty(g.falsePositive)]),
    };
  }
  const groups = c.groups as UnpairedGroup[];
  return {
    head: ['scope', 'defence A', 'defence B', 'Δ B−A [95% CI]', 'p', 'Holm p', 'FPR A', 'FPR B', 'Δ B−A [95% CI]', 'p', 'Holm p'],
    rows: groups.map((g) => [esc(g.scope), ...unpairedCells(g.defence), ...unpairedCells(g.falsePositive)]),
    numeric: [3, 4, 5, 8, 9, 10],
    empty: groups.map((g) => [unpairedEmpty(g.defence), unpairedEmpty(g.falsePositive)]),
  };
}

/** One sentence per figure on the overall row: which side is better, and whether chance explains it. */
export function verdicts(c: Comparison, alpha = COMPARE_ALPHA): string[] {
  const overall = c.groups[0];
  if (!overall) return [];
  const say = (what: string, lowerIsBetter: boolean, d: number | null, p: number | null): string => {
    if (d === null || p === null) return `${what}: not defined on both sides.`;
    if (d === 0) return `${what}: no difference (p = ${formatP(p)}).`;
    const better = lowerIsBetter ? d < 0 : d > 0;
    const sig = p < alpha;
    return `${what}: B is ${better ? 'better' : 'worse'} by ${formatPoints(Math.abs(d)).replace('+', '')} (p = ${formatP(p)}; ${sig ? `significant at α = ${alpha}` : `not significant at α = ${alpha}, could be chance`}).`;
  };
  if (c.pairing.paired) {
    const g = overall as PairedGroup;
    return [
      say('defence rate', false, g.defence.difference, g.defence.n > 0 ? g.defence.mcnemar.pValue : null),
      say('false-positive rate', true, g.falsePositive.difference, g.falsePositive.n > 0 ? g.falsePositive.mcnemar.pValue : null),
    ];
  }
  const g = overall as UnpairedGroup;
  return [
    say('defence rate', false, g.defence.comparison.difference, g.defence.comparison.pValue),
    say('false-positive rate', true, g.falsePositive.comparison.difference, g.falsePositive.comparison.pValue),
  ];
}

const NOTE_HOLM = ' Category p-values carry Holm\'s correction over the categories compared (per figure), in the Holm p column.';
const NOTE_PAIRED =
  'Δ = B − A in percentage points over the rounds valid on both sides; A-only / B-only: rounds only that side blocked; p: McNemar\'s exact test, two-sided, with the text as the unit (a text in several rounds counts once, for the side that blocked more of them).' + NOTE_HOLM;
const NOTE_UNPAIRED =
  'Δ = B − A with Newcombe\'s 95% interval; p: from that same interval (significant at 5% exactly when it excludes 0). Each rate over its own run\'s valid rounds.' + NOTE_HOLM;

/** The paired test assumes independent rounds; a healer makes each round depend on earlier ones. */
export function independenceNote(c: Comparison): string | undefined {
  if (!c.pairing.paired) return undefined;
  const healed = [c.a, c.b].filter((r) => r.healer).map((r) => `run ${r.id}`);
  if (healed.length === 0) return undefined;
  return `The healer was on in ${healed.join(' and ')}: its rounds are not independent (each sees what earlier rounds taught), so McNemar's p-values are approximate; replay both with --no-heal for an exact paired test.`;
}

/** Flipped rounds listed: all, or the first `flipLimit`. */
function listedFlips(v: ComparisonView): { shown: Comparison['flips']; more: number } {
  const all = v.comparison.flips;
  const limit = v.flipLimit ?? Infinity;
  return { shown: all.slice(0, limit), more: Math.max(0, all.length - limit) };
}

const flipCount = (n: number) => `${n} round${n === 1 ? '' : 's'} flipped`;

/** A narrow table shows a rate without its counts ("78.6% [64.1–88.3]") and a difference without "pts". */
function terminalCell(text: string): Cell {
  const rate = /^(.+\]) \d+\/\d+$/.exec(text);
  if (rate) return { text, compact: rate[1] };
  return text.endsWith(' pts') ? { text, compact: text.slice(0, -4) } : text;
}

/** The grid's columns `cols` (the scope first) as a terminal table of its own. */
function gridPart(g: Grid, cols: number[], width: number): string {
  const pick = <T>(xs: readonly T[]) => cols.map((i) => xs[i] as T);
  return terminalTable(pick(g.head), g.rows.map((r) => pick(r).map(terminalCell)), { width, numeric: cols.flatMap((col, k) => (g.numeric.includes(col) ? [k] : [])) });
}

/**
 * `hive compare` on a terminal: the defence figures and the false-positive figures as two tables
 * (side by side they would not fit 80 columns), then the notes, verdicts and flipped rounds.
 */
export function renderCompareTable(v: ComparisonView, opts: { width: number }): string {
  const c = v.comparison;
  const esc: Esc = (s) => neutralize(s, { max: 60 });
  const g = grid(c, esc);
  const half = (g.head.length - 1) / 2;
  const defence = Array.from({ length: half }, (_, i) => i + 1);
  const prose = (lines: string[]) => lines.flatMap((l) => wrapText(l, opts.width));
  const note = independenceNote(c);
  const parts = [
    ...prose([`A: ${runLabel(c.a, esc)}`, `B: ${runLabel(c.b, esc)}`, pairingLine(c)]),
    '',
    gridPart(withoutEmptyRows(g, [0]), [0, ...defence], opts.width),
    '',
    gridPart(withoutEmptyRows(g, [1]), [0, ...defence.map((i) => i + half)], opts.width),
    '',
    ...prose([c.pairing.paired ? NOTE_PAIRED : NOTE_UNPAIRED, ...(note ? [note] : []), ...verdicts(c)]),
  ];
  if (c.pairing.paired) {
    parts.push(`${flipCount(c.flips.length)}${c.flips.length > 0 && !v.flips ? ' (list them with --flips)' : ''}.`);
    if (v.flips && c.flips.length > 0) {
      const { shown, more } = listedFlips(v);
      const rows = shown.map((f) => [String(f.round), f.kind, esc(f.category), esc(f.attacker), f.a, f.b, preview(f.text, 60)]);
      parts.push(terminalTable(['round', 'kind', 'category', 'attacker', 'A', 'B', 'input'], rows, { width: opts.width, numeric: [0] }));
      if (more > 0) parts.push(`… and ${more} more (--format json lists all).`);
    }
  }
  return parts.join('\n');
}

export function renderCompareMarkdown(v: ComparisonView): string {
  const c = v.comparison;
  const esc: Esc = (s) => markdownText(s, 60);
  const g = withoutEmptyRows(grid(c, esc), [0, 1]);
  const out = [
    `## hive compare: run ${c.a.id} vs run ${c.b.id}`,
    '',
    `**A** ${runLabel(c.a, esc)}  `,
    `**B** ${runLabel(c.b, esc)}`,
    '',
    markdownText(pairingLine(c), 400),
    '',
    markdownTable({ title: '', ...g }),
    '',
    `_${c.pairing.paired ? NOTE_PAIRED : NOTE_UNPAIRED}_`,
    ...(independenceNote(c) ? ['', `_${independenceNote(c)}_`] : []),
    '',
    ...verdicts(c).map((v) => `- ${v}`),
  ];
  if (c.pairing.paired) {
    out.push('', `${flipCount(c.flips.length)}.`);
    if (v.flips && c.flips.length > 0) {
      const { shown, more } = listedFlips(v);
      const rows = shown.map((f) => [String(f.round), f.kind, esc(f.category), f.a, f.b, markdownText(f.text, 60)]);
      out.push('', markdownTable({ title: '', head: ['round', 'kind', 'category', 'A', 'B', 'input'], numeric: [0], rows }));
      if (more > 0) out.push('', `… and ${more} more.`);
    }
  }
  return `${out.join('\n')}\n`;
}

type Ci = [number, number];
const ci = (r: Rate): Ci => [r.ci.low, r.ci.high];

function pairedFigureJson(f: PairedFigure) {
  return {
    n: f.n,
    distinct_texts: f.distinctTexts,
    design_effect: f.designEffect,
    a_blocked: f.a.k,
    a_rate: f.a.rate,
    a_rate_ci: ci(f.a),
    b_blocked: f.b.k,
    b_rate: f.b.rate,
    b_rate_ci: ci(f.b),
    difference: f.difference,
    a_only: f.aOnly,
    b_only: f.bOnly,
    discordant: f.aOnly + f.bOnly,
    a_only_texts: f.mcnemar.b,
    b_only_texts: f.mcnemar.c,
    discordant_texts: f.mcnemar.discordant,
    p_value: f.mcnemar.pValue,
    p_value_holm: f.pHolm,
    mid_p: f.mcnemar.midP,
  };
}

function unpairedFigureJson(f: UnpairedFigure) {
  return {
    a_k: f.a.k,
    a_n: f.a.n,
    a_rate: f.a.rate,
    a_rate_ci: ci(f.a),
    b_k: f.b.k,
    b_n: f.b.n,
    b_rate: f.b.rate,
    b_rate_ci: ci(f.b),
    difference: f.comparison.difference,
    difference_ci: f.comparison.ci ? ([f.comparison.ci.low, f.comparison.ci.high] as Ci) : null,
    z: f.comparison.z,
    p_value: f.comparison.pValue,
    p_value_holm: f.pHolm,
  };
}

const runJson = (r: ComparedRun) => ({ id: r.id, kind: r.kind, cast: r.castName, healer: r.healer, replay_of: r.replayOf, root: r.root, rounds: r.rounds });

/** `hive compare --format json`: snake_case, rates as fractions, differences as B − A. */
export function compareJson(c: Comparison) {
  const base = { compare_version: COMPARE_VERSION, a: runJson(c.a), b: runJson(c.b) };
  if (c.pairing.paired) {
    return {
      ...base,
      paired: true,
      basis: c.pairing.basis,
      test: 'mcnemar_exact_two_sided',
      unit: 'text',
      multiplicity: 'holm_over_categories',
      rounds_independent: !c.a.healer && !c.b.healer,
      rounds: c.pairing.rounds,
      unmatched_rounds: c.pairing.unmatched,
      mismatched_rounds: c.pairing.mismatched,
      recorded_pressure_rounds: c.pairing.recordedPressure,
      same_sequence_rounds: c.pairing.sequencesPaired,
      different_sequence_rounds: c.pairing.sequencesDiffer,
      groups: (c.groups as PairedGroup[]).map((g) => ({
        scope: g.scope,
        defence: pairedFigureJson(g.defence),
        false_positive: pairedFigureJson(g.falsePositive),
        valid_on_one_side: g.validOnOneSide,
      })),
      flips: c.flips.map((f) => ({ round: f.round, kind: f.kind, category: f.category, attacker: f.attacker, a: f.a, b: f.b, preview: preview(f.text, 120) })),
    };
  }
  return {
    ...base,
    paired: false,
    reason: c.pairing.reason,
    test: 'newcombe_interval_inverted',
    multiplicity: 'holm_over_categories',
    groups: (c.groups as UnpairedGroup[]).map((g) => ({ scope: g.scope, defence: unpairedFigureJson(g.defence), false_positive: unpairedFigureJson(g.falsePositive) })),
    flips: [],
  };
}

export const compareTableFormat: Format<ComparisonView> = textFormat('table', ['.txt'], renderCompareTable);
export const compareJsonFormat: Format<ComparisonView> = textFormat('json', ['.json'], (v) => jsonText(compareJson(v.comparison)));
export const compareMarkdownFormat: Format<ComparisonView> = textFormat('md', ['.md', '.markdown'], renderCompareMarkdown);
