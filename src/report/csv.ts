import type { Store } from '../store/store.js';
import { neutralize } from './sanitize.js';

/**
 * `hive report --format csv`: one row per round with its votes, one group of columns per
 * defender. RFC 4180: CRLF line ends, fields with a comma, quote or line break are quoted and
 * quotes doubled. Rows stream from SQLite, so 100,000 rounds never sit in memory.
 */

export type CsvValue = string | number | boolean | null;

/** Cells a spreadsheet would run as a formula (OWASP "CSV injection"): =, +, -, @, tab, CR. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One RFC 4180 field. Text that a spreadsheet would evaluate gets a leading apostrophe. */
export function csvCell(value: CsvValue): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? '1' : '0';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

interface RoundRow {
  round: number;
  batch: number;
  kind: string;
  category: string;
  attacker: string;
  source: string | null;
  outcome: string;
  decided_by: string;
  pattern_id: number | null;
  votes_block: number;
  votes_allow: number;
  votes_abstain: number;
  score: number | null;
  latency_ms: number;
  error: string | null;
  refused: number;
  strategy: string | null;
  text_length: number;
  truncated: number;
  sha256: string;
  text: string;
}

interface VoteRow {
  round: number;
  defender: string;
  verdict: string;
  confidence: number | null;
  latency_ms: number;
  error: string | null;
}

const ROUND_COLUMNS = [
  'run_id',
  'round',
  'batch',
  'kind',
  'category',
  'attacker',
  'source',
  'outcome',
  'decided_by',
  'pattern_id',
  'votes_block',
  'votes_allow',
  'votes_abstain',
  'score',
  'latency_ms',
  'error',
  'refused',
  'strategy',
  'text_length',
  'truncated',
  'sha256',
] as const;

const ms = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * Writes the CSV of a run through `write`, in chunks. `forTerminal` strips control characters
 * from every cell (the text is shown, not saved), which a file must not do: there the bytes
 * stay as stored.
 */
export function writeRoundsCsv(store: Store, runId: number, write: (chunk: string) => void, opts: { forTerminal?: boolean } = {}): number {
  const db = store.database;
  const declared = (db.prepare(`SELECT name FROM models WHERE run_id = ? AND role = 'defender' ORDER BY rowid`).all(runId) as Array<{ name: string }>).map(
    (m) => m.name,
  );
  const voted = (db.prepare(`SELECT DISTINCT defender AS name FROM votes WHERE run_id = ? ORDER BY defender`).all(runId) as Array<{ name: string }>).map(
    (m) => m.name,
  );
  const defenders = [...declared, ...voted.filter((n) => !declared.includes(n))];
  const column = new Map(defenders.map((d, i) => [d, i]));

  const clean = (v: CsvValue): CsvValue => (opts.forTerminal && typeof v === 'string' ? neutralize(v, { keepNewlines: true }) : v);
  let buffer = '';
  const emit = (values: CsvValue[]): void => {
    buffer += csvLine(values.map(clean));
    if (buffer.length > 1 << 16) {
      write(buffer);
      buffer = '';
    }
  };

  emit([...ROUND_COLUMNS, ...defenders.flatMap((d) => [`${d}_verdict`, `${d}_confidence`, `${d}_latency_ms`, `${d}_error`]), 'text']);

  const rounds = db
    .prepare(
      `SELECT r.round, r.batch, r.kind, r.category, r.attacker, a.source, r.outcome, r.decided_by, r.pattern_id, r.votes_block, r.votes_allow,
         r.votes_abstain, r.score, r.latency_ms, r.error, a.refused, a.strategy, a.text_length, a.truncated, a.sha256, a.text
       FROM rounds r JOIN attacks a ON a.run_id = r.run_id AND a.round = r.round WHERE r.run_id = ? ORDER BY r.round`,
    )
    .iterate(runId) as IterableIterator<RoundRow>;
  const votes = db
    .prepare(`SELECT round, defender, verdict, confidence, latency_ms, error FROM votes WHERE run_id = ? ORDER BY round, defender`)
    .iterate(runId) as IterableIterator<VoteRow>;

  let pending = votes.next();
  let count = 0;
  for (const r of rounds) {
    const cells: CsvValue[] = Array.from({ length: defenders.length * 4 }, () => null);
    // Both streams are ordered by round: take this round's votes off the head of the vote stream.
    while (!pending.done && pending.value.round <= r.round) {
      const v = pending.value;
      const i = column.get(v.defender);
      if (v.round === r.round && i !== undefined) {
        cells[i * 4] = v.verdict;
        cells[i * 4 + 1] = v.confidence;
        cells[i * 4 + 2] = ms(v.latency_ms);
        cells[i * 4 + 3] = v.error;
      }
      pending = votes.next();
    }
    emit([
      runId,
      r.round,
      r.batch,
      r.kind,
      r.category,
      r.attacker,
      r.source,
      r.outcome,
      r.decided_by,
      r.pattern_id,
      r.votes_block,
      r.votes_allow,
      r.votes_abstain,
      r.score,
      ms(r.latency_ms),
      r.error,
      r.refused === 1,
      r.strategy,
      r.text_length,
      r.truncated === 1,
      r.sha256,
      ...cells,
      r.text,
    ]);
    count += 1;
  }
  votes.return?.();
  if (buffer) write(buffer);
  return count;
}
