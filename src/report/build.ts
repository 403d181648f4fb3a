/**
 * Builds what the renderers read (src/report/types.ts) from the store: the typed report of one
 * run from the store's grouped counts (a run can have 100,000 rounds, so no per-round objects are
 * built), the timeline of the HTML charts and the row source of the CSV. The statistics live in
 * src/stats; this module only assembles. Renderers never query the store.
 */
import { CATEGORY_IDS, UNCATEGORISED } from '../categories.js';
import { tryReadRunConfig } from '../config/run-config.js';
import { UsageError } from '../errors.js';
import { emptyCounts, type OutcomeCounts } from '../stats/outcomes.js';
import { rocAuc, textsToResolve, tprAtFpr, type ScoreBin } from '../stats/roc.js';
import { rate, type Rate } from '../stats/wilson.js';
import type { RunRow } from '../store/records.js';
import type { Store } from '../store/store.js';
import { groupFigures, type TextRepeats } from './group-figures.js';
import { immunityFigures } from './immunity-figures.js';
import { modeFigures } from './modes.js';
import type {
  AttackerFigures,
  BatchFigures,
  CategoryFigures,
  DefenderFigures,
  HostQueueFigures,
  PatternFigures,
  RoundRows,
  RunReport,
  RunSubject,
  ScoreFigures,
  SourceFigures,
  SwarmCallFigures,
  Timeline,
} from './types.js';

/** The false-positive rates at which the true-positive rate of the swarm score is reported. */
export const REPORTED_FPRS = [0.01, 0.05] as const;

/** The stored run `runId`; a UsageError naming the database when it holds no such run. */
export function storedRun(store: Store, runId: number): RunRow {
  const row = store.runs.get(runId);
  if (!row) throw new UsageError(`run ${runId} is not in ${store.path}; "hive runs --db ${store.path}" lists the runs it holds.`);
  return row;
}

/** Which run `hive report` means: the one named, or the latest. UsageError when there is none. */
export function resolveRunId(store: Store, requested: number | undefined): number {
  if (requested !== undefined) return storedRun(store, requested).id;
  const latest = store.runs.latestId();
  if (latest === undefined) throw new UsageError(`${store.path} holds no runs yet; start one with "hive wargame" or "hive eval".`);
  return latest;
}

/** What `hive report` renders of run `runId`, each part read from the store when a format asks for it. */
export function runSubject(store: Store, runId: number): RunSubject {
  storedRun(store, runId);
  return { runId, report: () => buildRunReport(store, runId), rows: () => roundRows(store, runId), timeline: () => buildTimeline(store, runId) };
}

/** The rounds that breached or that the healer stopped, for the HTML charts. */
export function buildTimeline(store: Store, runId: number): Timeline {
  const t: Timeline = { lastRound: store.rounds.lastRound(runId), breaches: [], instantBlocks: [] };
  for (const r of store.rounds.breachesAndBlocks(runId)) (r.outcome === 'BREACHED' ? t.breaches : t.instantBlocks).push(r.round);
  return t;
}

/** Every round with its votes, streamed from SQLite in round order. */
export function roundRows(store: Store, runId: number): RoundRows {
  return {
    runId,
    defenders: modelsOf(store, runId, 'defender', store.votes.defenders(runId)).map((m) => m.name),
    rounds: store.rounds.forExport(runId),
    votes: store.votes.forExport(runId),
  };
}

/** The report of run `runId` (src/report/types.ts). UsageError when the store holds no such run. */
export function buildRunReport(store: Store, runId: number): RunReport {
  const row = storedRun(store, runId);
  // Reports of runs whose stored configuration cannot be read still render, without what it said.
  const config = tryReadRunConfig(row);
  const f = store.figures;
  const totals = groupFigures(f.counts<number>(runId, 'run').get(0) ?? emptyCounts(), textsOf(store, runId, 'run').get(0) ?? {});
  const healerCounts = f.counts<number>(runId, 'decided_by_healer');
  const events = store.healerEvents.counts(runId);
  const lag = config?.cast.healer.lag;
  const firstLesson = store.healerEvents.firstLessonRound(runId);
  const coldThrough =
    events.preloaded > 0 || events.antibodiesPreloaded > 0 ? 0 : firstLesson !== null && lag !== undefined ? firstLesson + lag - 1 : row.roundsPlanned;
  const cold = f.countsThrough(runId, coldThrough);

  const spent = f.swarmCalls(runId);
  const asked = spent.calls + spent.aborted + spent.skipped;
  const swarm: SwarmCallFigures = {
    strategy: config?.cast.consensus.strategy ?? null,
    rounds: spent.rounds,
    calls: spent.calls,
    callsAborted: spent.aborted,
    callsSkipped: spent.skipped,
    callsSavedShare: asked === 0 ? null : spent.skipped / asked,
  };
  const options = config?.options;
  const modes = modeFigures(store, runId);

  // Keys in the order of the JSON contract (docs/numbers.md): the JSON keeps the report's order.
  return {
    run: {
      id: row.id,
      kind: row.kind,
      status: row.status,
      stopReason: row.stopReason,
      seed: row.seed,
      cast: row.castName,
      attackers: row.attackersName,
      corpus: options && 'corpus' in options ? options.corpus : null,
      roundsPlanned: row.roundsPlanned,
      roundsDone: row.roundsDone,
      batchSize: row.batchSize,
      createdAt: row.createdAt,
      finishedAt: row.finishedAt,
      toolVersion: row.toolVersion,
      configHash: row.configHash,
      replayOf: row.replayOf,
      command: config?.command ?? null,
    },
    totals,
    scores: scores(store, runId, config?.cast.consensus.strategy ?? null, options && 'thresholdFrom' in options ? (options.thresholdFrom ?? undefined) : undefined),
    batches: batches(store, runId),
    categories: categories(store, runId),
    sources: sources(store, runId),
    defenders: defenders(store, runId),
    attackers: attackers(store, runId),
    swarm,
    hosts: hosts(store, runId),
    judgedTruncated: f.judgedTruncated(runId),
    ...(modes ? { modes } : {}),
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
      antibodiesPerPrompt: options?.heal ? (config?.cast.healer.antibodies ?? 0) : 0,
      judgedBySwarm: groupFigures(healerCounts.get(0) ?? emptyCounts()),
      stoppedByPattern: groupFigures(healerCounts.get(1) ?? emptyCounts()),
      beforeFirstLesson: { lastRound: Math.min(coldThrough, row.roundsPlanned), ...groupFigures(cold.get(1) ?? emptyCounts()) },
      patterns: patterns(store, runId),
      immunity: immunityFigures(store, runId, options && 'freezeHealerAfter' in options ? options.freezeHealerAfter : null),
    },
  };
}

/** Wilson upper bound of a rate; null when it is undefined. */
const upper = (r: Rate): number | null => (r.rate === null ? null : r.ci.high);

/** The rate of `score >= threshold` among the bins' positives and negatives (a fixed rule). */
function pointAt(bins: readonly ScoreBin[], threshold: number): { tpr: Rate; fpr: Rate } {
  let tp = 0;
  let fp = 0;
  let p = 0;
  let n = 0;
  for (const b of bins) {
    p += b.positives;
    n += b.negatives;
    if (b.score >= threshold) {
      tp += b.positives;
      fp += b.negatives;
    }
  }
  return { tpr: rate(tp, p), fpr: rate(fp, n) };
}

function scores(store: Store, runId: number, strategy: string | null, fixed: { run: number; threshold: number; maxFpr: number } | undefined): ScoreFigures {
  const cascade = strategy === 'cascade';
  const bins: ScoreBin[] = [];
  for (const r of store.figures.scores(runId, cascade)) {
    if (r.score === null) continue;
    const attack = r.kind === 'attack';
    bins.push({ score: r.score, positives: attack ? r.n : 0, negatives: attack ? 0 : r.n });
  }
  const coverage = store.figures.scoreCoverage(runId, cascade);
  const of = (kind: 'attack' | 'benign') => coverage.find((c) => c.kind === kind) ?? { judged: 0, healer: 0, partial: 0, judgedTexts: 0 };
  const benignTexts = of('benign').judgedTexts;
  const fixedPoint = fixed ? pointAt(bins, fixed.threshold) : undefined;
  return {
    scoredAttacks: of('attack').judged,
    scoredBenign: of('benign').judged,
    scoredBenignTexts: benignTexts,
    healerDecidedAttacks: of('attack').healer,
    healerDecidedBenign: of('benign').healer,
    partialRounds: cascade ? of('attack').partial + of('benign').partial : null,
    rocAuc: rocAuc(bins),
    operatingPoints: REPORTED_FPRS.map((maxFpr) => {
      const none = { maxFpr, threshold: null, tpr: rate(0, 0), fpr: rate(0, 0), fprUpperBound: null, sample: 'in-sample' as const };
      if (benignTexts < textsToResolve(maxFpr)) return { ...none, notResolvable: `${benignTexts} benign` };
      const p = tprAtFpr(bins, maxFpr);
      if (!p) return { ...none, notResolvable: null };
      const fpr = rate(p.falsePositives, p.negatives);
      return { maxFpr, threshold: p.threshold, tpr: rate(p.truePositives, p.positives), fpr, fprUpperBound: upper(fpr), sample: 'in-sample' as const, notResolvable: null };
    }),
    fixedThreshold:
      fixed && fixedPoint
        ? { sourceRun: fixed.run, maxFpr: fixed.maxFpr, threshold: fixed.threshold, ...fixedPoint, fprUpperBound: upper(fixedPoint.fpr), sample: 'out-of-sample' }
        : null,
  };
}

/** The repeats of every group's texts, by key and kind (see GroupFigures). */
function textsOf<K>(store: Store, runId: number, grouping: 'run' | 'batch' | 'category' | 'attacker' | 'source'): Map<K, { attack?: TextRepeats; benign?: TextRepeats }> {
  const out = new Map<K, { attack?: TextRepeats; benign?: TextRepeats }>();
  for (const r of store.figures.textRepeats<K>(runId, grouping)) {
    const entry = out.get(r.key) ?? {};
    entry[r.kind] = { rounds: r.rounds, texts: r.texts, squares: r.squares };
    out.set(r.key, entry);
  }
  return out;
}

function batches(store: Store, runId: number): BatchFigures[] {
  const spans = store.figures.batchSpans(runId);
  const texts = textsOf<number>(store, runId, 'batch');
  return [...store.figures.counts<number>(runId, 'batch').entries()].map(([batch, c]) => ({
    batch,
    firstRound: spans.get(batch)?.first ?? 0,
    lastRound: spans.get(batch)?.last ?? 0,
    ...groupFigures(c, texts.get(batch) ?? {}),
  }));
}

/** Category keys in report order: the 13 as published, then `uncategorised`, then anything unexpected by name. */
export function categoryOrder(keys: Iterable<string>): string[] {
  const order: string[] = [...CATEGORY_IDS, UNCATEGORISED];
  const rank = (k: string) => (order.indexOf(k) === -1 ? order.length : order.indexOf(k));
  return [...new Set(keys)].sort((x, y) => rank(x) - rank(y) || x.localeCompare(y));
}

function categories(store: Store, runId: number): CategoryFigures[] {
  const counts = store.figures.counts<string>(runId, 'category');
  const texts = textsOf<string>(store, runId, 'category');
  return categoryOrder(counts.keys()).map((category) => ({ category, ...groupFigures(counts.get(category) as OutcomeCounts, texts.get(category) ?? {}) }));
}

function sources(store: Store, runId: number): SourceFigures[] {
  const counts = store.figures.counts<string | null>(runId, 'source');
  if (![...counts.keys()].some((k) => k !== null)) return [];
  const keys = [...counts.keys()].sort((a, b) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b)));
  const texts = textsOf<string | null>(store, runId, 'source');
  return keys.map((source) => ({ source, ...groupFigures(counts.get(source) as OutcomeCounts, texts.get(source) ?? {}) }));
}

/**
 * The names of a run's models of one role, as declared, then any other name its rounds hold
 * (`seen`), each with the declared model (undefined for those others) as `provider:model` parts.
 */
function modelsOf(store: Store, runId: number, role: 'defender' | 'attacker', seen: Iterable<string>) {
  const declared = store.models.list(runId, role);
  const names = [...new Set([...declared.map((m) => m.name), ...seen])];
  return names.map((name) => {
    const m = declared.find((x) => x.name === name);
    return { name, role: m?.role ?? null, provider: m?.provider ?? null, model: m?.model ?? null };
  });
}

function defenders(store: Store, runId: number): DefenderFigures[] {
  const tallies = new Map(store.votes.tallies(runId).map((t) => [t.name, t]));
  return modelsOf(store, runId, 'defender', tallies.keys()).map((model) => {
    const t = tallies.get(model.name);
    const votes = t?.votes ?? 0;
    const timing = store.votes.medianServiceAndQueue(runId, model.name);
    return {
      ...model,
      votes,
      block: t?.block ?? 0,
      allow: t?.allow ?? 0,
      abstain: t?.abstain ?? 0,
      detectRate: rate(t?.attackBlock ?? 0, (t?.attackBlock ?? 0) + (t?.attackAllow ?? 0)),
      falsePositiveRate: rate(t?.benignBlock ?? 0, (t?.benignBlock ?? 0) + (t?.benignAllow ?? 0)),
      abstainRate: rate(t?.abstain ?? 0, votes),
      medianLatencyMs: store.votes.medianLatency(runId, model.name, votes),
      medianServiceMs: timing.service,
      medianQueueMs: timing.queue,
      promptTokens: t?.promptTokens ?? 0,
      completionTokens: t?.completionTokens ?? 0,
      estimatedTokenVotes: t?.estimatedVotes ?? 0,
      rocAuc: rocAuc(store.votes.attackScores(runId, model.name).map((s) => ({ score: s.score, positives: s.kind === 'attack' ? s.n : 0, negatives: s.kind === 'attack' ? 0 : s.n }))),
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
  const counts = store.figures.counts<string>(runId, 'attacker');
  const texts = textsOf<string>(store, runId, 'attacker');
  const extraOf = new Map(store.figures.attackerExtras(runId).map((e) => [e.name, e]));
  return modelsOf(store, runId, 'attacker', counts.keys()).map(({ name, provider, model }) => {
    const c = counts.get(name) ?? emptyCounts();
    const e = extraOf.get(name);
    const attackerErrors = e?.attackerErrors ?? 0;
    return {
      name,
      provider,
      model,
      ...groupFigures(c, texts.get(name) ?? {}),
      attackerErrors,
      refusalRate: rate(c.ATTACKER_REFUSED, c.attacks - attackerErrors),
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
