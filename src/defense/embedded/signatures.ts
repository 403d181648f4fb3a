import type { CategoryId } from '../../categories.js';
import type { VoteResult } from '../../domain.js';
import type { Analysis } from './analysis.js';
import type { EmbeddedDetector } from './detector.js';
import type { Features } from './features.js';
import { GENERIC_REQUESTS } from './corpus.js';
import { PhraseMatcher } from './phrases.js';
import { LITERAL_CUES, SIGNATURES, type SignatureRule } from './rules.js';
import type { Lexicon } from './text.js';

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

/** A single signature of weight ≥ 0.65 blocks; two weaker ones (0.45 + 0.45 → 0.70) do too. */
export const SIGNATURE_BLOCK = 0.65;

const STRUCTURAL: readonly { key: keyof Features; hit: SignatureHit }[] = [
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

  constructor(lexicon: Lexicon) {
    this.matcher = new PhraseMatcher(
      SIGNATURES.map((r) => ({ pattern: r.pattern, meta: r })),
      lexicon,
      GENERIC_REQUESTS,
    );
  }

  get ruleCount(): number {
    return SIGNATURES.length + STRUCTURAL.length + LITERAL_CUES.length;
  }

  /** The last scan, reused when the same arrays are scanned again (detectors of one round share them). */
  private last: { ids: Int32Array; lower: string; features: Features | undefined; result: SignatureResult } | undefined;

  /** Scans word ids; `lower` is used only for the few literal cues of unspaced scripts. */
  scan(ids: Int32Array, lower: string, features: Features | undefined): SignatureResult {
    const last = this.last;
    if (last && last.ids === ids && last.lower === lower && last.features === features) return last.result;
    const result = this.scanFresh(ids, lower, features);
    this.last = { ids, lower, features, result };
    return result;
  }

  private scanFresh(ids: Int32Array, lower: string, features: Features | undefined): SignatureResult {
    const hits: SignatureHit[] = [];
    for (const r of this.matcher.scan(ids)) {
      const rule = SIGNATURES[r] as SignatureRule;
      hits.push({ category: rule.category, label: rule.label, weight: rule.weight });
    }
    if (hasWideChars(lower)) {
      for (const cue of LITERAL_CUES) if (lower.includes(cue.text)) hits.push({ category: cue.category, label: cue.label, weight: cue.weight });
    }
    if (features) {
      for (const l of features.lookalikes) hits.push({ category: 'supply_chain', label: `look-alike of "${l.imitates}": ${l.name}`, weight: 0.75 });
      for (const s of STRUCTURAL) {
        const v = features[s.key];
        if (typeof v === 'number' && v > 0) hits.push(s.hit);
      }
    }
    return { score: noisyOr(hits.map((h) => h.weight)), hits };
  }
}

function hasWideChars(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x3000) return true;
  return false;
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

export function signaturesVote(a: Analysis, scanner: SignatureScanner): VoteResult {
  const r = scanner.scan(a.lowerIds, a.lower, a.features);
  if (r.score >= SIGNATURE_BLOCK) {
    return { verdict: 'block', confidence: round2(r.score), reason: `signature match: ${describeHits(r.hits)}` };
  }
  const reason = r.hits.length > 0 ? `weak signature evidence only (score ${r.score.toFixed(2)}): ${describeHits(r.hits)}` : 'no signature matched';
  return { verdict: 'allow', confidence: round2(1 - r.score), reason };
}

/** Curated signatures; the scanner is shared with the deobfuscator, so it is built with the shared scanners. */
export const signaturesDetector: EmbeddedDetector<SignatureScanner, 'signatures'> = {
  id: 'signatures',
  train: (_pools, shared) => shared.signatures,
  vote: (a, scanner) => signaturesVote(a, scanner),
};

export function round2(x: number): number {
  return Math.round(Math.min(1, Math.max(0, x)) * 100) / 100;
}
