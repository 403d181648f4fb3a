import { benignTrainingSplit } from '../../config/scenario-split.js';
import { ConfigError } from '../../errors.js';
import { AnalysisCache } from './analysis.js';
import { classifierTrainingSet, classifierVote, NgramClassifier, ngramFeatures } from './classifier.js';
import { GENERIC_REQUESTS } from './corpus.js';
import { deobfuscatorVote } from './deobfuscator.js';
import { HeuristicScanner, heuristicsVote } from './heuristics.js';
import { SignatureScanner, signaturesVote } from './signatures.js';
import { SimilarityIndex, similarityVote } from './similarity.js';
import { deepFold, Lexicon, lowerForm, maskLinks, sanitize } from './text.js';
/**
 * The embedded detectors: five non-LLM defenders that need no model server. They are rule-based
 * and statistical, not language models. Everything they learn is computed once per run by
 * createEmbeddedKnowledge and shared by all embedded defenders of the run.
 */
export const EMBEDDED_DETECTORS = ['signatures', 'heuristics', 'deobfuscator', 'classifier', 'similarity'];
export function isEmbeddedDetector(model) {
    return EMBEDDED_DETECTORS.includes(model);
}
/** Trains and precomputes everything the embedded detectors use. Call once per run. */
export function createEmbeddedKnowledge(scenarios) {
    const lexicon = new Lexicon();
    const signatures = new SignatureScanner(lexicon);
    const heuristics = new HeuristicScanner(lexicon);
    lexicon.freeze();
    const prepare = (t) => maskLinks(lowerForm(sanitize(t)));
    const trainingSet = classifierTrainingSet(scenarios);
    const classifier = new NgramClassifier(trainingSet, (t) => ngramFeatures(prepare(t)));
    const exemplars = [];
    const benign = [...GENERIC_REQUESTS];
    for (const [id, s] of scenarios) {
        s.exemplars.forEach((text, i) => exemplars.push({ category: id, text, source: `exemplar ${i} of ${id}` }));
        benign.push(...benignTrainingSplit(s));
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
export function detect(model, text, knowledge, ctx) {
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
export function createEmbeddedDefender(opts) {
    const { name, role, model, knowledge } = opts;
    if (!isEmbeddedDetector(model)) {
        throw new ConfigError(`defender ${name}: embedded model "${model}" does not exist; valid embedded detectors: ${EMBEDDED_DETECTORS.join(', ')}.`);
    }
    return {
        name,
        role,
        provider: 'embedded',
        model,
        async vote(probe, ctx, signal) {
            signal?.throwIfAborted();
            return { ...detect(model, probe.text, knowledge, ctx), promptTokens: 0, completionTokens: 0 };
        },
    };
}
export { classifierTrainingSet } from './classifier.js';
export { GENERIC_REQUESTS } from './corpus.js';
//# sourceMappingURL=index.js.map