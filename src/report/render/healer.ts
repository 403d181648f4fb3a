/**
 * Terminal text for the immune system: what a run preloaded before round 1, and the patterns and
 * antibodies of an immunity file (`hive immunity show`). Patterns and antibodies are cut from
 * attacks, so every one is printed through `preview` (no control sequences reach the terminal).
 */
import type { HealerEvent } from '../../domain.js';
import type { Immunity } from '../../healer/immunity.js';
import { plural } from '../numbers.js';
import { wrapText } from './layout.js';
import { preview } from './sanitize.js';
import { terminalTable } from './table.js';

/** One line about what a run loaded before round 1, or undefined when it loaded nothing. */
export function preloadSummary(events: readonly HealerEvent[]): string | undefined {
  const parts: string[] = [];
  for (const source of ['immunity', 'vaccine'] as const) {
    const mine = events.filter((e) => e.source === source && e.round === 0);
    if (mine.length === 0) continue;
    const learned = mine.filter((e) => e.kind === 'pattern_learned').length;
    const rejected = mine.filter((e) => e.kind === 'pattern_rejected').length;
    const antibodies = mine.filter((e) => e.kind === 'antibody_added').length;
    parts.push(
      `${source}: ${plural(learned, 'pattern')} loaded, ${rejected} rejected${source === 'immunity' ? `, ${plural(antibodies, 'antibody', 'antibodies')}` : ''}`,
    );
  }
  if (parts.length === 0) return undefined;
  const rejected = events.some((e) => e.kind === 'pattern_rejected');
  return `healer preloaded (visible from round 1): ${parts.join('; ')}${rejected ? ' (reasons in healer_events, round 0)' : ''}`;
}

/** What `hive immunity show` prints. */
export function immunityText(im: Immunity, opts: { width: number; limit?: number }): string {
  const active = im.patterns.filter((p) => p.status === 'active').length;
  const lines = wrapText(
    `hive immunity v${im.version}: ${plural(im.patterns.length, 'pattern')} (${active} active, ${im.patterns.length - active} retired), ${plural(im.antibodies.length, 'antibody', 'antibodies')}, ${im.breaches === undefined ? 'no breach list (version 1)' : plural(im.breaches.length, 'source breach', 'source breaches')}; runs ${im.runs.length > 0 ? im.runs.join(', ') : 'none'}`,
    opts.width,
  );
  const limit = opts.limit ?? Number.POSITIVE_INFINITY;
  if (im.patterns.length > 0) {
    const rows = im.patterns.slice(0, limit).map((p) => {
      const from = p.source === 'vaccine' ? `${p.vaccine ?? 'vaccine'} ${p.technique ?? ''}`.trim() : p.run !== null ? `run ${p.run} round ${p.round ?? '?'}` : '—';
      return [preview(p.pattern, 60), p.category ?? '—', p.source, preview(from, 40), String(p.hits), String(p.false_positive_hits), p.status];
    });
    lines.push(terminalTable(['pattern', 'category', 'source', 'from', 'hits', 'FP hits', 'status'], rows, { width: opts.width, numeric: [4, 5] }));
    if (im.patterns.length > limit) lines.push(`… and ${plural(im.patterns.length - limit, 'more pattern', 'more patterns')}`);
  }
  if (im.antibodies.length > 0) {
    const rows = im.antibodies.slice(0, limit).map((a) => [preview(a.text, 70), a.category ?? '—', a.run !== null ? `run ${a.run} round ${a.round ?? '?'}` : '—']);
    lines.push(terminalTable(['antibody', 'category', 'from'], rows, { width: opts.width }));
    if (im.antibodies.length > limit) lines.push(`… and ${im.antibodies.length - limit} more antibod${im.antibodies.length - limit === 1 ? 'y' : 'ies'}`);
  }
  return lines.join('\n');
}
