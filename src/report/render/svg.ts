/**
 * The few SVG pieces the HTML report draws with: escaping, number formatting, linear scales and
 * axes. Hand-built so the report needs no charting library, no script and no network.
 */
import { neutralize } from './sanitize.js';

/** Text safe in HTML/SVG text and double- or single-quoted attributes; control characters shown escaped. */
export function escapeHtml(s: string, max?: number): string {
  return neutralize(s, max === undefined ? {} : { max })
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A coordinate: two decimals, no "-0". */
export function n(x: number): string {
  const v = Math.round(x * 100) / 100;
  return Object.is(v, -0) ? '0' : String(v);
}

export interface Scale {
  (x: number): number;
  domain: [number, number];
  range: [number, number];
}

export function linear(domain: [number, number], range: [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0 || 1;
  const f = ((x: number) => r0 + ((x - d0) / span) * (r1 - r0)) as Scale;
  f.domain = domain;
  f.range = range;
  return f;
}

/** A round number at or above `x` for an axis maximum or a tick step: 1, 2, 2.5, 5 × 10^k (`multiples`). */
export function niceCeil(x: number, multiples: readonly number[] = [1, 2, 2.5, 5, 10]): number {
  if (x <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of multiples) if (m * p >= x) return m * p;
  return 10 * p;
}

/**
 * Tick values from 0 to `max`, about `count` of them, at a round step. `whole`: the axis counts
 * something (rounds, breaches), so every tick is a whole number: 0, 1, 2, never 0.25.
 */
export function ticks(max: number, count = 4, whole = false): number[] {
  const step = whole ? Math.max(1, niceCeil(max / count, [1, 2, 5, 10])) : niceCeil(max / count);
  const out: number[] = [];
  for (let v = 0; v <= max + 1e-9; v += step) out.push(Math.round(v * 1e6) / 1e6);
  return out;
}

export interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export const plotWidth = (f: Frame) => f.width - f.left - f.right;
export const plotHeight = (f: Frame) => f.height - f.top - f.bottom;

/** Horizontal grid lines with labels on the left. */
export function yAxis(f: Frame, y: Scale, values: readonly number[], label: (v: number) => string, title: string): string {
  const parts = values.map(
    (v) =>
      `<line class="grid" x1="${f.left}" x2="${f.width - f.right}" y1="${n(y(v))}" y2="${n(y(v))}"/>` +
      `<text class="tick" x="${f.left - 6}" y="${n(y(v) + 4)}" text-anchor="end">${escapeHtml(label(v))}</text>`,
  );
  parts.push(`<text class="axis-title" transform="translate(12 ${n(f.top + plotHeight(f) / 2)}) rotate(-90)" text-anchor="middle">${escapeHtml(title)}</text>`);
  return parts.join('');
}

/**
 * Tick labels along the bottom. A label at the left edge starts there (centred, it would run into
 * the y axis's lowest label), one at the right edge ends there.
 */
export function xAxis(f: Frame, x: Scale, values: readonly number[], label: (v: number) => string, title: string): string {
  const base = f.height - f.bottom;
  const anchor = (px: number) => (px <= f.left + 0.5 ? 'start' : px >= f.width - f.right - 0.5 ? 'end' : 'middle');
  const parts = values.map(
    (v) =>
      `<line class="axis" x1="${n(x(v))}" x2="${n(x(v))}" y1="${base}" y2="${base + 4}"/><text class="tick" x="${n(x(v))}" y="${base + 16}" text-anchor="${anchor(x(v))}">${escapeHtml(label(v))}</text>`,
  );
  parts.push(`<line class="axis" x1="${f.left}" x2="${f.width - f.right}" y1="${base}" y2="${base}"/>`);
  parts.push(`<text class="axis-title" x="${n(f.left + plotWidth(f) / 2)}" y="${f.height - 4}" text-anchor="middle">${escapeHtml(title)}</text>`);
  return parts.join('');
}

/** An <svg> element with an accessible title; `body` is trusted markup built by this module's callers. */
export function svg(f: Frame, title: string, body: string): string {
  // data-plot: the plotting area (x0 y0 x1 y1), where every interval must lie (checked by scripts/render-report.mjs).
  const plot = `${f.left} ${f.top} ${f.width - f.right} ${f.height - f.bottom}`;
  return `<svg class="chart" viewBox="0 0 ${f.width} ${f.height}" data-plot="${plot}" role="img" aria-label="${escapeHtml(title)}"><title>${escapeHtml(title)}</title>${body}</svg>`;
}
