import type { AddressReader } from './address.js';
import type { Analysis } from './analysis.js';
import type { EmbeddedDetector } from './detector.js';
import type { Features } from './features.js';
import { PhraseMatcher } from './phrases.js';
import { CUES as EN_CUES, FAMILY_CAP, type CueFamily, type CueRule } from './rules/cues.js';
import { I18N_CUES } from './rules/cues-i18n.js';
import { DOC_FACTOR } from './signatures.js';
import type { Lexicon } from './tokens.js';

const CUES: readonly CueRule[] = [...EN_CUES, ...I18N_CUES];

/** Families that speak to the assistant by nature: in a document they count in full anywhere (see signatures.ts). */
const AI_DIRECTED: ReadonlySet<CueFamily> = new Set(['override', 'persona', 'extraction', 'carrier', 'decode', 'question']);

/**
 * Heuristic detector: weighted cues in families (instruction override, authority claims, urgency,
 * exfiltration, secrecy, destructive actions, encoded blobs, …). Each cue adds its weight to its
 * family, each family adds at most its cap, and the sum is compared with a threshold. A plain
 * informational question lowers the score.
 */

/** A risk score this high is strong evidence on its own: the unit the deobfuscator pools cue evidence in. */
export const HEURISTIC_UNIT = 0.9;

export interface HeuristicResult {
  score: number;
  families: Map<CueFamily, number>;
}

/** Signals that come from structure rather than words. */
export interface StructuralSignals {
  features: Features;
  invisible: number;
  mixedScriptWords: number;
  leetTokens: number;
}

export class HeuristicScanner {
  private readonly matcher: PhraseMatcher<CueRule>;

  constructor(
    lexicon: Lexicon,
    private readonly address: AddressReader,
    /** How common words are (phrases.ts wordFrequencies), to anchor rules on their rarest words: speed only. */
    frequencies?: () => ReadonlyMap<number, number>,
  ) {
    this.matcher = new PhraseMatcher(
      CUES.map((c) => ({ pattern: c.pattern, meta: c })),
      lexicon,
      frequencies,
    );
  }

  private last: { ids: Int32Array; signals: StructuralSignals | undefined; result: HeuristicResult } | undefined;

  /** Scores word ids plus structural signals; the last result is reused for the same inputs. */
  scan(ids: Int32Array, signals: StructuralSignals | undefined): HeuristicResult {
    const last = this.last;
    if (last && last.ids === ids && sameSignals(last.signals, signals)) return last.result;
    const result = this.scanFresh(ids, signals);
    this.last = { ids, signals, result };
    return result;
  }

  private lastAnalysis: { a: Analysis; result: HeuristicResult } | undefined;

  /**
   * Scores an input as its layout says: a message as a whole; a document window by window (the
   * best window counts), families that do not speak to the assistant weighed down by DOC_FACTOR
   * where the window does not address an AI. Structural signals count for the whole input.
   */
  scanAnalysis(a: Analysis): HeuristicResult {
    if (this.lastAnalysis?.a === a) return this.lastAnalysis.result;
    const signals = heuristicSignals(a);
    let result: HeuristicResult;
    if (!a.layout.document) result = this.scan(a.lowerIds, signals);
    else {
      const { level, directive } = this.address.read(a);
      const anyAddressed = level.some((x) => x !== 0);
      const structural = new Map<CueFamily, number>();
      addSignals(structural, signals, anyAddressed ? 1 : DOC_FACTOR);
      result = { score: capped(structural), families: structural };
      const ids = a.lowerIds;
      a.layout.windows.forEach((w, i) => {
        const families = new Map(structural);
        const full = level[i] !== 0;
        // Speaking to an AI inside a document is the carrier of an indirect injection; telling it
        // to do something is the injection itself.
        if (full) add(families, 'carrier', directive[i] === 1 ? 1.0 : 0.4);
        for (const r of this.matcher.scan(ids.subarray(w.from, w.to))) {
          const cue = CUES[r] as CueRule;
          add(families, cue.family, full || AI_DIRECTED.has(cue.family) ? cue.weight : cue.weight * DOC_FACTOR);
        }
        const score = capped(families);
        if (score > result.score) result = { score, families };
      });
    }
    this.lastAnalysis = { a, result };
    return result;
  }

  private scanFresh(ids: Int32Array, signals: StructuralSignals | undefined): HeuristicResult {
    const families = new Map<CueFamily, number>();
    for (const r of this.matcher.scan(ids)) {
      const cue = CUES[r] as CueRule;
      add(families, cue.family, cue.weight);
    }
    if (signals) addSignals(families, signals, 1);
    return { score: capped(families), families };
  }
}

function add(families: Map<CueFamily, number>, f: CueFamily, w: number): void {
  families.set(f, (families.get(f) ?? 0) + w);
}

/** Structural signals as family weights, times `factor`. */
function addSignals(families: Map<CueFamily, number>, signals: StructuralSignals, factor: number): void {
  const f = signals.features;
  const put = (family: CueFamily, w: number): void => add(families, family, w * factor);
  if (f.urlsWithData > 0) put('exfiltration', 0.8);
  if (f.imagesWithData > 0) put('exfiltration', 1.4);
  if (f.emails > 0) put('exfiltration', 0.3);
  if (f.hiddenMarkup > 0) put('carrier', 0.6);
  if (f.base64.length > 0 || f.hex.length > 0) put('encoding', 0.7);
  if (f.shellDestructive > 0 || f.pipeToShell > 0) put('destructive', 1.2);
  if (f.sqlDestructive > 0 || f.openToWorld > 0) put('destructive', 0.8);
  if (f.remoteInstall > 0) put('supply', 1.0);
  if (f.lookalikes.length > 0) put('supply', 0.9);
  if (signals.invisible > 0) put('encoding', 0.7);
  if (signals.mixedScriptWords > 0) put('encoding', 0.7);
  if (signals.leetTokens >= 3) put('encoding', 0.7);
  // A unit repeated dozens of times pushes what came before out of the model's view.
  if (f.flood >= 40 || f.punctFlood >= 60) put('carrier', 0.8);
  if (f.forcedOutput > 0) put('forcing', 0.5 + 0.25 * Math.min(2, f.forcedOutput - 1));
}

/** Each family adds at most its cap (a negative family at least its cap). */
function capped(families: Map<CueFamily, number>): number {
  let score = 0;
  for (const [family, w] of families) {
    const cap = FAMILY_CAP[family];
    score += cap < 0 ? Math.max(cap, w) : Math.min(cap, w);
  }
  return score;
}

/** The strongest families with their summed weights, e.g. "override 1.6, pressure 0.4". */
function sameSignals(a: StructuralSignals | undefined, b: StructuralSignals | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.features === b.features && a.invisible === b.invisible && a.mixedScriptWords === b.mixedScriptWords && a.leetTokens === b.leetTokens;
}

export function describeFamilies(families: Map<CueFamily, number>, max = 4): string {
  return [...families.entries()]
    .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
    .slice(0, max)
    .map(([f, w]) => `${f} ${w.toFixed(1)}`)
    .join(', ');
}

/** Words that mix letters with leetspeak digits ("1gn0r3"), without folding anything. */
export function leetLooking(words: readonly string[]): number {
  let n = 0;
  for (const w of words) {
    if (w.length < 4) continue;
    let letters = 0;
    let leet = 0;
    for (let i = 0; i < w.length; i++) {
      const c = w.charCodeAt(i);
      if (c >= 97 && c <= 122) letters++;
      else if (c === 48 || c === 49 || c === 51 || c === 52 || c === 53 || c === 55) leet++;
    }
    // Letters on both sides of a leet digit: "pl34s3", not "v2" or "100th".
    if (letters >= 2 && leet >= 1 && /[a-z][013457]+[a-z]/.test(w)) n++;
  }
  return n;
}

export function heuristicSignals(a: Analysis): StructuralSignals {
  // Counting invisibles needs only a character scan, not the full fold.
  let invisible = 0;
  const lower = a.lower;
  for (let i = 0; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    if ((c >= 0x200b && c <= 0x200f) || (c >= 0x2060 && c <= 0x2064) || c === 0xfeff || (c >= 0x202a && c <= 0x202e)) invisible++;
  }
  return { features: a.features, invisible, mixedScriptWords: a.mixedScriptWords, leetTokens: leetLooking(a.lowerWords) };
}

/** Weighted cues; the scanner is shared with the deobfuscator, so it is built with the shared scanners. */
export const heuristicsDetector: EmbeddedDetector<HeuristicScanner, 'heuristics'> = {
  id: 'heuristics',
  learns: false,
  readsAntibodies: false,
  train: (_pools, shared) => shared.heuristics,
  read: (a, scanner) => {
    const r = scanner.scanAnalysis(a);
    return { score: r.score, why: `risk score ${r.score.toFixed(2)}${r.families.size > 0 ? `: ${describeFamilies(r.families)}` : ''}` };
  },
};
