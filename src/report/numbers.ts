/**
 * How hive writes its numbers, in every format and in gate details: percentages with one decimal,
 * 95% intervals as "low–high", counts as k/n, p-values and differences in percentage points.
 * "—" stands for a figure that is undefined (no trials).
 */
import type { Interval, Rate } from '../stats/wilson.js';

/** A fraction as a percentage: "92.4%". */
export function pct(x: number | null, digits = 1): string {
  return x === null ? '—' : `${(x * 100).toFixed(digits)}%`;
}

/** An interval's bounds in percent, without the sign: "89.1–94.8". */
export function bounds(ci: Interval, digits = 1): string {
  return `${(ci.low * 100).toFixed(digits)}–${(ci.high * 100).toFixed(digits)}`;
}

/** "92.4% [89.1–94.8]" */
export function rateWithCi(r: Rate, digits = 1): string {
  if (r.rate === null) return '—';
  return `${pct(r.rate, digits)} [${bounds(r.ci, digits)}]`;
}

/** "89.1–94.8%", or "—" when the figure it belongs to is undefined. */
export function intervalText(ci: Interval | null, defined: boolean): string {
  return ci && defined ? `${bounds(ci)}%` : '—';
}

/** "412/440" */
export function counts(r: Rate): string {
  return `${r.k}/${r.n}`;
}

/** A p-value: "0.0625", "1", "3.1e-7". */
export function formatP(p: number | null): string {
  if (p === null) return '—';
  if (p >= 0.9999995) return '1';
  if (p < 1e-4) return p.toExponential(1);
  return String(Number(p.toPrecision(3)));
}

/** A difference of two fractions in percentage points: "+1.2 pts", "−0.4 pts", "0.0 pts". */
export function formatPoints(d: number | null, digits = 1): string {
  if (d === null) return '—';
  const v = d * 100;
  const s = Math.abs(v).toFixed(digits);
  if (Number(s) === 0) return `${(0).toFixed(digits)} pts`;
  return `${v > 0 ? '+' : '−'}${s} pts`;
}

export { plural } from '../util/words.js';
