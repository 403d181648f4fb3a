/**
 * Screening cost against the number of blocklist patterns: the healer's matcher loaded with
 * 100 to 100,000 word n-gram patterns (the shape the healer learns), then timed on real attack
 * and benign texts from the scenarios. The cost per screen should not grow with the patterns.
 */
import type { CategoryId } from '../src/categories.js';
import type { Scenario } from '../src/config/schemas.js';
import { LiteralMatcher } from '../src/healer/literal-matcher.js';
import { normalizedWords, normalizeText } from '../src/util/normalize.js';

export interface ScreeningPoint {
  patterns: number;
  /** Microseconds per screen (normalisation included), median of 5 passes over the texts. */
  usPerScreen: number;
  /** Microseconds to add one pattern, averaged over all of them. */
  usPerAdd: number;
  matches: number;
}

/** Deterministic pseudo-random n-grams (3-5 words) drawn from the scenarios' vocabulary, plus invented words. */
function patterns(count: number, vocabulary: readonly string[]): string[] {
  let x = 0x9e3779b9;
  const next = (): number => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
  const out = new Set<string>();
  while (out.size < count) {
    const n = 3 + (next() % 3);
    const words = Array.from({ length: n }, () => (next() % 4 === 0 ? `zq${(next() % 50_000).toString(36)}` : (vocabulary[next() % vocabulary.length] as string)));
    out.add(` ${words.join(' ')} `);
  }
  return [...out];
}

export function benchScreening(scenarios: ReadonlyMap<CategoryId, Scenario>, sizes = [100, 1_000, 10_000, 100_000]): ScreeningPoint[] {
  const texts = [...scenarios.values()].flatMap((s) => [...(s.attack?.payloads ?? s.templates), ...s.controls]);
  const vocabulary = [...new Set(texts.flatMap((t) => normalizedWords(t)))];
  const all = patterns(Math.max(...sizes), vocabulary);
  const points: ScreeningPoint[] = [];
  for (const size of sizes) {
    const m = new LiteralMatcher();
    const t0 = performance.now();
    for (let i = 0; i < size; i++) m.add(all[i] as string, i);
    const usPerAdd = ((performance.now() - t0) * 1000) / size;
    let matches = 0;
    const passes: number[] = [];
    for (let pass = 0; pass < 5; pass++) {
      const s0 = performance.now();
      for (const t of texts) if (m.find(normalizeText(t), () => true, true).length > 0) matches += 1;
      passes.push(((performance.now() - s0) * 1000) / texts.length);
    }
    passes.sort((a, b) => a - b);
    points.push({ patterns: size, usPerScreen: Number((passes[2] as number).toFixed(1)), usPerAdd: Number(usPerAdd.toFixed(2)), matches: matches / 5 });
  }
  return points;
}
