import { stringify, type Options } from 'csv-stringify/sync';
import type { RoundRows, RunSubject } from '../types.js';
import type { Format } from './registry.js';
import { neutralize } from './sanitize.js';

/**
 * `hive report --format csv`: one row per round with its votes, one group of columns per
 * defender. RFC 4180 (CRLF line ends; fields with a comma, quote or line break quoted, quotes
 * doubled) by csv-stringify, the writer of the csv-parse family hive reads corpora with. Rows
 * stream from SQLite and leave in chunks, so 100,000 rounds never sit in memory.
 */

export type CsvValue = string | number | boolean | null;

/** Cells a spreadsheet would run as a formula (OWASP "CSV injection"): =, +, -, @, tab, CR. */
const FORMULA_START = /^[=+\-@\t\r]/;

const CSV_OPTIONS: Options = {
  record_delimiter: 'windows',
  // csv-stringify quotes a field holding the whole record delimiter; RFC 4180 wants any line break quoted.
  quoted_match: /[\r\n]/,
  cast: {
    boolean: (b) => (b ? '1' : '0'),
    number: (n) => (Number.isFinite(n) ? String(n) : ''),
    // Text a spreadsheet would evaluate gets a leading apostrophe.
    string: (text) => (FORMULA_START.test(text) ? `'${text}` : text),
  },
};

/** Rows as CSV text, CRLF after each. */
export function csvLines(rows: ReadonlyArray<readonly CsvValue[]>): string {
  return stringify(rows as CsvValue[][], CSV_OPTIONS);
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
  // Attack conversations: the user turn that carries the payload; empty when unknown or not a conversation.
  'payload_turn',
  // How the round was played (single, conversation, iterative) and the user turns or attempts played (1 for a single input).
  'mode',
  'turns_or_attempts',
] as const;

const ms = (x: number): number => Math.round(x * 1000) / 1000;

/** Rows gathered before a chunk is written out. */
const CHUNK_ROWS = 256;

/**
 * Writes the CSV of a run's rounds through `write`, in chunks, and returns how many rounds it
 * wrote. `forTerminal` strips control characters from every cell (the text is shown, not saved),
 * which a file must not do: there the bytes stay as stored.
 */
export function writeRoundsCsv(source: RoundRows, write: (chunk: string) => void, opts: { forTerminal?: boolean } = {}): number {
  const { runId, defenders, votes } = source;
  const column = new Map(defenders.map((d, i) => [d, i]));

  const clean = (v: CsvValue): CsvValue => (opts.forTerminal && typeof v === 'string' ? neutralize(v, { keepNewlines: true }) : v);
  let pendingRows: CsvValue[][] = [];
  const emit = (values: CsvValue[]): void => {
    pendingRows.push(values.map(clean));
    if (pendingRows.length >= CHUNK_ROWS) {
      write(csvLines(pendingRows));
      pendingRows = [];
    }
  };

  emit([...ROUND_COLUMNS, ...defenders.flatMap((d) => [`${d}_verdict`, `${d}_confidence`, `${d}_latency_ms`, `${d}_error`]), 'text']);

  let pending = votes.next();
  let count = 0;
  for (const r of source.rounds) {
    const cells: CsvValue[] = Array.from({ length: defenders.length * 4 }, () => null);
    // Both streams are ordered by round: take this round's votes off the head of the vote stream.
    while (!pending.done && pending.value.round <= r.round) {
      const v = pending.value;
      const i = column.get(v.defender);
      if (v.round === r.round && i !== undefined) {
        cells[i * 4] = v.verdict;
        cells[i * 4 + 1] = v.confidence;
        cells[i * 4 + 2] = ms(v.latencyMs);
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
      r.decidedBy,
      r.patternId,
      r.votesBlock,
      r.votesAllow,
      r.votesAbstain,
      r.score,
      ms(r.latencyMs),
      r.error,
      r.refused === 1,
      r.strategy,
      r.textLength,
      r.truncated === 1,
      r.sha256,
      r.payloadTurn,
      r.mode,
      r.steps,
      ...cells,
      r.text,
    ]);
    count += 1;
  }
  votes.return(undefined);
  if (pendingRows.length > 0) write(csvLines(pendingRows));
  return count;
}

export const csvFormat: Format<RunSubject> = {
  id: 'csv',
  extensions: ['.csv'],
  write: (s, write, opts) => void writeRoundsCsv(s.rows(), write, { forTerminal: opts.terminal }),
};
