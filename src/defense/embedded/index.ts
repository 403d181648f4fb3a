import type { CategoryId } from '../../categories.js';
import type { Scenario } from '../../config/schemas.js';
import type { DefenseContext, Defender, Probe, VoteResult } from '../../domain.js';
import { ConfigError } from '../../errors.js';
import { AnalysisCache, type Analysis } from './analysis.js';
import { classifierDetector } from './classifier.js';
import { GENERIC_REQUESTS } from './corpus.js';
import { deobfuscatorDetector } from './deobfuscator.js';
import type { EmbeddedDetector, KnownText, SharedScanners, TrainingPools, VoteContext } from './detector.js';
import { HeuristicScanner, heuristicsDetector } from './heuristics.js';
import { SignatureScanner, signaturesDetector } from './signatures.js';
import { similarityDetector } from './similarity.js';
import { Lexicon } from './text.js';

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

/** The training pools of a scenario set: exemplars (attacks) and benign training texts plus the generic requests. */
export function trainingPools(scenarios: ReadonlyMap<CategoryId, Scenario>): TrainingPools {
  const attacks: KnownText[] = [];
  const benign: string[] = [];
  for (const [id, s] of scenarios) {
    s.exemplars.forEach((text, i) => attacks.push({ category: id, text, source: `exemplar ${i}` }));
    benign.push(...s.benign_training);
  }
  benign.push(...GENERIC_REQUESTS);
  return { attacks, benign };
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
export function createEmbeddedKnowledge(scenarios: ReadonlyMap<CategoryId, Scenario>): EmbeddedKnowledge {
  const lexicon = new Lexicon();
  const shared: SharedScanners = { lexicon, signatures: new SignatureScanner(lexicon), heuristics: new HeuristicScanner(lexicon) };
  lexicon.freeze();
  const pools = trainingPools(scenarios);
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

export { GENERIC_REQUESTS } from './corpus.js';
export type { EmbeddedDetector, TrainingPools } from './detector.js';
