import type { ChalkInstance } from 'chalk';
import { figures } from '../../stats/outcomes.js';
import type { BatchRecord } from '../../store/records.js';
import { rateWithCi } from '../numbers.js';

/**
 * The batch rows of a run: printed one by one while it plays (src/cli/progress.ts), and again by
 * `hive report`, so they are fixed-width lines rather than a table. The defence rate is green at
 * 95% and above, yellow from 80%, red below, when `color` has colour on.
 */
const BATCH_COLUMNS: Array<[string, number]> = [
  ['batch', 7],
  ['rounds', 9],
  ['attacks', 8],
  ['defended', 9],
  ['instant', 8],
  ['breached', 9],
  ['defence % [95% CI]', 24],
  ['benign', 7],
  ['false pos', 9],
];

function line(cells: string[]): string {
  return cells.map((c, i) => c.padStart((BATCH_COLUMNS[i] as [string, number])[1])).join(' ');
}

export function batchHeader(): string {
  return line(BATCH_COLUMNS.map(([h]) => h));
}

/** Text painted in the colour of a defence rate (as is when the rate is undefined). */
export function paintDefence(rate: number | null, text: string, color: ChalkInstance): string {
  if (rate === null) return text;
  return (rate >= 0.95 ? color.green : rate >= 0.8 ? color.yellow : color.red)(text);
}

/** One batch's row under `batchHeader()`. */
export function batchLine(b: BatchRecord, color: ChalkInstance): string {
  const c = b.counts;
  const f = figures(c);
  return line([
    String(b.batch),
    `${b.firstRound}-${b.lastRound}`,
    String(c.attacks),
    String(c.DEFENDED),
    String(c.INSTANT_BLOCKED),
    c.BREACHED > 0 ? color.red(String(c.BREACHED)) : String(c.BREACHED),
    paintDefence(f.defence.rate, rateWithCi(f.defence).padStart(24), color),
    String(c.benign),
    String(c.FALSE_POSITIVE),
  ]);
}
