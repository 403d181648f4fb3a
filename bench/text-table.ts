/** The bench's plain-text tables: first column left-aligned, the rest right-aligned, two spaces apart. */
export function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ')).join('\n');
}

export const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
export const mark = (ok: boolean): string => (ok ? 'ok' : 'MISSED');
