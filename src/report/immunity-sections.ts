/**
 * The report's immune-system sections (issue 8): the learning curve (healer vs swarm per batch,
 * healer false positives beside its blocks), exact/near repeats, the held-out phase after
 * `--freeze-healer-after`, and the prompt tokens antibodies cost. Shared by the terminal and
 * Markdown renderers through `reportSections`, and by the JSON report through `immunityJson`.
 */
import type { OutcomeCounts } from '../stats/outcomes.js';
import type { Interval } from '../stats/wilson.js';
import { pct, rateWithCi } from './format.js';
import type { Section } from './sections.js';
import type { ImmunityFigures, RunReport } from './types.js';

/** "89.1–94.8%" or "—" (as sections.ts prints intervals; not imported from there to keep imports one-way). */
function interval(ci: Interval, defined: boolean): string {
  return defined ? `${(ci.low * 100).toFixed(1)}–${(ci.high * 100).toFixed(1)}%` : '—';
}

export const LEARNING_CURVE_HEAD = ['batch', 'rounds', 'valid attacks', 'healer blocked', 'swarm blocked', 'breached', 'healer FP', 'swarm FP', 'new patterns'] as const;

/** One row per batch: who stopped what. */
export function learningCurveRows(f: ImmunityFigures): string[][] {
  return f.learningCurve.map((b) => [
    String(b.batch),
    `${b.firstRound}-${b.lastRound}`,
    String(b.validAttacks),
    String(b.healerBlocked),
    String(b.swarmBlocked),
    String(b.breached),
    String(b.healerFalsePositives),
    String(b.swarmFalsePositives),
    String(b.patternsLearned),
  ]);
}

export function learningCurveSection(f: ImmunityFigures): Section {
  const r = f.repeats;
  const c = f.antibodyCost;
  const notes = [
    `Instant blocks: ${r.exact} exact repeats of an earlier breach, ${r.near} near repeats (similarity ≥ ${r.nearThreshold}), ${r.samePayload} with a payload that already breached, ${r.novel} new variants.`,
    `Healer: ${f.healerBlocked} instant blocks beside ${f.healerFalsePositives} false positives.`,
    c.rounds === 0
      ? 'Antibodies: none shown.'
      : `Antibodies: ~${Math.round(c.meanPerPrompt ?? 0)} prompt tokens per defender prompt (max ${c.maxPerPrompt}), ~${c.total} over all calls (chars/4 estimate).`,
  ];
  return {
    title: 'Learning curve',
    head: [...LEARNING_CURVE_HEAD],
    numeric: [0, 2, 3, 4, 5, 6, 7, 8],
    rows: learningCurveRows(f),
    note: notes.join(' '),
  };
}

export function frozenSection(f: ImmunityFigures): Section | undefined {
  const z = f.frozen;
  if (!z) return undefined;
  const fig = z.figures;
  const row = (name: string, r: typeof fig.defence): string[] => [name, pct(r.rate), interval(r.ci, r.rate !== null), `${r.k}/${r.n}`];
  return {
    title: `Held-out phase (rounds after ${z.after}, healer frozen)`,
    head: ['figure', 'value', '95% CI', 'counts'],
    numeric: [1, 2],
    rows: [
      ['rounds', String(z.counts.rounds), '', `${z.counts.attacks} attacks, ${z.counts.benign} benign`],
      row('defence rate', fig.defence),
      row('swarm defence rate', fig.swarmDefence),
      row('breach rate', fig.breach),
      row('false-positive rate', fig.falsePositive),
      ['healer blocks', String(z.healerBlocked), '', `${z.healerFalsePositives} false positives by the healer`],
      ['patterns learned', String(z.patternsLearned), '', 'none expected: the healer is frozen'],
    ],
    note: `Defence in the frozen phase: ${rateWithCi(fig.defence)}. What the healer learned before round ${z.after + 1} is tested on rounds it never learned from.`,
  };
}

/** The sections to show after the healer table, when the run had a healer. */
export function immunitySections(r: RunReport): Section[] {
  const f = r.healer.immunity;
  const out: Section[] = [learningCurveSection(f)];
  const z = frozenSection(f);
  if (z) out.push(z);
  return out;
}

/**
 * snake_case for `hive report --format json` (key `healer.immunity`). `figuresOf` is the report's
 * own figures-to-JSON step, so the frozen phase has exactly the keys of every other group.
 */
export function immunityJson<F extends object>(f: ImmunityFigures, figuresOf: (counts: OutcomeCounts) => F) {
  return {
    healer_blocked: f.healerBlocked,
    healer_false_positives: f.healerFalsePositives,
    learning_curve: f.learningCurve.map((b) => ({
      batch: b.batch,
      first_round: b.firstRound,
      last_round: b.lastRound,
      valid_attacks: b.validAttacks,
      healer_blocked: b.healerBlocked,
      swarm_blocked: b.swarmBlocked,
      breached: b.breached,
      benign: b.benign,
      healer_false_positives: b.healerFalsePositives,
      swarm_false_positives: b.swarmFalsePositives,
      patterns_learned: b.patternsLearned,
    })),
    repeats: {
      instant_blocks: f.repeats.instantBlocks,
      exact: f.repeats.exact,
      near: f.repeats.near,
      same_payload: f.repeats.samePayload,
      novel: f.repeats.novel,
      near_threshold: f.repeats.nearThreshold,
      known_breaches: f.repeats.knownBreaches,
      known_without_hash: f.repeats.knownWithoutHash,
    },
    frozen: f.frozen
      ? {
          after_round: f.frozen.after,
          ...figuresOf(f.frozen.counts),
          healer_blocked: f.frozen.healerBlocked,
          healer_false_positives: f.frozen.healerFalsePositives,
          patterns_learned: f.frozen.patternsLearned,
        }
      : null,
    antibody_tokens: {
      rounds: f.antibodyCost.rounds,
      mean_per_prompt: f.antibodyCost.meanPerPrompt,
      max_per_prompt: f.antibodyCost.maxPerPrompt,
      total: f.antibodyCost.total,
    },
  };
}
