import type { ScenarioFolder } from '../../config/scenarios.js';
import type { DefenseContext, Defender, Probe, VoteResult } from '../../domain.js';
import { ConfigError } from '../../errors.js';
import { AddressReader } from './address.js';
import { Analysis, AnalysisCache } from './analysis.js';
import { classifierDetector } from './classifier.js';
import { deobfuscatorDetector } from './deobfuscator.js';
import type { EmbeddedDetector, KnownText, SharedScanners, TrainingPools, VoteContext } from './detector.js';
import { HeuristicScanner, heuristicsDetector } from './heuristics.js';
import { SignatureScanner, signaturesDetector } from './signatures.js';
import { similarityDetector } from './similarity.js';
import { wordFrequencies } from './phrases.js';
import { Lexicon } from './tokens.js';

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
  const lexicon = new Lexicon();
  lexicon.freeze();
  let units: TrainingPools['units'] | undefined;
  const unitsOf = (t: string): string[] => new Analysis(t, lexicon).units;
  return {
    attacks,
    benign,
    get units() {
      return (units ??= { attacks: attacks.flatMap((k) => unitsOf(k.text).map((text) => ({ ...k, text }))), benign: benign.flatMap(unitsOf) });
    },
  };
}

export interface EmbeddedKnowledge {
  /** Everything the detectors learn from, and nothing else. */
  readonly pools: TrainingPools;
  readonly shared: SharedScanners;
  /** The shared, lazily computed analysis of a text (cached for the few most recent texts). */
  analyse(text: string): Analysis;
  /** What `detector` learned from the pools: trained on first use, then kept. */
  stateOf<S>(detector: EmbeddedDetector<S>): S;
}

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
  return {
    pools,
    shared,
    analyse: (text) => cache.get(text),
    stateOf<S>(detector: EmbeddedDetector<S>): S {
      if (!states.has(detector.id)) states.set(detector.id, detector.train(pools, shared));
      return states.get(detector.id) as S;
    },
  };
}

function detectorOf(model: string): EmbeddedDetector {
  const d = BY_ID.get(model);
  if (!d) throw new ConfigError(`embedded model "${model}" does not exist; valid embedded detectors: ${EMBEDDED_DETECTORS.join(', ')}.`);
  return d;
}

/** One detector's verdict on a text, without the Defender wrapper (for tests and calibration). */
export function detect(model: EmbeddedDetectorId, text: string, knowledge: EmbeddedKnowledge, ctx?: Partial<VoteContext>): VoteResult {
  const d = detectorOf(model);
  const a = knowledge.analyse(typeof text === 'string' ? text : String(text));
  return d.vote(a, knowledge.stateOf(d), { antibodies: ctx?.antibodies ?? [] });
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
      const a = knowledge.analyse(typeof probe.text === 'string' ? probe.text : String(probe.text));
      return { ...detector.vote(a, knowledge.stateOf(detector), ctx), promptTokens: 0, completionTokens: 0 };
    },
  };
}

export type { EmbeddedDetector, TrainingPools } from './detector.js';
