/**
 * Builds the typed report of one run (src/report/types.ts) from the store's grouped counts: a run
 * can have 100,000 rounds, so no per-round objects are built. The statistics themselves live in
 * src/stats; this module only assembles. Renderers never query the store for figures.
 */
import { CATEGORY_IDS, UNCATEGORISED } from '../categories.js';
import { tryReadRunConfig } from '../config/run-config.js';
import { UsageError } from '../errors.js';
import { balancedAccuracyInterval } from '../stats/balanced.js';
import { emptyCounts, figures, type OutcomeCounts } from '../stats/outcomes.js';
import { rocAuc, tprAtFpr, type ScoreBin } from '../stats/roc.js';
import { rate } from '../stats/wilson.js';
import type { Store } from '../store/store.js';
import { immunityFigures } from './immunity-figures.js';
import {
  REPORTED_FPRS,
  type AttackerFigures,
  type BatchFigures,
  type CategoryFigures,
  type DefenderFigures,
  type GroupFigures,
  type HostQueueFigures,
  type PatternFigures,
  type RunReport,
  type ScoreFigures,
  type SourceFigures,
  type SwarmCallFigures,
} from './types.js';

export function groupFigures(counts: OutcomeCounts): GroupFigures {
  const f = figures(counts);
  return { counts, figures: f, balancedAccuracyCi: balancedAccuracyInterval(f.defence, f.falsePositive) };
}

/** Which run `hive report` means: the one named, or the latest. */
export function resolveRunId(store: Store, requested: number | undefined): number {
  if (requested !== undefined) {
    if (!store.runs.get(requested)) throw new UsageError(`run ${requested} is not in ${store.path}; "hive runs --db ${store.path}" lists the runs it holds.`);
    return requested;
  }
  const latest = store.runs.latestId();
  if (latest === undefined) throw new UsageError(`${store.path} holds no runs yet; start one with "hive wargame" or "hive eval".`);
  return latest;
}

export function buildRunReport(store: Store, runId: number): RunReport {
  const row = store.runs.get(runId);
  if (!row) throw new UsageError(`run ${runId} is not in ${store.path}; "hive runs --db ${store.path}" lists the runs it holds.`);
  // Reports of runs whose stored configuration cannot be read still render, without what it said.
  const config = tryReadRunConfig(row);
  const f = store.figures;
  const totals = groupFigures(f.counts<number>(runId, 'run').get(0) ?? emptyCounts());
  const healerCounts = f.counts<number>(runId, 'decided_by_healer');
  const events = store.healerEvents.counts(runId);
  const lag = config?.cast.healer.lag;
  const firstLesson = store.healerEvents.firstLessonRound(runId);
  const coldThrough =
    events.preloaded > 0 || events.antibodiesPreloaded > 0 ? 0 : firstLesson !== null && lag !== undefined ? firstLesson + lag - 1 : row.roundsPlanned;
  const cold = f.countsThrough(runId, coldThrough);

  const spent = f.swarmCalls(runId);
  const asked = spent.calls + spent.aborted + spent.skipped;
  const swarm: SwarmCallFigures = { strategy: config?.cast.consensus.strategy ?? null, ...spent, savedShare: asked === 0 ? null : spent.skipped / asked };
  const options = config?.options;

  return {
    swarm,
    hosts: hosts(store, runId),
    judgedTruncated: f.judgedTruncated(runId),
    run: {
      id: row.id,
      kind: row.kind,
      command: config?.command ?? null,
      status: row.status,
      stopReason: row.stopReason,
      seed: row.seed,
      castName: row.castName,
      attackersName: row.attackersName,
      corpus: options && 'corpus' in options ? options.corpus : null,
      roundsPlanned: row.roundsPlanned,
      roundsDone: row.roundsDone,
      batchSize: row.batchSize,
      createdAt: row.createdAt,
      finishedAt: row.finishedAt,
      toolVersion: row.toolVersion,
      configHash: row.configHash,
      replayOf: row.replayOf,
    },
    totals,
    scores: scores(store, runId),
    batches: batches(store, runId),
    categories: categories(store, runId),
    sources: sources(store, runId),
    defenders: defenders(store, runId),
    attackers: attackers(store, runId),
    healer: {
      enabled: options?.heal ?? events.total > 0,
      patternsLearned: events.learned,
      patternsPreloaded: events.preloaded,
      patternsRejected: events.rejected,
      patternsRetired: events.retired,
      antibodies: events.antibodies,
      antibodiesPreloaded: events.antibodiesPreloaded,
      instantBlocks: totals.counts.INSTANT_BLOCKED,
      falsePositiveBlocks: healerCounts.get(1)?.FALSE_POSITIVE ?? 0,
      patterns: patterns(store, runId),
      judgedBySwarm: groupFigures(healerCounts.get(0) ?? emptyCounts()),
      stoppedByPattern: groupFigures(healerCounts.get(1) ?? emptyCounts()),
      beforeFirstLesson: { lastRound: Math.min(coldThrough, row.roundsPlanned), ...groupFigures(cold.get(1) ?? emptyCounts()) },
      immunity: immunityFigures(store, runId, options && 'freezeHealerAfter' in options ? options.freezeHealerAfter : null),
    },
  };
}

function scores(store: Store, runId: number): ScoreFigures {
  const bins: ScoreBin[] = [];
  let positives = 0;
  let negatives = 0;
  for (const r of store.figures.scores(runId)) {
    if (r.score === null) continue;
    const attack = r.kind === 'attack';
    bins.push({ score: r.score, positives: attack ? r.n : 0, negatives: attack ? 0 : r.n });
    if (attack) positives += r.n;
    else negatives += r.n;
  }
  return {
    scoredAttacks: positives,
    scoredBenign: negatives,
    rocAuc: rocAuc(bins),
    operatingPoints: REPORTED_FPRS.map((maxFpr) => {
      const p = tprAtFpr(bins, maxFpr);
      if (!p) return { maxFpr, threshold: null, tpr: rate(0, 0), fpr: rate(0, 0) };
      return { maxFpr, threshold: p.threshold, tpr: rate(p.truePositives, p.positives), fpr: rate(p.falsePositives, p.negatives) };
    }),
  };
}

function batches(store: Store, runId: number): BatchFigures[] {
  const spans = store.figures.batchSpans(runId);
  return [...store.figures.counts<number>(runId, 'batch').entries()].map(([batch, c]) => ({
    batch,
    firstRound: spans.get(batch)?.first ?? 0,
    lastRound: spans.get(batch)?.last ?? 0,
    ...groupFigures(c),
  }));
}

function rank(order: readonly string[], key: string): number {
  const i = order.indexOf(key);
  return i === -1 ? order.length : i;
}

function categories(store: Store, runId: number): CategoryFigures[] {
  const counts = store.figures.counts<string>(runId, 'category');
  // The 13 in their published order, then `uncategorised`, then anything unexpected by name.
  const order: string[] = [...CATEGORY_IDS, UNCATEGORISED];
  const keys = [...counts.keys()].sort((a, b) => rank(order, a) - rank(order, b) || a.localeCompare(b));
  return keys.map((category) => ({ category, ...groupFigures(counts.get(category) as OutcomeCounts) }));
}

function sources(store: Store, runId: number): SourceFigures[] {
  const counts = store.figures.counts<string | null>(runId, 'source');
  if (![...counts.keys()].some((k) => k !== null)) return [];
  const keys = [...counts.keys()].sort((a, b) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b)));
  return keys.map((source) => ({ source, ...groupFigures(counts.get(source) as OutcomeCounts) }));
}

function defenders(store: Store, runId: number): DefenderFigures[] {
  const models = store.models.list(runId, 'defender');
  const tallies = store.votes.tallies(runId);
  const byName = new Map(tallies.map((t) => [t.name, t]));
  const names = [...models.map((m) => m.name), ...tallies.map((t) => t.name).filter((n) => !models.some((m) => m.name === n))];
  return names.map((name) => {
    const m = models.find((x) => x.name === name);
    const t = byName.get(name);
    const votes = t?.votes ?? 0;
    const timing = store.votes.medianServiceAndQueue(runId, name);
    return {
      name,
      role: m?.role ?? null,
      provider: m?.provider ?? null,
      model: m?.model ?? null,
      votes,
      block: t?.block ?? 0,
      allow: t?.allow ?? 0,
      abstain: t?.abstain ?? 0,
      detect: rate(t?.attackBlock ?? 0, (t?.attackBlock ?? 0) + (t?.attackAllow ?? 0)),
      falsePositive: rate(t?.benignBlock ?? 0, (t?.benignBlock ?? 0) + (t?.benignAllow ?? 0)),
      abstention: rate(t?.abstain ?? 0, votes),
      medianLatencyMs: store.votes.medianLatency(runId, name, votes),
      medianServiceMs: timing.service,
      medianQueueMs: timing.queue,
      promptTokens: t?.promptTokens ?? 0,
      completionTokens: t?.completionTokens ?? 0,
      estimatedTokenVotes: t?.estimatedVotes ?? 0,
      rocAuc: rocAuc(store.votes.attackScores(runId, name).map((s) => ({ score: s.score, positives: s.kind === 'attack' ? s.n : 0, negatives: s.kind === 'attack' ? 0 : s.n }))),
    };
  });
}

function hosts(store: Store, runId: number): HostQueueFigures[] {
  return store.votes.hostQueues(runId).map((h) => ({
    host: h.host,
    defenders: h.defenders,
    calls: h.calls,
    medianQueueMs: h.medianQueueMs,
    waitShare: h.totalLatencyMs > 0 ? h.totalQueueMs / h.totalLatencyMs : null,
  }));
}

function attackers(store: Store, runId: number): AttackerFigures[] {
  const models = store.models.list(runId, 'attacker');
  const counts = store.figures.counts<string>(runId, 'attacker');
  const extraOf = new Map(store.figures.attackerExtras(runId).map((e) => [e.name, e]));
  const names = [...models.map((m) => m.name), ...[...counts.keys()].filter((n) => !models.some((m) => m.name === n))];
  return names.map((name) => {
    const m = models.find((x) => x.name === name);
    const c = counts.get(name) ?? emptyCounts();
    const e = extraOf.get(name);
    const attackerErrors = e?.attackerErrors ?? 0;
    return {
      name,
      provider: m?.provider ?? null,
      model: m?.model ?? null,
      ...groupFigures(c),
      attackerErrors,
      refusal: rate(c.ATTACKER_REFUSED, c.attacks - attackerErrors),
      promptTokens: e?.promptTokens ?? 0,
      completionTokens: e?.completionTokens ?? 0,
    };
  });
}

function patterns(store: Store, runId: number): PatternFigures[] {
  const hits = store.figures.patternHits(runId);
  const retired = store.healerEvents.retiredRounds(runId);
  return store.healerEvents.learnedPatterns(runId).map((p) => ({
    ...p,
    hits: hits.get(`${p.id}:attack`) ?? 0,
    falsePositiveHits: hits.get(`${p.id}:benign`) ?? 0,
    retiredRound: retired.get(p.id) ?? null,
  }));
}
