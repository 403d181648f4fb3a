/**
 * A run's healer state, rebuilt from what the database holds: pattern events, the rounds each
 * pattern decided (hits) and the stored attacks that became antibodies. Nothing is taken from a
 * live healer, so any finished, interrupted or failed run can be exported.
 */
import { isCategoryId, type CategoryId } from '../categories.js';
import { UsageError } from '../errors.js';
import type { Store } from '../store/store.js';
import { ANTIBODY_CHARS, type Provenance } from './healer.js';
import { RETIRED_ON_LOAD } from './preload.js';
import { canonical, IMMUNITY_FORMAT, IMMUNITY_VERSION, type Immunity, type ImmunityAntibody, type ImmunityPattern } from './immunity.js';

interface EventRow {
  id: number;
  round: number;
  kind: string;
  pattern_id: number | null;
  pattern: string | null;
  category: string | null;
  source: string;
  source_round: number | null;
  origin_json: string | null;
  text: string | null;
  reason: string | null;
}

/** Stored JSON written by this module's sibling (the store); anything unreadable counts as no provenance. */
function parseOrigin(json: string | null): Provenance | null {
  if (json === null) return null;
  try {
    const v = JSON.parse(json) as Partial<Provenance> | null;
    if (!v || typeof v !== 'object' || typeof v.source !== 'string') return null;
    return {
      source: v.source,
      run: typeof v.run === 'number' ? v.run : null,
      round: typeof v.round === 'number' ? v.round : null,
      technique: typeof v.technique === 'string' ? v.technique : null,
      vaccine: typeof v.vaccine === 'string' ? v.vaccine : null,
      hits: typeof v.hits === 'number' ? v.hits : 0,
      false_positive_hits: typeof v.false_positive_hits === 'number' ? v.false_positive_hits : 0,
    };
  } catch {
    return null;
  }
}

const categoryOf = (c: string | null): CategoryId | null => (c !== null && isCategoryId(c) ? c : null);

function patternSource(origin: Provenance | null, eventSource: string): ImmunityPattern['source'] {
  const s = origin?.source ?? eventSource;
  return s === 'druid' || s === 'vaccine' ? s : 'ngram';
}

export function immunityFromRun(store: Store, runId: number): Immunity {
  if (!store.getRun(runId)) throw new UsageError(`run ${runId} is not in ${store.path}; "hive runs --db ${store.path}" lists the runs it holds.`);
  const db = store.database;
  const events = db
    .prepare(
      `SELECT id, round, kind, pattern_id, pattern, category, source, source_round, origin_json, text, reason FROM healer_events
       WHERE run_id = ? AND (kind IN ('pattern_learned', 'pattern_retired', 'antibody_added') OR (kind = 'pattern_rejected' AND round = 0))
       ORDER BY id`,
    )
    .all(runId) as EventRow[];
  const hitRows = db
    .prepare(
      `SELECT pattern_id AS id, kind, count(*) AS n FROM rounds WHERE run_id = ? AND decided_by = 'healer' AND pattern_id IS NOT NULL
       GROUP BY pattern_id, kind`,
    )
    .all(runId) as Array<{ id: number; kind: string; n: number }>;
  const hits = new Map(hitRows.map((h) => [`${h.id}:${h.kind}`, h.n]));
  const retired = new Set(events.filter((e) => e.kind === 'pattern_retired' && e.pattern_id !== null).map((e) => e.pattern_id as number));
  const attackText = db.prepare(`SELECT text FROM attacks WHERE run_id = ? AND round = ?`);

  const patterns: ImmunityPattern[] = [];
  const antibodies: ImmunityAntibody[] = [];
  for (const e of events) {
    const origin = parseOrigin(e.origin_json);
    if (e.kind === 'pattern_learned' && e.pattern_id !== null && e.pattern !== null) {
      patterns.push({
        pattern: e.pattern,
        category: categoryOf(e.category),
        source: patternSource(origin, e.source),
        run: origin ? origin.run : runId,
        round: origin ? origin.round : (e.source_round ?? e.round),
        technique: origin?.technique ?? null,
        vaccine: origin?.vaccine ?? null,
        hits: (origin?.hits ?? 0) + (hits.get(`${e.pattern_id}:attack`) ?? 0),
        false_positive_hits: (origin?.false_positive_hits ?? 0) + (hits.get(`${e.pattern_id}:benign`) ?? 0),
        status: retired.has(e.pattern_id) ? 'retired' : 'active',
      });
    } else if (e.kind === 'pattern_rejected' && e.source === 'immunity' && origin && e.pattern !== null && e.reason?.startsWith(RETIRED_ON_LOAD)) {
      // A known false positive stays known: a retired pattern travels on, still retired.
      patterns.push({
        pattern: e.pattern,
        category: categoryOf(e.category),
        source: patternSource(origin, e.source),
        run: origin.run,
        round: origin.round,
        technique: origin.technique,
        vaccine: origin.vaccine,
        hits: origin.hits,
        false_positive_hits: origin.false_positive_hits,
        status: 'retired',
      });
    } else if (e.kind === 'antibody_added') {
      const round = e.source_round ?? e.round;
      const text = e.text ?? (attackText.get(runId, round) as { text: string } | undefined)?.text;
      if (!text) continue;
      antibodies.push({
        text: text.slice(0, ANTIBODY_CHARS),
        category: categoryOf(e.category),
        run: origin ? origin.run : runId,
        round: origin ? origin.round : round,
        sha256: '0'.repeat(64), // recomputed by canonical()
      });
    }
  }
  // Antibodies a run learned twice (the same breach got through again) travel once.
  const seen = new Set<string>();
  const runs = [runId, ...[...patterns, ...antibodies].map((x) => x.run).filter((r): r is number => r !== null)];
  const result = canonical({ format: IMMUNITY_FORMAT, version: IMMUNITY_VERSION, runs, patterns, antibodies });
  result.antibodies = result.antibodies.filter((a) => (seen.has(a.sha256) ? false : (seen.add(a.sha256), true)));
  return result;
}
