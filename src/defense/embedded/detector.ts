import type { CategoryId } from '../../categories.js';
import type { Antibody } from '../../domain.js';
import type { AddressReader } from './address.js';
import type { Analysis } from './analysis.js';
import type { HeuristicScanner } from './heuristics.js';
import type { SignatureScanner } from './signatures.js';
import type { Lexicon } from './tokens.js';
import type { StateCodec } from './training-cache.js';

/**
 * What an embedded detector is: an id (the `model:` of a cast entry), what it learns once per run
 * from the training pools, and its reading of one analysed input: a raw score and what it saw.
 * The registry (index.ts) turns the score into P(block) with the detector's calibration
 * (calibration.ts) and votes block when P(block) reaches the calibration's threshold. Every
 * detector lives in a file of its own and is registered with one line in index.ts.
 */
export interface EmbeddedDetector<State = unknown, Id extends string = string> {
  readonly id: Id;
  /** Whether what train() returns depends on the pools' texts (calibration then scores each text out of fold). */
  readonly learns: boolean;
  /**
   * Whether read() looks at ctx.antibodies. The votes of a detector that does not are kept per
   * text for the run (the same text gets the same vote; the embedded attacker repeats texts); one
   * that does keeps what it can itself.
   */
  readonly readsAntibodies: boolean;
  /**
   * Builds what the detector needs from the training pools (never from controls, the healer's
   * guard or the development corpus). Called at most once per run, on first use, so a cast that
   * does not list the detector never pays for it.
   */
  train(pools: TrainingPools, shared: SharedScanners): State;
  /**
   * How what train() returns is kept across runs (training-cache.ts), for a detector whose
   * training is costly; absent: it trains in every run.
   */
  readonly stored?: StateCodec<State, SharedScanners>;
  /** The reading of one input. Pure: the same input, state and context give the same reading. */
  read(a: Analysis, state: State, ctx: VoteContext): Reading;
}

/** A detector's reading of one input. */
export interface Reading {
  /** Evidence of an attack on the detector's own scale: higher is more suspicious. */
  score: number;
  /** What it saw, for the reason line (the verdict and P(block) are added by the registry). */
  why: string;
}

/** A known text with its provenance, for reason lines. */
export interface KnownText {
  category: CategoryId | null;
  text: string;
  /** Where it came from, for the reason line: "exemplar 4", "benign 17", "antibody from round 12". */
  source: string;
}

/** The texts detectors learn from: known attacks and benign texts of the scenario folder. */
export interface TrainingPools {
  /** Every category's exemplars, in category order. */
  attacks: readonly KnownText[];
  /** Every category's benign_training, in category order, then the shared benign training texts. */
  benign: readonly string[];
  /**
   * The same texts as the statistical detectors read them (Analysis.units: a message whole, a
   * document window by window, lower case, links masked), computed once on first use.
   */
  readonly units: { attacks: readonly KnownText[]; benign: readonly string[] };
}

/** Scanners built once per run and shared: the lexicon is frozen after they interned their words. */
export interface SharedScanners {
  readonly lexicon: Lexicon;
  readonly address: AddressReader;
  readonly signatures: SignatureScanner;
  readonly heuristics: HeuristicScanner;
}

/** What a vote may use besides the input: the healer's antibodies chosen for it. */
export interface VoteContext {
  antibodies: readonly Antibody[];
}
