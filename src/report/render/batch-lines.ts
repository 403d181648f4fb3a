import type { ChalkInstance } from 'chalk';
import type { BatchRecord } from '../../store/records.js';
import { rateWithCi } from '../numbers.js';
import { columnSpec } from './columns.js';
import { layoutHeader, layoutRow, planLayout, type Cell, type ColumnSpec, type Layout } from './layout.js';

/**
 * The batch rows of a run: printed one by one while it plays (src/cli/progress.ts), and again by
 * `hive report`. Rows arrive one at a time, so the columns are laid out once, for the widest
 * numbers the run can reach, and every row follows that layout. The defence rate is green at 95%
 * and above, yellow from 80%, red below, and a non-zero breach count red, when `color` has colour
 * on; colour is painted after padding, so it never moves a column.
 */
const HEADS = ['batch', 'rounds', 'attacks', 'defended', 'instant', 'breached', 'refused', 'defence % [95% CI]', 'benign', 'false pos', 'errors'] as const;

/** The widest defence cell: "100.0% [92.9–100.0]". */
const DEFENCE_WIDTH = 19;

/** Text painted in the colour of a defence rate (as is when the rate is undefined). */
export function paintDefence(rate: number | null, text: string, color: ChalkInstance): string {
  if (rate === null) return text;
  return (rate >= 0.95 ? color.green : rate >= 0.8 ? color.yellow : color.red)(text);
}

function cells(b: BatchRecord, color: ChalkInstance): Cell[] {
  const c = b.counts;
  const defence = b.defenceRate;
  return [
    String(b.batch),
    `${b.firstRound}-${b.lastRound}`,
    String(c.attacks),
    String(c.DEFENDED),
    String(c.INSTANT_BLOCKED),
    { text: String(c.BREACHED), paint: c.BREACHED > 0 ? color.red : undefined },
    String(c.ATTACKER_REFUSED),
    { text: rateWithCi(defence), paint: (t) => paintDefence(defence.rate, t, color) },
    String(c.benign),
    String(c.FALSE_POSITIVE),
    String(c.ERROR),
  ];
}

/**
 * The batch table of a run of `roundsPlanned` rounds, laid out within `width` columns (Infinity:
 * no limit): `header()` once, then `row(batch)` per batch, each one line.
 */
export class BatchRows {
  private readonly specs: ColumnSpec[];
  private readonly layout: Layout;

  constructor(
    roundsPlanned: number,
    width: number,
    private readonly color: ChalkInstance,
  ) {
    const digits = String(Math.max(1, roundsPlanned)).length;
    this.specs = HEADS.map((h, i) => ({ ...columnSpec(h, true), reserve: i === 1 ? 2 * digits + 1 : h === 'defence % [95% CI]' ? DEFENCE_WIDTH : digits }));
    this.layout = planLayout(this.specs, [], width);
  }

  /** The heading line and its rule. */
  header(): string[] {
    return layoutHeader(this.specs, this.layout);
  }

  row(b: BatchRecord): string {
    return layoutRow(this.specs, this.layout, cells(b, this.color)).join('\n');
  }

  /** Headings of the columns this width leaves out. */
  get dropped(): readonly string[] {
    return this.layout.dropped;
  }
}
