import type { CategoryId } from '../../categories.js';
import type { Scenario } from '../../config/schemas.js';
import type { DefenseContext, Defender, Probe, VoteResult } from '../../domain.js';
import { ConfigError } from '../../errors.js';
import { AnalysisCache, type Analysis } from './analysis.js';
import { classifierTrainingSet, classifierVote, NgramClassifier, ngramFeatures, type TrainingSet } from './classifier.js';
import { GENERIC_REQUESTS } from './corpus.js';
import { deobfuscatorVote } from './deobfuscator.js';
import { HeuristicScanner, heuristicsVote } from './heuristics.js';
import { SignatureScanner, signaturesVote } from './signatures.js';
import { SimilarityIndex, similarityVote, type KnownText } from './similarity.js';
import { deepFold, Lexicon, lowerForm, maskLinks, sanitize } from './text.js';

/**
 * The embedded detectors: five non-LLM defenders that need no model server. They are rule-based
 * and statistical, not language models. Everything they learn is computed once per run by
 * createEmbeddedKnowledge and shared by all embedded defenders of the run.
 */

export const EMBEDDED_DETECTORS = ['signatures', 'heuristics', 'deobfuscator', 'classifier', 'similarity'] as const;
export type EmbeddedDetectorId = (typeof EMBEDDED_DETECTORS)[number];

export function isEmbeddedDetector(model: string): model is EmbeddedDetectorId {
  return (EMBEDDED_DETECTORS as readonly string[]).includes(model);
}

export interface EmbeddedKnowledge {
  readonly lexicon: Lexicon;
  readonly signatures: SignatureScanner;
  readonly heuristics: HeuristicScanner;
  readonly classifier: NgramClassifier;
  readonly similarity: SimilarityIndex;
  /** What the classifier was trained on (exemplars vs benign training split + generic corpus). */
  readonly trainingSet: TrainingSet;
  /** The shared, lazily computed analysis of a text (cached for the few most recent texts). */
  analyse(text: string): Analysis;
}

/** Trains and precomputes everything the embedded detectors use. Call once per run. */
export function createEmbeddedKnowledge(scenarios: Map<CategoryId, Scenario>): EmbeddedKnowledge {
  const lexicon = new Lexicon();
  const signatures = new SignatureScanner(lexicon);
  const heuristics = new HeuristicScanner(lexicon);
  lexicon.freeze();

  const prepare = (t: string): string => maskLinks(lowerForm(sanitize(t)));
  const trainingSet = classifierTrainingSet(scenarios);
  const classifier = new NgramClassifier(trainingSet, (t) => ngramFeatures(prepare(t)));

  const exemplars: KnownText[] = [];
  const benign: string[] = [...GENERIC_REQUESTS];
  for (const [id, s] of scenarios) {
    s.exemplars.forEach((text, i) => exemplars.push({ category: id, text, source: `exemplar ${i}` }));
    benign.push(...s.benign_training);
  }
  const similarity = new SimilarityIndex(exemplars, benign, (t) => deepFold(prepare(t), lexicon).tokens.join(' '));

  const cache = new AnalysisCache(lexicon);
  return {
    lexicon,
    signatures,
    heuristics,
    classifier,
    similarity,
    trainingSet,
    analyse: (text) => cache.get(text),
  };
}

/** One detector's verdict on a text, without the Defender wrapper (for tests and calibration). */
export function detect(model: EmbeddedDetectorId, text: string, knowledge: EmbeddedKnowledge, ctx?: Pick<DefenseContext, 'antibodies'>): VoteResult {
  const a = knowledge.analyse(typeof text === 'string' ? text : String(text));
  switch (model) {
    case 'signatures':
      return signaturesVote(a, knowledge.signatures);
    case 'heuristics':
      return heuristicsVote(a, knowledge.heuristics);
    case 'deobfuscator':
      return deobfuscatorVote(a, knowledge.signatures, knowledge.heuristics, knowledge.lexicon);
    case 'classifier':
      return classifierVote(a, knowledge.classifier);
    case 'similarity':
      return similarityVote(a, knowledge.similarity, ctx?.antibodies ?? []);
  }
}

export function createEmbeddedDefender(opts: { name: string; role: string; model: string; knowledge: EmbeddedKnowledge }): Defender {
  const { name, role, model, knowledge } = opts;
  if (!isEmbeddedDetector(model)) {
    throw new ConfigError(`defender ${name}: embedded model "${model}" does not exist; valid embedded detectors: ${EMBEDDED_DETECTORS.join(', ')}.`);
  }
  return {
    name,
    role,
    provider: 'embedded',
    model,
    async vote(probe: Probe, ctx: DefenseContext, signal?: AbortSignal): Promise<VoteResult> {
      signal?.throwIfAborted();
      return { ...detect(model, probe.text, knowledge, ctx), promptTokens: 0, completionTokens: 0 };
    },
  };
}

export { classifierTrainingSet, type TrainingSet } from './classifier.js';
export { GENERIC_REQUESTS } from './corpus.js';
