/**
 * Tables laid out for the width they are printed to. Every table hive shows on a terminal goes
 * through here: the run's batch rows as they arrive, the report's sections, runs, doctor, compare.
 *
 * A table that does not fit first takes its columns' short headings, then narrows its free-text
 * columns (wrapped at spaces or shortened with "…", never a number), then leaves out its least
 * important columns (highest `priority` first, rightmost first among equals) and says which. A
 * number is never cut: a table whose essential columns alone are wider than the limit is printed
 * wider. Colour is applied after padding, so it never moves a column. No frame and no rule
 * between rows: columns are two spaces apart, the header underlined.
 */
import stringWidth from 'string-width';

/** How one column is shown. */
export interface ColumnSpec {
  head: string;
  /** A shorter heading, taken when the table does not fit with the long ones. */
  short?: string | undefined;
  align: 'left' | 'right';
  /** 0: never left out. Higher numbers are left out first when the table does not fit. */
  priority: number;
  /** Free text that may be narrowed: wrapped at spaces onto more lines, or clipped with "…" (names, never figures). */
  shrink?: 'wrap' | 'clip' | undefined;
  /** Width to keep even when no row is this wide yet (rows printed one by one as they arrive). */
  reserve?: number | undefined;
}

/** A cell with a shorter form for narrow tables, or a colour painted on once it is padded. */
export interface RichCell {
  text: string;
  /** What the cell shows once the table has taken its short headings (a rate without its counts). */
  compact?: string | undefined;
  paint?: ((text: string) => string) | undefined;
}

export type Cell = string | RichCell;

/** Columns between two cells. */
const GAP = 2;
/** How narrow a free-text column gets before a column is left out, and at the very least. */
const SOFT_MIN = { wrap: 24, clip: 16 } as const;
const HARD_MIN = { wrap: 10, clip: 8 } as const;

/** Display width of terminal text: wide characters count twice, colour sequences not at all. */
export const displayWidth = (s: string): number => stringWidth(s);

/** The text a cell shows, in its compact form when `compact` and it has one. */
export const cellText = (c: Cell | undefined, compact = false): string =>
  c === undefined ? '' : typeof c === 'string' ? c : compact && c.compact !== undefined ? c.compact : c.text;

/** The columns kept, their widths and headings, for a given limit. */
export interface Layout {
  /** Whether the short headings and compact cells are shown. */
  compact: boolean;
  /** Indexes into the specs, in order. */
  kept: number[];
  widths: number[];
  heads: string[];
  /** Headings of the columns left out, in their table order. */
  dropped: string[];
}

/**
 * Chooses the columns and widths of a table of `specs` holding `rows` within `maxWidth` columns
 * (Infinity: no limit). Rows may have fewer cells than specs (missing cells are blank).
 */
export function planLayout(specs: readonly ColumnSpec[], rows: ReadonlyArray<readonly Cell[]>, maxWidth: number): Layout {
  const cellWidth = (compact: boolean) => specs.map((s, i) => Math.max(s.reserve ?? 0, ...rows.map((r) => displayWidth(cellText(r[i], compact)))));
  const widthOf = { long: cellWidth(false), short: cellWidth(true) };
  const headOf = (i: number, short: boolean): string => {
    const s = specs[i] as ColumnSpec;
    return short && s.short !== undefined ? s.short : s.head;
  };
  const natural = (i: number, short: boolean): number => Math.max((short ? widthOf.short : widthOf.long)[i] as number, displayWidth(headOf(i, short)));
  const attempt = (kept: number[], short: boolean, mins: { wrap: number; clip: number } | undefined): number[] | undefined => {
    const widths = kept.map((i) => natural(i, short));
    let excess = widths.reduce((a, b) => a + b, 0) + GAP * Math.max(0, kept.length - 1) - maxWidth;
    if (excess <= 0) return widths;
    if (!mins) return undefined;
    // Narrow the widest free-text column first, one column at a time, down to its minimum.
    for (;;) {
      let widest = -1;
      kept.forEach((col, k) => {
        const mode = specs[col]?.shrink;
        if (mode && (widths[k] as number) > Math.max(mins[mode], displayWidth(headOf(col, short)))) {
          if (widest < 0 || (widths[k] as number) > (widths[widest] as number)) widest = k;
        }
      });
      if (widest < 0) return undefined;
      widths[widest] = (widths[widest] as number) - 1;
      if (--excess <= 0) return widths;
    }
  };
  /** Every free-text column at its hard minimum (never below its heading), every other at its natural width. */
  const narrowest = (kept: number[]): number[] =>
    kept.map((i) => {
      const mode = (specs[i] as ColumnSpec).shrink;
      const n = natural(i, true);
      return mode ? Math.min(n, Math.max(HARD_MIN[mode], displayWidth(headOf(i, true)))) : n;
    });
  const all = specs.map((_, i) => i);
  // Least important first: highest priority number, then the rightmost.
  const droppable = all.filter((i) => (specs[i] as ColumnSpec).priority > 0).sort((a, b) => (specs[b] as ColumnSpec).priority - (specs[a] as ColumnSpec).priority || b - a);
  const result = (kept: number[], short: boolean, widths: number[]): Layout => ({
    compact: short,
    kept,
    widths,
    heads: kept.map((i) => headOf(i, short)),
    dropped: all.filter((i) => !kept.includes(i)).map((i) => (specs[i] as ColumnSpec).head),
  });
  const tries: Array<[boolean, { wrap: number; clip: number } | undefined]> = [
    [false, undefined],
    [true, undefined],
    [true, SOFT_MIN],
  ];
  for (const [short, mins] of tries) {
    const w = attempt(all, short, mins);
    if (w) return result(all, short, w);
  }
  let kept = all;
  for (const col of droppable) {
    kept = kept.filter((i) => i !== col);
    if (!attempt(kept, true, SOFT_MIN)) continue;
    // Room left over takes back the most important columns left out that fit in it.
    for (const back of [...droppable].reverse()) {
      if (kept.includes(back)) continue;
      const wider = [...kept, back].sort((a, b) => a - b);
      if (attempt(wider, true, SOFT_MIN)) kept = wider;
    }
    return result(kept, true, attempt(kept, true, SOFT_MIN) as number[]);
  }
  // Even the essential columns do not fit: free text goes down to its least, numbers stay whole.
  const w = attempt(kept, true, HARD_MIN) ?? narrowest(kept);
  return result(kept, true, w);
}

/**
 * Words of `text` on lines of at most `width` columns. A word longer than that keeps its own line
 * whole (a cell: it may be a number), or is broken into pieces of `width` with `breakLong` (prose:
 * a long path).
 */
function wrapWords(text: string, width: number, breakLong = false): string[] {
  const lines: string[] = [];
  let line = '';
  const words = text.split(' ').filter((w) => w !== '');
  for (const word of breakLong ? words.flatMap((w) => piecesOf(w, width)) : words) {
    if (line === '') line = word;
    else if (displayWidth(line) + 1 + displayWidth(word) <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  return [...lines, line];
}

/** `word` in pieces of at most `width` columns. */
function piecesOf(word: string, width: number): string[] {
  if (displayWidth(word) <= width) return [word];
  const pieces: string[] = [];
  let piece = '';
  for (const ch of word) {
    if (piece !== '' && displayWidth(piece + ch) > width) {
      pieces.push(piece);
      piece = '';
    }
    piece += ch;
  }
  return [...pieces, piece];
}

/** `text` within `width` columns, its end replaced by "…" when it is longer. */
function clip(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let out = '';
  for (const ch of text) {
    if (displayWidth(out + ch) > width - 1) break;
    out += ch;
  }
  return `${out}…`;
}

function pad(text: string, width: number, align: 'left' | 'right', paint?: (s: string) => string): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  const shown = paint ? paint(text) : text;
  return align === 'right' ? fill + shown : shown + fill;
}

/** One row as lines under `layout` (more than one when a wrapped cell needs them). */
export function layoutRow(specs: readonly ColumnSpec[], layout: Layout, cells: readonly Cell[]): string[] {
  const pieces = layout.kept.map((col, k) => {
    const spec = specs[col] as ColumnSpec;
    const width = layout.widths[k] as number;
    const text = cellText(cells[col], layout.compact);
    if (displayWidth(text) <= width) return [text];
    if (spec.shrink === 'wrap') return wrapWords(text, width);
    if (spec.shrink === 'clip') return [clip(text, width)];
    return [text];
  });
  const height = Math.max(1, ...pieces.map((p) => p.length));
  const lines: string[] = [];
  for (let line = 0; line < height; line++) {
    const parts = layout.kept.map((col, k) => {
      const cell = cells[col];
      const paint = typeof cell === 'object' ? cell.paint : undefined;
      return pad(pieces[k]?.[line] ?? '', layout.widths[k] as number, (specs[col] as ColumnSpec).align, paint);
    });
    lines.push(parts.join(' '.repeat(GAP)).trimEnd());
  }
  return lines;
}

/** The heading line and the rule under it. */
export function layoutHeader(specs: readonly ColumnSpec[], layout: Layout): string[] {
  const head = layout.kept.map((col, k) => pad(layout.heads[k] as string, layout.widths[k] as number, (specs[col] as ColumnSpec).align)).join(' '.repeat(GAP));
  const rule = layout.widths.map((w) => '─'.repeat(w)).join(' '.repeat(GAP));
  return [head.trimEnd(), rule];
}

/** Prose (a note under a table) on lines of at most `maxWidth` columns, broken at spaces. */
export function wrapText(text: string, maxWidth: number): string[] {
  if (!Number.isFinite(maxWidth)) return [text];
  return text.split('\n').flatMap((line) => {
    // An indented line keeps its indent on every line it becomes.
    const indent = /^ */.exec(line)?.[0] ?? '';
    return wrapWords(line, Math.max(1, maxWidth - indent.length), true).map((l) => indent + l);
  });
}

/** "(not shown at 80 columns: defended, instant)", or nothing when every column is shown. */
export function droppedNote(dropped: readonly string[], maxWidth: number): string[] {
  if (dropped.length === 0) return [];
  return wrapText(`(not shown at ${maxWidth} columns: ${dropped.join(', ')})`, maxWidth);
}

/** A whole table as lines: heading, rule, rows, and a note naming the columns left out. */
export function layoutTable(specs: readonly ColumnSpec[], rows: ReadonlyArray<readonly Cell[]>, maxWidth: number): string[] {
  const layout = planLayout(specs, rows, maxWidth);
  return [...layoutHeader(specs, layout), ...rows.flatMap((r) => layoutRow(specs, layout, r)), ...droppedNote(layout.dropped, maxWidth)];
}
