import type { CategoryId } from '../../categories.js';
import type { AddressReader } from './address.js';
import type { Analysis } from './analysis.js';
import type { EmbeddedDetector } from './detector.js';
import type { Features } from './features.js';
import { PhraseMatcher } from './phrases.js';
import { I18N_SIGNATURES } from './rules/i18n.js';
import { SIGNATURES as EN_SIGNATURES, type SignatureRule } from './rules/signatures.js';
import type { Lexicon } from './tokens.js';

const SIGNATURES: readonly SignatureRule[] = [...EN_SIGNATURES, ...I18N_SIGNATURES];

/**
 * Categories whose signatures speak to the assistant by nature (overriding, extracting,
 * role-playing, hiding instructions): they count in full anywhere. Elsewhere in a document,
 * hits of other categories (payments, urgency, deletions, packages) count DOC_FACTOR of their
 * weight unless their window speaks to an AI: that is how business documents read.
 */
const AI_DIRECTED: ReadonlySet<CategoryId> = new Set(['prompt_injection', 'indirect_injection', 'jailbreak_roleplay', 'system_prompt_extraction', 'obfuscation']);
export const DOC_FACTOR = 0.3;

/** A window of a document that speaks to an AI (address.ts), and one that also tells it to do something. */
const SPEAKS_TO_AI: SignatureHit = { category: 'indirect_injection', label: 'document speaks to an AI reader', weight: 0.3 };
const TO_AI_READER: SignatureHit = { category: 'indirect_injection', label: 'instruction to an AI reader inside a document', weight: 0.7 };

/**
 * Signature detector: curated phrase and structure signatures per category (rules.ts), matched on
 * the NFKC/lower-case text. It does no deobfuscation on purpose: zero-width characters, homoglyphs
 * and encodings hide a payload from it, which is what the deobfuscator is for.
 */

export interface SignatureHit {
  category: CategoryId;
  label: string;
  weight: number;
}

export interface SignatureResult {
  /** Noisy-or of the hit weights, 0..1. */
  score: number;
  hits: SignatureHit[];
}

/** A signature score this high is strong evidence on its own (one hit of weight 0.65, or two of 0.45): the deobfuscator's unit. */
export const SIGNATURE_UNIT = 0.65;

const STRUCTURAL: readonly { key: keyof Features; hit: SignatureHit; min?: number }[] = [
  { key: 'flood', min: 40, hit: { category: 'prompt_injection', label: 'context flooded with a repeated token', weight: 0.5 } },
  { key: 'punctFlood', min: 60, hit: { category: 'prompt_injection', label: 'context flooded with a repeated symbol', weight: 0.4 } },
  { key: 'forcedOutput', hit: { category: 'prompt_injection', label: 'fixed output forced', weight: 0.45 } },
  { key: 'imagesWithData', hit: { category: 'data_exfiltration', label: 'image URL carries data', weight: 0.9 } },
  { key: 'urlsWithData', hit: { category: 'data_exfiltration', label: 'URL carries data or a placeholder', weight: 0.45 } },
  { key: 'shellDestructive', hit: { category: 'tool_misuse', label: 'destructive shell command', weight: 0.85 } },
  { key: 'sqlDestructive', hit: { category: 'tool_misuse', label: 'destructive SQL', weight: 0.6 } },
  { key: 'pipeToShell', hit: { category: 'tool_misuse', label: 'remote script piped into a shell', weight: 0.85 } },
  { key: 'remoteInstall', hit: { category: 'supply_chain', label: 'install from an untrusted source', weight: 0.7 } },
  { key: 'openToWorld', hit: { category: 'tool_misuse', label: 'opened to the whole internet', weight: 0.75 } },
  { key: 'hiddenMarkup', hit: { category: 'indirect_injection', label: 'hidden markup', weight: 0.35 } },
];

export class SignatureScanner {
  private readonly matcher: PhraseMatcher<SignatureRule>;

  constructor(
    lexicon: Lexicon,
    private readonly address: AddressReader,
    /** How common words are (phrases.ts wordFrequencies), to anchor rules on their rarest words: speed only. */
    frequencies?: () => ReadonlyMap<number, number>,
  ) {
    this.matcher = new PhraseMatcher(
      SIGNATURES.map((r) => ({ pattern: r.pattern, meta: r })),
      lexicon,
      frequencies,
    );
  }

  get ruleCount(): number {
    return SIGNATURES.length + STRUCTURAL.length;
  }

  /** The last scan, reused when the same arrays are scanned again (detectors of one round share them). */
  private last: { ids: Int32Array; features: Features | undefined; result: SignatureResult } | undefined;
  private lastAnalysis: { a: Analysis; result: SignatureResult } | undefined;

  /** Scans word ids as one stretch of text, with the structural features of the text. */
  scan(ids: Int32Array, features: Features | undefined): SignatureResult {
    const last = this.last;
    if (last && last.ids === ids && last.features === features) return last.result;
    const result = this.scanFresh(ids, features);
    this.last = { ids, features, result };
    return result;
  }

  /**
   * Scans an input as its layout says: a message as a whole; a document window by window (the
   * best window counts), with hits that do not speak to the assistant weighed down where the
   * window does not address an AI.
   */
  scanAnalysis(a: Analysis): SignatureResult {
    if (this.lastAnalysis?.a === a) return this.lastAnalysis.result;
    const result = this.scanLayout(a);
    this.lastAnalysis = { a, result };
    return result;
  }

  private scanLayout(a: Analysis): SignatureResult {
    const layout = a.layout;
    if (!layout.document) return this.scan(a.lowerIds, a.features);
    const addressing = this.address.read(a);
    const ids = a.lowerIds;
    let best: SignatureResult = { score: 0, hits: [] };
    let anyAddressed = false;
    layout.windows.forEach((w, i) => {
      const full = addressing.level[i] !== 0;
      anyAddressed ||= full;
      const hits: SignatureHit[] = [];
      if (full) hits.push(addressing.directive[i] === 1 ? TO_AI_READER : SPEAKS_TO_AI);
      for (const r of this.matcher.scan(ids.subarray(w.from, w.to))) {
        const rule = SIGNATURES[r] as SignatureRule;
        const weight = full || AI_DIRECTED.has(rule.category) ? rule.weight : rule.weight * DOC_FACTOR;
        hits.push({ category: rule.category, label: rule.label, weight });
      }
      const score = noisyOr(hits.map((h) => h.weight));
      if (score > best.score) best = { score, hits };
    });
    const structural = this.structuralHits(a.features, anyAddressed);
    if (structural.length === 0) return best;
    const hits = [...best.hits, ...structural];
    return { score: noisyOr(hits.map((h) => h.weight)), hits };
  }

  private structuralHits(features: Features, addressed: boolean): SignatureHit[] {
    const hits: SignatureHit[] = [];
    const f = addressed ? 1 : DOC_FACTOR;
    for (const l of features.lookalikes) hits.push({ category: 'supply_chain', label: `look-alike of "${l.imitates}": ${l.name}`, weight: 0.75 * f });
    for (const s of STRUCTURAL) {
      const v = features[s.key];
      if (typeof v === 'number' && v >= (s.min ?? 1)) hits.push(addressed ? s.hit : { ...s.hit, weight: s.hit.weight * f });
    }
    return hits;
  }

  private scanFresh(ids: Int32Array, features: Features | undefined): SignatureResult {
    const hits: SignatureHit[] = [];
    for (const r of this.matcher.scan(ids)) {
      const rule = SIGNATURES[r] as SignatureRule;
      hits.push({ category: rule.category, label: rule.label, weight: rule.weight });
    }
    if (features) {
      for (const l of features.lookalikes) hits.push({ category: 'supply_chain', label: `look-alike of "${l.imitates}": ${l.name}`, weight: 0.75 });
      for (const s of STRUCTURAL) {
        const v = features[s.key];
        if (typeof v === 'number' && v >= (s.min ?? 1)) hits.push(s.hit);
      }
    }
    return { score: noisyOr(hits.map((h) => h.weight)), hits };
  }
}

export function noisyOr(weights: readonly number[]): number {
  let miss = 1;
  for (const w of weights) miss *= 1 - Math.min(1, Math.max(0, w));
  return 1 - miss;
}

export function describeHits(hits: readonly SignatureHit[], max = 3): string {
  const sorted = [...hits].sort((a, b) => b.weight - a.weight);
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const h of sorted) {
    const key = `${h.label} (${h.category})`;
    if (seen.has(key)) continue;
    seen.add(key);
    parts.push(key);
    if (parts.length >= max) break;
  }
  return parts.join('; ');
}

/** Curated signatures; the scanner is shared with the deobfuscator, so it is built with the shared scanners. */
export const signaturesDetector: EmbeddedDetector<SignatureScanner, 'signatures'> = {
  id: 'signatures',
  learns: false,
  readsAntibodies: false,
  train: (_pools, shared) => shared.signatures,
  read: (a, scanner) => {
    const r = scanner.scanAnalysis(a);
    return { score: r.score, why: r.hits.length > 0 ? `signatures ${r.score.toFixed(2)}: ${describeHits(r.hits)}` : 'no signature matched' };
  },
};

export function round2(x: number): number {
  return Math.round(Math.min(1, Math.max(0, x)) * 100) / 100;
}
