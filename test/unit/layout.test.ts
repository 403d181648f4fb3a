import { stripVTControlCharacters } from 'node:util';
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { BatchRows } from '../../src/report/render/batch-lines.js';
import { displayWidth, layoutTable, planLayout, wrapText, type ColumnSpec } from '../../src/report/render/layout.js';
import { emptyCounts, figures } from '../../src/stats/outcomes.js';
import type { BatchRecord } from '../../src/store/records.js';

const specs: ColumnSpec[] = [
  { head: 'name', align: 'left', priority: 0, shrink: 'clip' },
  { head: 'essential', align: 'right', priority: 0 },
  { head: 'nice to have', align: 'right', priority: 2 },
  { head: 'least', align: 'right', priority: 5 },
  { head: 'note', align: 'left', priority: 0, shrink: 'wrap' },
];
const rows = [
  ['alpha', '123456', '42', '7', 'a note that is long enough to need wrapping when the table is narrow'],
  ['a rather long defender name indeed', '99.9% [98.1–100.0]', '1', '0', 'short'],
];

/** The column where each cell of a rendered line ends (right-aligned columns line up on these). */
function rightEdges(line: string): number[] {
  return [...stripVTControlCharacters(line).matchAll(/\S+(?: \S+)*/g)].map((m) => (m.index ?? 0) + m[0].length);
}

describe('table layout', () => {
  it('prints every column when there is room, with no frame and no rule between rows', () => {
    const lines = layoutTable(specs, rows, Infinity);
    expect(lines).toHaveLength(2 + rows.length);
    expect(lines[0]).toMatch(/^name\s+essential\s+nice to have\s+least\s+note$/);
    expect(lines[1]).toMatch(/^─+( +─+){4}$/);
    expect(lines.join('\n')).not.toMatch(/[│┌├└]/);
  });

  it('fits the width: free text narrows, then the least important columns go first, and the note says which', () => {
    for (const width of [80, 60, 50]) {
      const lines = layoutTable(specs, rows, width);
      for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(width);
      const layout = planLayout(specs, rows, width);
      // "least" (priority 5) goes before "nice to have" (2); essential columns stay.
      if (layout.dropped.includes('nice to have')) expect(layout.dropped).toContain('least');
      expect(layout.dropped).not.toContain('essential');
      expect(layout.dropped).not.toContain('name');
      if (layout.dropped.length > 0) expect(lines.at(-1)).toBe(`(not shown at ${width} columns: ${layout.dropped.join(', ')})`);
    }
  });

  it('never cuts a number: every figure is printed whole at any width', () => {
    for (const width of [80, 40, 10]) {
      const text = layoutTable(specs, rows, width).join('\n');
      expect(text).toContain('123456');
      expect(text).toContain('99.9% [98.1–100.0]');
    }
  });

  it('wraps free text at spaces and clips names with an ellipsis', () => {
    const lines = layoutTable(specs, rows, 60);
    expect(lines.join('\n')).toContain('…');
    const noteWords = lines
      .slice(2)
      .map((l) => l.slice(planLayout(specs, rows, 60).widths.slice(0, -1).reduce((a, b) => a + b + 2, 0)).trim())
      .join(' ');
    expect(noteWords).toContain('a note that is long enough to need wrapping when the table is narrow');
  });

  it('pads before it paints: colour never moves a column', () => {
    const red = new Chalk({ level: 1 }).red;
    const painted = [[{ text: '7', paint: red }, '1'], ['12', { text: '345', paint: red }]];
    const plain = [['7', '1'], ['12', '345']];
    const two: ColumnSpec[] = [
      { head: 'a', align: 'right', priority: 0 },
      { head: 'b', align: 'right', priority: 0 },
    ];
    const coloured = layoutTable(two, painted, 80);
    expect(coloured.join('\n')).toContain('\u001b[31m');
    expect(coloured.map((l) => stripVTControlCharacters(l))).toEqual(layoutTable(two, plain, 80));
  });

  it('wraps prose to the width, keeping indents and breaking only words longer than a line', () => {
    const long = `  resume with: hive wargame --resume 3 --db /${'x'.repeat(90)}/hive.db`;
    const lines = wrapText(long, 80);
    for (const l of lines) {
      expect(displayWidth(l)).toBeLessThanOrEqual(80);
      expect(l.startsWith('  ')).toBe(true);
    }
    expect(lines.join('').replace(/ /g, '')).toBe(long.replace(/ /g, ''));
    expect(wrapText(long, Infinity)).toEqual([long]);
  });
});

describe('batch rows at 80 columns', () => {
  const batch = (n: number, breached: number): BatchRecord => {
    const counts = { ...emptyCounts(), rounds: 50, attacks: 40, benign: 10, DEFENDED: 30 - breached, INSTANT_BLOCKED: 8, BREACHED: breached, ATTACKER_REFUSED: 1, ERROR: 1, TRUE_NEGATIVE: 8, FALSE_POSITIVE: 2 };
    return { batch: n, firstRound: (n - 1) * 50 + 1, lastRound: n * 50, counts, defenceRate: figures(counts).defence };
  };

  it('keeps batch, rounds, attacks, breached, defence with its interval, benign, false positives and errors', () => {
    const rows = new BatchRows(10_000, 80, new Chalk({ level: 0 }));
    const [head] = rows.header();
    expect(head?.split(/\s{2,}/).map((h) => h.trim())).toEqual(['batch', 'rounds', 'attacks', 'breach', 'defence [CI]', 'benign', 'FP', 'errors']);
    expect(rows.dropped).toEqual(['defended', 'instant', 'refused']);
  });

  it('lines every row up with the header, colours on or off, within 80 columns', () => {
    for (const level of [0, 1] as const) {
      const rows = new BatchRows(500, 80, new Chalk({ level }));
      const [head] = rows.header();
      for (const [n, breached] of [
        [1, 0],
        [2, 9],
        [10, 12],
      ] as const) {
        const line = rows.row(batch(n, breached));
        if (level === 1 && breached > 0) expect(line).toContain('\u001b[31m');
        expect(displayWidth(line)).toBeLessThanOrEqual(80);
        expect(rightEdges(line)).toEqual(rightEdges(head as string));
      }
    }
  });

  it('shows every column on a wide terminal', () => {
    const rows = new BatchRows(500, 200, new Chalk({ level: 0 }));
    expect(rows.dropped).toEqual([]);
    expect(rows.header()[0]).toContain('defended');
  });
});
