import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseCsv, type CsvError } from 'csv-parse/sync';
import { isCategoryId, UNCATEGORISED, type RoundCategory } from '../categories.js';
import type { RoundKind } from '../domain.js';
import { ConfigError } from '../errors.js';
import { sha256 } from '../util/hash.js';

/**
 * Labelled corpora for `hive eval`: JSONL (one object per line) or CSV with a header row.
 * Each row needs a text and a label (attack/benign, 1/0, true/false); `category` (one of the 13
 * ids) and `source` are optional. A row that cannot be read is not fatal here: it is returned
 * as a problem with its line number, and the caller decides (`--strict`).
 */

export interface CorpusColumns {
  text: string;
  label: string;
  category: string;
  source: string;
}

export const DEFAULT_COLUMNS: CorpusColumns = { text: 'text', label: 'label', category: 'category', source: 'source' };

export interface CorpusRow {
  /** 1-based line of the file where the row starts. */
  line: number;
  kind: RoundKind;
  text: string;
  /** UNCATEGORISED when the row names no category. */
  category: RoundCategory;
  source: string | null;
}

export interface CorpusProblem {
  line: number;
  reason: string;
}

export type CorpusFormat = 'jsonl' | 'csv' | 'tsv';

export interface Corpus {
  file: string;
  format: CorpusFormat;
  /** Of the file's bytes, stored with the run so a report can name exactly what was measured. */
  sha256: string;
  rows: CorpusRow[];
  problems: CorpusProblem[];
}

const LABELS: Record<string, RoundKind> = { attack: 'attack', '1': 'attack', true: 'attack', benign: 'benign', '0': 'benign', false: 'benign' };

/** attack/benign, 1/0, true/false (any case, as strings, numbers or booleans); undefined otherwise. */
export function parseLabel(value: unknown): RoundKind | undefined {
  if (typeof value === 'boolean') return value ? 'attack' : 'benign';
  if (typeof value === 'number') return value === 1 ? 'attack' : value === 0 ? 'benign' : undefined;
  if (typeof value === 'string') return LABELS[value.trim().toLowerCase()];
  return undefined;
}

/** A value from the file as it appears in a message: quoted, bounded. */
const show = (v: unknown): string => {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
};

/** Checks one row's fields; a string is the reason it cannot be used. */
function toRow(line: number, get: (column: string) => unknown, columns: CorpusColumns): CorpusRow | string {
  const text = get(columns.text);
  if (text === undefined || text === null) return `no "${columns.text}" field`;
  if (typeof text !== 'string') return `"${columns.text}" is not a string`;
  if (text.trim() === '') return `"${columns.text}" is empty`;
  const label = get(columns.label);
  if (label === undefined || label === null || label === '') return `no "${columns.label}" field`;
  const kind = parseLabel(label);
  if (!kind) return `label ${show(label)} is not attack/benign, 1/0 or true/false`;
  const rawCategory = get(columns.category);
  let category: RoundCategory = UNCATEGORISED;
  if (rawCategory !== undefined && rawCategory !== null && rawCategory !== '') {
    const c = typeof rawCategory === 'string' ? rawCategory.trim().toLowerCase() : '';
    if (isCategoryId(c)) category = c;
    else if (c !== UNCATEGORISED) return `category ${show(rawCategory)} is not one of the 13 ids ("hive categories" lists them)`;
  }
  const rawSource = get(columns.source);
  let source: string | null = null;
  if (typeof rawSource === 'string' && rawSource.trim() !== '') source = rawSource.trim();
  else if (typeof rawSource === 'number') source = String(rawSource);
  else if (rawSource !== undefined && rawSource !== null && rawSource !== '') return `"${columns.source}" is not a string`;
  return { line, kind, text, category, source };
}

export function corpusFormat(file: string, head: string): CorpusFormat {
  const ext = extname(file).toLowerCase();
  if (ext === '.jsonl' || ext === '.ndjson' || ext === '.json') return 'jsonl';
  if (ext === '.csv') return 'csv';
  if (ext === '.tsv' || ext === '.tab') return 'tsv';
  return head.trimStart().startsWith('{') ? 'jsonl' : 'csv';
}

function readJsonl(source: string, columns: CorpusColumns, rows: CorpusRow[], problems: CorpusProblem[]): void {
  const lines = source.split(/\r\n|\n|\r/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      problems.push({ line, reason: `not valid JSON (${err instanceof Error ? err.message : String(err)})` });
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push({ line, reason: 'not a JSON object' });
      return;
    }
    const obj = value as Record<string, unknown>;
    const row = toRow(line, (c) => (Object.hasOwn(obj, c) ? obj[c] : undefined), columns);
    if (typeof row === 'string') problems.push({ line, reason: row });
    else rows.push(row);
  });
}

/**
 * CSV/TSV with a header row, RFC 4180 quoting. Line breaks are read as "\n" everywhere, inside
 * quoted fields too: csv-parse miscounts lines when CRLF sits inside quotes, and a corpus row's
 * text does not depend on its line-break style. Quotes inside unquoted fields are kept as text
 * (relax_quotes), as spreadsheet exports often have them.
 */
/** Separators of other delimited formats, their names, and what to save such a file as. */
const OTHER_SEPARATORS: ReadonlyArray<readonly [string, string, string]> = [
  [';', 'semicolon', 'CSV with commas (most spreadsheets: "CSV UTF-8 (comma delimited)")'],
  ['\t', 'tab', 'a .tsv file'],
  ['|', 'pipe', 'CSV with commas'],
  [',', 'comma', 'a .csv file'],
];

function readDelimited(file: string, source: string, delimiter: string, columns: CorpusColumns, rows: CorpusRow[], problems: CorpusProblem[]): void {
  const text = source.replace(/\r\n?/g, '\n');
  const records = parseCsv(text, {
    delimiter,
    info: true,
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (err: CsvError | undefined) => {
      if (err) problems.push({ line: Number(err.lines ?? 0), reason: `CSV: ${err.message.replace(/ at line \d+/, '')}` });
      return undefined;
    },
  }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  // info.lines is the line a record ends on; it starts as many lines earlier as it holds breaks.
  const startLine = (r: { record: string[]; info: { lines: number } }): number =>
    r.info.lines - r.record.reduce((n, field) => n + (field.match(/\n/g)?.length ?? 0), 0);

  const [header, ...body] = records;
  if (!header) throw new ConfigError(`corpus ${file} is empty; it needs a header row and one row per input.`);
  const names = header.record.map((h) => h.trim());
  const indexOf = (column: string): number => {
    const exact = names.indexOf(column);
    return exact !== -1 ? exact : names.findIndex((n) => n.toLowerCase() === column.toLowerCase());
  };
  for (const [what, column, flag] of [
    ['text', columns.text, '--text-column'],
    ['label', columns.label, '--label-column'],
  ] as const) {
    if (indexOf(column) === -1) {
      // One header cell holding another format's separator ("text;label"): the file is not
      // separated by this format's delimiter at all, whatever the columns are called.
      const other = names.length === 1 ? OTHER_SEPARATORS.find(([sep]) => sep !== delimiter && (names[0] ?? '').includes(sep)) : undefined;
      if (other) {
        throw new ConfigError(`corpus ${file} looks ${other[1]}-separated (its header is one column: ${show(names[0] ?? '')}); hive reads .csv with commas and .tsv with tabs: convert it, or save it as ${other[2]}.`);
      }
      throw new ConfigError(`corpus ${file} has no "${column}" column (its header: ${names.map(show).join(', ')}); pass ${flag} with the ${what} column's name.`);
    }
  }
  const index = new Map(Object.values(columns).map((c) => [c, indexOf(c)]));
  for (const r of body) {
    const line = startLine(r);
    // Fewer fields is fine (trailing optional columns left out); more means a broken row.
    if (r.record.length > names.length) {
      problems.push({ line, reason: `${r.record.length} fields where the header has ${names.length}` });
      continue;
    }
    const row = toRow(line, (c) => r.record[index.get(c) ?? -1], columns);
    if (typeof row === 'string') problems.push({ line, reason: row });
    else rows.push(row);
  }
}

export function readCorpus(file: string, columns: Partial<CorpusColumns> = {}): Corpus {
  if (!existsSync(file)) throw new ConfigError(`corpus file not found: ${file}; pass --corpus with a JSONL or CSV file.`);
  if (!statSync(file).isFile()) throw new ConfigError(`corpus ${file} is a folder, not a file; pass --corpus with a JSONL or CSV file (one of the files in it, say).`);
  const cols: CorpusColumns = { ...DEFAULT_COLUMNS, ...Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== undefined)) };
  const raw = readFileSync(file, 'utf8');
  const source = raw.replace(/^\uFEFF/, '');
  if (source.trim() === '') {
    throw new ConfigError(`corpus ${file} is empty${raw.length === 0 ? ' (0 bytes)' : ''}; it needs one labelled input per line (JSONL) or a header row and one row per input (CSV).`);
  }
  const format = corpusFormat(file, source.slice(0, 256));
  const rows: CorpusRow[] = [];
  const problems: CorpusProblem[] = [];
  if (format === 'jsonl') {
    if (source.trimStart().startsWith('[')) {
      throw new ConfigError(`corpus ${file} is one JSON array; write one JSON object per line (JSONL) instead.`);
    }
    readJsonl(source, cols, rows, problems);
  } else {
    readDelimited(file, source, format === 'tsv' ? '\t' : ',', cols, rows, problems);
  }
  problems.sort((a, b) => a.line - b.line);
  return { file, format, sha256: sha256(raw), rows, problems };
}
