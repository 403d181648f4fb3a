import type { Rate } from '../stats/wilson.js';

export function pct(x: number | null, digits = 1): string {
  return x === null ? '—' : `${(x * 100).toFixed(digits)}%`;
}

/** "92.4% [89.1–94.8]" */
export function rateWithCi(r: Rate, digits = 1): string {
  if (r.rate === null) return '—';
  return `${pct(r.rate, digits)} [${(r.ci.low * 100).toFixed(digits)}–${(r.ci.high * 100).toFixed(digits)}]`;
}

/** "412/440" */
export function counts(r: Rate): string {
  return `${r.k}/${r.n}`;
}
