import Table from 'cli-table3';
import type { ChalkInstance } from 'chalk';
import { figures, type OutcomeCounts } from '../../stats/outcomes.js';
import type { BatchRecord } from '../../store/records.js';
import { counts, pct, rateWithCi } from '../numbers.js';

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

function table(head: string[]): Table.Table {
  return new Table({ head, style: { head: [], border: [] } });
}

/** Every figure with its counts and interval. */
export function totalsTable(c: OutcomeCounts): string {
  const f = figures(c);
  const t = table(['figure', 'value [95% CI]', 'counts']);
  t.push(
    ['rounds', String(c.rounds), `${c.attacks} attacks, ${c.benign} benign`],
    ['valid attacks', String(f.validAttacks), `${c.ATTACKER_REFUSED} refused and ${f.attackErrors} errored left out`],
    ['defence rate', rateWithCi(f.defence), `${counts(f.defence)} (${c.DEFENDED} by the swarm + ${c.INSTANT_BLOCKED} instant blocks)`],
    ['swarm defence rate', rateWithCi(f.swarmDefence), counts(f.swarmDefence)],
    ['breach rate', rateWithCi(f.breach), counts(f.breach)],
    ['false-positive rate', rateWithCi(f.falsePositive), `${counts(f.falsePositive)} benign controls blocked`],
    ['balanced accuracy', pct(f.balancedAccuracy), ''],
    ['errors', String(c.ERROR), `${f.attackErrors} attack, ${f.benignErrors} benign rounds`],
  );
  return t.toString();
}

export function categoryTable(rows: ReadonlyArray<[string, OutcomeCounts]>): string {
  const t = table(['category', 'attacks', 'defended', 'instant', 'breached', 'defence % [95% CI]', 'benign', 'FP rate']);
  for (const [name, c] of rows) {
    const f = figures(c);
    t.push([name, String(c.attacks), String(c.DEFENDED), String(c.INSTANT_BLOCKED), String(c.BREACHED), rateWithCi(f.defence), String(c.benign), pct(f.falsePositive.rate)]);
  }
  return t.toString();
}
