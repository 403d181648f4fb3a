import type { HealerEvent } from '../domain.js';
import { toHealerEvent, type RawHealerEvent } from './rows.js';
import { Table } from './table.js';

const EVENT_COLUMNS = `round, kind, pattern_id, pattern, category, source, source_round, reason, origin_json, text`;

/** Counts of a run's healer events by kind; `preloaded` ones happened before round 1 (round 0). */
export interface HealerEventCounts {
  total: number;
  learned: number;
  preloaded: number;
  rejected: number;
  retired: number;
  antibodies: number;
  antibodiesPreloaded: number;
}

/** A learned pattern with the round it was learned in. */
export interface LearnedPattern {
  id: number;
  pattern: string;
  category: string | null;
  source: string;
  learnedRound: number;
  sourceRound: number | null;
}

/** The `healer_events` table: what the healer learned, rejected and retired, in the order it did it. */
export class HealerEventsTable extends Table {
  /** One event; the caller holds the transaction. */
  insert(runId: number, e: HealerEvent): void {
    this.write(
      `INSERT INTO healer_events (run_id, round, kind, pattern_id, pattern, category, source, source_round,
        reason, origin_json, text) VALUES (@runId, @round, @kind, @patternId, @pattern, @category, @source, @sourceRound, @reason, @originJson,
        @text)`,
      {
        runId,
        round: e.round,
        kind: e.kind,
        patternId: e.patternId,
        pattern: e.pattern,
        category: e.category,
        source: e.source,
        sourceRound: e.sourceRound,
        reason: e.reason,
        originJson: e.origin ? JSON.stringify(e.origin) : null,
        text: e.text ?? null,
      },
    );
  }

  /** Every event of the run, in the order it was stored (the order the healer made them). */
  list(runId: number): HealerEvent[] {
    return this.rows<RawHealerEvent>(`SELECT ${EVENT_COLUMNS} FROM healer_events WHERE run_id = ? ORDER BY id`, runId).map(toHealerEvent);
  }

  /** What the run loaded before round 1 (immunity files, vaccines), in stored order. */
  preloaded(runId: number): HealerEvent[] {
    return this.rows<RawHealerEvent>(`SELECT ${EVENT_COLUMNS} FROM healer_events WHERE run_id = ? AND round = 0 ORDER BY id`, runId).map(toHealerEvent);
  }

  /** What an immunity export carries: learned, retired and antibody events, and patterns retired on load. */
  forExport(runId: number): HealerEvent[] {
    return this.rows<RawHealerEvent>(
      `SELECT ${EVENT_COLUMNS} FROM healer_events
       WHERE run_id = ? AND (kind IN ('pattern_learned', 'pattern_retired', 'antibody_added') OR (kind = 'pattern_rejected' AND round = 0))
       ORDER BY id`,
      runId,
    ).map(toHealerEvent);
  }

  counts(runId: number): HealerEventCounts {
    const rows = this.rows<{ kind: string; n: number; preloaded: number }>(
      `SELECT kind, count(*) AS n, sum(round = 0) AS preloaded FROM healer_events WHERE run_id = ? GROUP BY kind`,
      runId,
    );
    const get = (kind: string) => rows.find((r) => r.kind === kind);
    const learned = get('pattern_learned');
    return {
      total: rows.reduce((s, r) => s + r.n, 0),
      learned: (learned?.n ?? 0) - (learned?.preloaded ?? 0),
      preloaded: learned?.preloaded ?? 0,
      rejected: get('pattern_rejected')?.n ?? 0,
      retired: get('pattern_retired')?.n ?? 0,
      antibodies: (get('antibody_added')?.n ?? 0) - (get('antibody_added')?.preloaded ?? 0),
      antibodiesPreloaded: get('antibody_added')?.preloaded ?? 0,
    };
  }

  /** The first round during whose finalisation the healer learned something (pattern or antibody). */
  firstLessonRound(runId: number): number | null {
    return (
      this.row<{ r: number | null }>(
        `SELECT min(round) AS r FROM healer_events WHERE run_id = ? AND round > 0 AND kind IN ('pattern_learned', 'antibody_added')`,
        runId,
      )?.r ?? null
    );
  }

  learnedPatterns(runId: number): LearnedPattern[] {
    return this.rows<LearnedPattern & { pattern: string | null }>(
      `SELECT pattern_id AS id, pattern, category, source, round AS learnedRound, source_round AS sourceRound FROM healer_events
       WHERE run_id = ? AND kind = 'pattern_learned' AND pattern_id IS NOT NULL ORDER BY pattern_id`,
      runId,
    ).map((p) => ({ ...p, pattern: p.pattern ?? '' }));
  }

  /** The round each retired pattern was retired in. */
  retiredRounds(runId: number): Map<number, number> {
    const rows = this.rows<{ id: number; round: number }>(
      `SELECT pattern_id AS id, min(round) AS round FROM healer_events WHERE run_id = ? AND kind = 'pattern_retired' GROUP BY pattern_id`,
      runId,
    );
    return new Map(rows.map((r) => [r.id, r.round]));
  }

  /** Patterns learned during the finalisation of rounds after `round`. */
  learnedAfter(runId: number, round: number): number {
    return this.row<{ n: number }>(`SELECT count(*) AS n FROM healer_events WHERE run_id = ? AND kind = 'pattern_learned' AND round > ?`, runId, round)?.n ?? 0;
  }

  /** Patterns learned per batch (the batch of the round whose finalisation learned them). */
  learnedByBatch(runId: number): Map<number, number> {
    const rows = this.rows<{ batch: number; n: number }>(
      `SELECT r.batch AS batch, count(*) AS n FROM healer_events e JOIN rounds r ON r.run_id = e.run_id AND r.round = e.round
       WHERE e.run_id = ? AND e.kind = 'pattern_learned' GROUP BY r.batch`,
      runId,
    );
    return new Map(rows.map((l) => [l.batch, l.n]));
  }
}
