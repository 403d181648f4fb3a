import type { ScenarioFolder } from '../../config/scenarios.js';
import type { DefenseContext, Defender, Probe, VoteResult } from '../../domain.js';
import { ConfigError } from '../../errors.js';
import { AddressReader } from './address.js';
import { AnalysisCache, type Analysis } from './analysis.js';
import { calibrate, calibrationSamples, pBlockOf, poolsDigest, trainingPoolsOf, type Calibration, type CalibrationTable } from './calibration.js';
import { CALIBRATION } from './calibration-table.js';
import { classifierDetector } from './classifier.js';
import { deobfuscatorDetector } from './deobfuscator.js';
import type { EmbeddedDetector, KnownText, SharedScanners, TrainingPools, VoteContext } from './detector.js';
import { HeuristicScanner, heuristicsDetector } from './heuristics.js';
import { SignatureScanner, signaturesDetector } from './signatures.js';
import { similarityDetector } from './similarity.js';
import { wordFrequencies } from './phrases.js';
import { Recent } from './recent.js';
import { Lexicon } from './tokens.js';
import { cachedTraining } from './training-cache.js';

/**
 * The embedded detectors: non-LLM defenders that need no model server. They are rule-based and
 * statistical, not language models. A detector is one file exporting an EmbeddedDetector
 * (detector.ts) and one entry in DETECTORS below; what it learns is computed once per run, on
 * first use, by the run's EmbeddedKnowledge.
 */

/** Every embedded detector, in the order `hive` lists them. Adding one: its file and this line. */
const DETECTORS = [signaturesDetector, heuristicsDetector, deobfuscatorDetector, classifierDetector, similarityDetector] as const;

export type EmbeddedDetectorId = (typeof DETECTORS)[number]['id'];
export const EMBEDDED_DETECTORS: readonly EmbeddedDetectorId[] = DETECTORS.map((d) => d.id);

const BY_ID: ReadonlyMap<string, EmbeddedDetector> = new Map(DETECTORS.map((d) => [d.id, d as EmbeddedDetector]));

/** Every registered detector, in order (for calibration and tests). */
export function embeddedDetectors(): readonly EmbeddedDetector[] {
  return [...BY_ID.values()];
}

export function isEmbeddedDetector(model: string): model is EmbeddedDetectorId {
  return BY_ID.has(model);
}

/** What the detectors of a run learn from: a scenario folder's categories and shared benign training texts. */
export type TrainingSource = Pick<ScenarioFolder, 'categories' | 'benignTraining'>;

/** The training pools of a scenario folder: every category's exemplars (attacks) and benign_training, and the shared benign texts. */
export function trainingPools(source: TrainingSource): TrainingPools {
  const attacks: KnownText[] = [];
  const benign: string[] = [];
  for (const [id, s] of source.categories) {
    s.exemplars.forEach((text, i) => attacks.push({ category: id, text, source: `exemplar ${i}` }));
    benign.push(...s.benign_training);
  }
  benign.push(...source.benignTraining);
  return trainingPoolsOf(attacks, benign);
}

export interface EmbeddedKnowledge {
  /** Everything the detectors learn from and are calibrated on, and nothing else. */
  readonly pools: TrainingPools;
  readonly shared: SharedScanners;
  /** The shared, lazily computed analysis of a text (cached for the few most recent texts). */
  analyse(text: string): Analysis;
  /** What `detector` learned from the pools: trained on first use, then kept. */
  stateOf<S>(detector: EmbeddedDetector<S>): S;
  /**
   * The detector's P(block) curve and threshold: the stored ones (calibration-table.ts) when the
   * pools are the ones they were fitted on, else fitted now, once (a second or two for a custom
   * scenario folder).
   */
  calibrationOf(detector: EmbeddedDetector): Calibration;
  /** The votes given so far on recent texts, per detector (for those that do not read the antibodies). */
  readonly votes: ReadonlyMap<string, Recent<VoteResult>>;
}

/** Texts whose votes a run keeps per detector: repeated controls, duplicate eval rows, replays and LLM attackers repeat texts (docs/detectors.md). */
const VOTES_KEPT = 4096;

/** The knowledge of one run. Cheap: each detector trains when it first votes. */
export function createEmbeddedKnowledge(source: TrainingSource): EmbeddedKnowledge {
  const pools = trainingPools(source);
  const lexicon = new Lexicon();
  // Benign texts tell the phrase matchers which words are common, to anchor rules on rare ones;
  // counted once, when the first matcher scans (after every rule has interned its words).
  let counted: Map<number, number> | undefined;
  const frequencies = (): Map<number, number> => (counted ??= wordFrequencies(lexicon, pools.benign));
  const address = new AddressReader(lexicon, frequencies);
  const shared: SharedScanners = { lexicon, address, signatures: new SignatureScanner(lexicon, address, frequencies), heuristics: new HeuristicScanner(lexicon, address, frequencies) };
  lexicon.freeze();
  const cache = new AnalysisCache(lexicon);
  const states = new Map<string, unknown>();
  const curves = new Map<string, Calibration>();
  let stored: boolean | undefined;
  return {
    pools,
    shared,
    votes: new Map(DETECTORS.filter((d) => !d.readsAntibodies).map((d) => [d.id, new Recent<VoteResult>(VOTES_KEPT)])),
    analyse: (text) => cache.get(text),
    stateOf<S>(detector: EmbeddedDetector<S>): S {
      if (!states.has(detector.id)) {
        const train = (): S => detector.train(pools, shared);
        states.set(detector.id, detector.stored ? cachedTraining(detector.id, pools, shared, detector.stored, train) : train());
      }
      return states.get(detector.id) as S;
    },
    calibrationOf(detector: EmbeddedDetector): Calibration {
      let curve = curves.get(detector.id);
      if (curve === undefined) {
        stored ??= CALIBRATION.pools === poolsDigest(pools);
        curve = (stored ? CALIBRATION.detectors[detector.id] : undefined) ?? calibrate(calibrationSamples(detector, pools, shared));
        curves.set(detector.id, curve);
      }
      return curve;
    },
  };
}

/**
 * Every detector's calibration on a folder's training pools, fitted now: what
 * `npm run calibrate:detectors` stores in calibration-table.ts for the shipped folder.
 */
export function calibrationTable(source: TrainingSource): CalibrationTable {
  const knowledge = createEmbeddedKnowledge(source);
  const detectors: Record<string, Calibration> = {};
  for (const d of embeddedDetectors()) detectors[d.id] = calibrate(calibrationSamples(d, knowledge.pools, knowledge.shared));
  return { pools: poolsDigest(knowledge.pools), detectors };
}

/**
 * A detector's vote: its reading, P(block) from its calibration, block when P(block) reaches the
 * calibration's threshold; the confidence is the calibrated probability of the verdict given.
 */
function voteOf(d: EmbeddedDetector, a: Analysis, knowledge: EmbeddedKnowledge, ctx: VoteContext): VoteResult {
  const reading = d.read(a, knowledge.stateOf(d), ctx);
  const calibration = knowledge.calibrationOf(d);
  const pBlock = pBlockOf(calibration, reading.score, a.layout.document);
  const threshold = a.layout.document ? calibration.block.document : calibration.block.message;
  const block = pBlock >= threshold;
  return {
    verdict: block ? 'block' : 'allow',
    confidence: Math.round((block ? pBlock : 1 - pBlock) * 100) / 100,
    pBlock,
    reason: `P(block) ${pBlock.toFixed(2)} ${block ? '≥' : '<'} ${threshold}; ${reading.why}`,
  };
}

/** The detector's vote on `text`: recalled when the run has seen the text and the vote cannot depend on the context. */
function voteOn(d: EmbeddedDetector, text: string, knowledge: EmbeddedKnowledge, ctx: VoteContext): VoteResult {
  const kept = knowledge.votes.get(d.id);
  if (kept === undefined) return voteOf(d, knowledge.analyse(text), knowledge, ctx);
  return kept.get(text) ?? kept.put(text, voteOf(d, knowledge.analyse(text), knowledge, ctx));
}

/** User turns before the new one that an embedded detector reads with it. */
const CONTEXT_TURNS = 2;

/**
 * How an embedded detector judges a conversation's new turn: the turn alone, and, when that
 * allows it, the turn together with the CONTEXT_TURNS user turns before it (one text, oldest
 * first, blank lines between): a goal spread over turns is read as one request. Assistant replies
 * are left out (they are the protected assistant's words, not the user's). The vote is block when
 * either reading blocks. Deterministic: the same conversation gives the same vote. Undefined for
 * a single input or a first turn.
 */
function contextWindow(probe: Probe, text: string): string | undefined {
  const users = (probe.context ?? []).filter((t) => t.role === 'user').map((t) => t.text);
  if (users.length === 0) return undefined;
  return [...users.slice(-CONTEXT_TURNS), text].join('\n\n');
}

function detectorOf(model: string): EmbeddedDetector {
  const d = BY_ID.get(model);
  if (!d) throw new ConfigError(`embedded model "${model}" does not exist; valid embedded detectors: ${EMBEDDED_DETECTORS.join(', ')}.`);
  return d;
}

/** One detector's verdict on a text, without the Defender wrapper (for tests and calibration). */
export function detect(model: EmbeddedDetectorId, text: string, knowledge: EmbeddedKnowledge, ctx?: Partial<VoteContext>): VoteResult {
  return { ...voteOn(detectorOf(model), typeof text === 'string' ? text : String(text), knowledge, { antibodies: ctx?.antibodies ?? [] }) };
}

export function createEmbeddedDefender(opts: { name: string; role: string; model: string; knowledge: EmbeddedKnowledge }): Defender {
  const { name, role, model, knowledge } = opts;
  if (!isEmbeddedDetector(model)) {
    throw new ConfigError(`defender ${name}: embedded model "${model}" does not exist; valid embedded detectors: ${EMBEDDED_DETECTORS.join(', ')}.`);
  }
  const detector = detectorOf(model);
  return {
    name,
    role,
    provider: 'embedded',
    model,
    async vote(probe: Probe, ctx: DefenseContext, signal?: AbortSignal): Promise<VoteResult> {
      signal?.throwIfAborted();
      const text = typeof probe.text === 'string' ? probe.text : String(probe.text);
      const alone = voteOn(detector, text, knowledge, ctx);
      const window = contextWindow(probe, text);
      if (alone.verdict === 'block' || window === undefined) return { ...alone, promptTokens: 0, completionTokens: 0 };
      // In a conversation, the new turn is also read with the user turns before it (see contextWindow).
      const within = voteOn(detector, window, knowledge, ctx);
      if (within.verdict !== 'block') return { ...alone, promptTokens: 0, completionTokens: 0 };
      return { ...within, reason: `in context of the ${CONTEXT_TURNS} user turns before: ${within.reason}`, promptTokens: 0, completionTokens: 0 };
    },
  };
}

export type { EmbeddedDetector, TrainingPools } from './detector.js';
export { CALIBRATION_TABLE_FILE, renderCalibrationTable } from './calibration.js';
