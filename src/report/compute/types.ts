/**
 * What src/report/compute/ derives from run reports, as types: the gates of `hive ci`, the
 * comparison of two runs (`hive compare`) and `hive reproduce`'s side-by-side. Renderers read
 * these; rates are src/stats/wilson.ts `Rate`s as in the run report (src/report/types.ts).
 */
import type { Preset } from '../../config/presets.js';
import type { Outcome, RoundKind } from '../../domain.js';
import type { McNemarResult } from '../../stats/mcnemar.js';
import type { TwoProportion } from '../../stats/two-proportion.js';
import type { Rate } from '../../stats/wilson.js';
import type { RunKind, RunStatus } from '../../domain.js';
import type { RunReport } from '../types.js';

/**
 * `min-multi-turn-defence`: attack conversations' defence rate, blocks at the payload turn or later
 * (ConversationStops.defenceRate); `min-iterative-defence`: iterative rounds' defence rate after
 * all their attempts. Both overall only.
 */
export type GateKind = 'min-defence' | 'max-fpr' | 'max-error-rate' | 'max-drop' | 'min-multi-turn-defence' | 'min-iterative-defence';

/** The gates on a way of playing rounds, and the mode each needs the run to play. */
export const MODE_GATES = { 'min-multi-turn-defence': 'conversation', 'min-iterative-defence': 'iterative' } as const satisfies Partial<Record<GateKind, string>>;

/** One checked gate of `hive ci` (src/report/compute/gates.ts) for a `scope` (`overall` or a category), set in `origin` (cast, gates file, command line). */
export interface GateResult {
  /** `min-defence`, `max-fpr:prompt_injection`, `max-drop`… */
  name: string;
  kind: GateKind;
  scope: string;
  passed: boolean;
  /** What the threshold is compared with: a rate, or for max-drop a drop in [−1, 1]; null when it cannot be measured. */
  value: number | null;
  threshold: number;
  /** One line: what was measured against what. */
  detail: string;
  origin: string;
}

/** A run checked against gates: what `hive ci` writes as JUnit and Markdown. */
export interface GatedRun {
  report: RunReport;
  gates: readonly GateResult[];
  /** What was judged: an attacker pool, a stored run's inputs, or a corpus. */
  mode: 'wargame' | 'replay' | 'eval';
  /** How the run ended; gates of an unfinished run saw only the rounds played. */
  status: RunStatus;
  /** Wall time of the run and the checks. */
  seconds: number;
}

/** One side of `hive compare`. */
export interface ComparedRun {
  id: number;
  kind: RunKind;
  castName: string;
  /** Its healer was on: its rounds depend on earlier ones (what the healer learned). */
  healer: boolean;
  replayOf: number | null;
  /** The run at the start of its replay chain (itself when it replays nothing). */
  root: number;
  rounds: number;
}

/**
 * Paired by `replay` (one replays the other, or both one source) or by `identical-inputs` (same
 * input hashes round by round) over `rounds` rounds; `unmatched`: rounds stored in one run only
 * (an interrupted run); `mismatched`: rounds in both whose input or kind differs (left out).
 */
export type Pairing =
  | {
      paired: true;
      basis: 'replay' | 'identical-inputs';
      rounds: number;
      unmatched: number;
      mismatched: number;
      /** Basis `replay`: of the paired rounds, conversation or iterative ones — the same recorded turns or attempts, one run stopping sooner or not (recorded pressure). */
      recordedPressure: number;
      /** Basis `identical-inputs`: paired conversation or iterative rounds in which both runs played the whole same sequence. */
      sequencesPaired: number;
      /** Basis `identical-inputs`: paired conversation or iterative rounds whose sequences, adapted to each run's cast, went on differently after the same first input (the round is the unit). */
      sequencesDiffer: number;
    }
  | { paired: false; reason: string };

/**
 * One figure (defence or false positives) over the `n` rounds valid on both sides: the rounds A
 * and B blocked (intervals with the text as the unit), `difference` = b − a (null when n is 0),
 * the rounds only one side blocked, and McNemar's exact test with the text as the unit: its b and
 * c are the texts A blocked in more rounds than B, and the other way round (docs/compare.md).
 */
export interface PairedFigure {
  n: number;
  /** Distinct texts among the n rounds. */
  distinctTexts: number;
  /** Kish's design effect Σm² / Σm of the n rounds' texts (1: every text once). */
  designEffect: number;
  a: Rate;
  b: Rate;
  difference: number | null;
  /** Rounds only A blocked (within a text: A's surplus of blocked rounds over B's), and the other way round. */
  aOnly: number;
  bOnly: number;
  /** Over texts: b = texts that lean to A, c = texts that lean to B. */
  mcnemar: McNemarResult;
  /** Category rows: McNemar's p-value with Holm's correction over the categories compared (null overall). */
  pHolm: number | null;
}

/** Two independent proportions: each side's rate over its own valid rounds. */
export interface UnpairedFigure {
  a: Rate;
  b: Rate;
  comparison: TwoProportion;
  /** Category rows: the p-value with Holm's correction over the categories compared (null overall). */
  pHolm: number | null;
}

/** The two figures of one scope: `overall` or a category. */
export interface ComparedGroup<F> {
  scope: string;
  defence: F;
  falsePositive: F;
}

/** validOnOneSide: rounds valid on one side only (refused, errored), left out of the paired figures. */
export type PairedGroup = ComparedGroup<PairedFigure> & { validOnOneSide: number };
export type UnpairedGroup = ComparedGroup<UnpairedFigure>;

/** A round one side blocked and the other did not, with its input text as stored (untrusted: renderers neutralise it). */
export interface Flip {
  round: number;
  kind: RoundKind;
  category: string;
  attacker: string;
  a: Outcome;
  b: Outcome;
  text: string;
}

/** Groups: overall first, then categories in their published order. */
export type Comparison =
  | { a: ComparedRun; b: ComparedRun; pairing: Extract<Pairing, { paired: true }>; groups: PairedGroup[]; flips: Flip[] }
  | { a: ComparedRun; b: ComparedRun; pairing: Extract<Pairing, { paired: false }>; groups: UnpairedGroup[]; flips: [] };

/** What `hive compare` renders: the comparison and how much of the flips to list. */
export interface ComparisonView {
  comparison: Comparison;
  /** List the flipped rounds (table and Markdown; JSON always lists them). */
  flips: boolean;
  /** At most this many listed; undefined: all. */
  flipLimit?: number | undefined;
}

/** One row of `hive reproduce`'s side-by-side table. */
export interface SideBySide {
  figure: string;
  published: string;
  measured: string;
  /** The measured figure's 95% interval, as text ('' when it has none). */
  interval: string;
  /** Whether the published figure lies inside the measured interval; null when not comparable. */
  inside: boolean | null;
  /** The published value as a fraction, and the measured rate (null for plain counts). */
  publishedValue: number | null;
  measuredRate: Rate | null;
}

/** A published configuration measured again (src/workflows/reproduce.ts), with the caveats to print beside it. */
export interface ReproduceResult {
  runId: number;
  preset: Preset;
  castPath: string;
  attackersPath: string;
  embedded: boolean;
  attackRounds: number;
  benignRounds: number;
  result: { status: RunStatus; reason: string | null };
  report: RunReport;
  rows: SideBySide[];
  caveats: string[];
}
