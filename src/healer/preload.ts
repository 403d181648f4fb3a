/**
 * Puts immunity files and vaccines into a fresh healer before round 1. Everything loaded passes
 * the same benign guard as learned patterns and becomes a healer event of round 0 (source
 * `immunity` or `vaccine`, with its provenance), so what a run started with is in its database.
 * Immunity goes in before vaccines: its entries carry hits and provenance from real runs, and a
 * vaccine phrase it already holds is then reported as "already known".
 */
import { CATEGORY_IDS } from '../categories.js';
import type { Healer, HealerEvent } from './healer.js';
import { patternOrigin, type Immunity } from './immunity.js';
import type { Vaccine } from './vaccine.js';

/** Starts the reason of a retired immunity pattern's round-0 event; the export recognises it by this. */
export const RETIRED_ON_LOAD = 'retired';

export function loadImmunity(healer: Healer, im: Immunity): HealerEvent[] {
  const events: HealerEvent[] = [];
  const visibleFrom = healer.visibleFromFor(0);
  for (const p of im.patterns) {
    const origin = patternOrigin(p);
    if (p.status === 'retired') {
      // Kept in the file for the record; a pattern that blocked a benign control never screens again.
      events.push({
        kind: 'pattern_rejected',
        round: 0,
        patternId: null,
        pattern: p.pattern,
        category: p.category,
        source: 'immunity',
        sourceRound: null,
        reason: `${RETIRED_ON_LOAD}${p.run !== null ? ` in run ${p.run}` : ''} after blocking a benign control`,
        origin,
      });
      continue;
    }
    events.push(healer.propose(p.pattern, { round: 0, category: p.category, source: 'immunity', sourceRound: null, visibleFrom, origin }));
  }
  for (const a of im.antibodies) {
    const e = healer.loadAntibody(
      { sourceRound: 0, category: a.category, text: a.text },
      { source: 'breach', run: a.run, round: a.round, technique: null, vaccine: null, hits: 0, false_positive_hits: 0 },
    );
    if (e) events.push(e);
  }
  return events;
}

export function loadVaccineInto(healer: Healer, vaccine: Vaccine): HealerEvent[] {
  const events: HealerEvent[] = [];
  const visibleFrom = healer.visibleFromFor(0);
  // Category order is the published one, whatever order the file lists them in.
  for (const category of CATEGORY_IDS) {
    for (const group of vaccine.categories[category] ?? []) {
      for (const phrase of group.phrases) {
        const origin = { source: 'vaccine' as const, run: null, round: null, technique: group.technique, vaccine: vaccine.name, hits: 0, false_positive_hits: 0 };
        events.push(healer.propose(phrase, { round: 0, category, source: 'vaccine', sourceRound: null, visibleFrom, origin }));
      }
    }
  }
  return events;
}
