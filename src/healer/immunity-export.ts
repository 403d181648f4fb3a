/**
 * A run's healer state, rebuilt from what the database holds: pattern events, the rounds each
 * pattern decided (hits) and the stored attacks that became antibodies. Nothing is taken from a
 * live healer, so any finished, interrupted or failed run can be exported.
 */
import type { Provenance } from '../domain.js';
import { UsageError } from '../errors.js';
import type { Store } from '../store/store.js';
import { ANTIBODY_CHARS } from './healer.js';
import { RETIRED_ON_LOAD } from './preload.js';
import { canonical, IMMUNITY_FORMAT, IMMUNITY_VERSION, type Immunity, type ImmunityAntibody, type ImmunityBreach, type ImmunityPattern } from './immunity.js';
import { signature, signatureHex } from './minhash.js';

function patternSource(origin: Provenance | null, eventSource: string): ImmunityPattern['source'] {
  const s = origin?.source ?? eventSource;
  return s === 'druid' || s === 'vaccine' ? s : 'ngram';
}

export function immunityFromRun(store: Store, runId: number): Immunity {
  if (!store.runs.get(runId)) throw new UsageError(`run ${runId} is not in ${store.path}; "hive runs --db ${store.path}" lists the runs it holds.`);
  const events = store.healerEvents.forExport(runId);
  const hits = store.figures.patternHits(runId);
  const retired = new Set(events.filter((e) => e.kind === 'pattern_retired' && e.patternId !== null).map((e) => e.patternId as number));
  const sourceTexts = store.rounds.texts(
    runId,
    events.filter((e) => e.kind === 'antibody_added' && (e.text ?? null) === null).map((e) => e.sourceRound ?? e.round),
  );

  const patterns: ImmunityPattern[] = [];
  const antibodies: ImmunityAntibody[] = [];
  for (const e of events) {
    const origin = e.origin ?? null;
    if (e.kind === 'pattern_learned' && e.patternId !== null && e.pattern !== null) {
      patterns.push({
        pattern: e.pattern,
        category: e.category,
        source: patternSource(origin, e.source),
        run: origin ? origin.run : runId,
        round: origin ? origin.round : (e.sourceRound ?? e.round),
        technique: origin?.technique ?? null,
        vaccine: origin?.vaccine ?? null,
        hits: (origin?.hits ?? 0) + (hits.get(`${e.patternId}:attack`) ?? 0),
        false_positive_hits: (origin?.false_positive_hits ?? 0) + (hits.get(`${e.patternId}:benign`) ?? 0),
        status: retired.has(e.patternId) ? 'retired' : 'active',
      });
    } else if (e.kind === 'pattern_rejected' && e.source === 'immunity' && origin && e.pattern !== null && e.reason?.startsWith(RETIRED_ON_LOAD)) {
      // A known false positive stays known: a retired pattern travels on, still retired.
      patterns.push({
        pattern: e.pattern,
        category: e.category,
        source: patternSource(origin, e.source),
        run: origin.run,
        round: origin.round,
        technique: origin.technique,
        vaccine: origin.vaccine,
        hits: origin.hits,
        false_positive_hits: origin.false_positive_hits,
        status: 'retired',
      });
    } else if (e.kind === 'antibody_added') {
      const round = e.sourceRound ?? e.round;
      const text = e.text ?? sourceTexts.get(round);
      if (!text) continue;
      antibodies.push({
        text: text.slice(0, ANTIBODY_CHARS),
        category: e.category,
        run: origin ? origin.run : runId,
        round: origin ? origin.round : round,
        sha256: '0'.repeat(64), // recomputed by canonical()
      });
    }
  }
  // The breaches the state was learned from: this run's own, and those it knew from loaded immunity.
  const breaches: ImmunityBreach[] = [];
  for (const r of store.rounds.breachesAndBlocks(runId)) {
    if (r.outcome === 'BREACHED') breaches.push({ run: runId, round: r.round, sha256: r.sha, signature: signatureHex(signature(r.text)), payload: r.payload });
  }
  for (const k of store.knownBreaches.list(runId)) {
    if (k.sha256 !== null) breaches.push({ run: k.sourceRun, round: k.sourceRound, sha256: k.sha256, signature: k.signature, ...(k.payload === undefined ? {} : { payload: k.payload }) });
  }
  // Antibodies a run learned twice (the same breach got through again) travel once.
  const seen = new Set<string>();
  const runs = [runId, ...[...patterns, ...antibodies, ...breaches].map((x) => x.run).filter((r): r is number => r !== null)];
  const result = canonical({ format: IMMUNITY_FORMAT, version: IMMUNITY_VERSION, runs, patterns, antibodies, breaches });
  result.antibodies = result.antibodies.filter((a) => (seen.has(a.sha256) ? false : (seen.add(a.sha256), true)));
  return result;
}
