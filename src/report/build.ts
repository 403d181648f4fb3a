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
import { rocAuc, type ScoreBin } from '../stats/roc.js';
import { designEffectOf, NO_TEXTS, rateByText, type TextRepeats } from '../stats/text-unit.js';
import { rate } from '../stats/wilson.js';
import type { RunRow } from '../store/records.js';
import type { Store } from '../store/store.js';
import { groupFigures, groupTextsByKey, type GroupTexts } from './group-figures.js';
import { operatingPoint, pointAtThreshold } from './operating-point.js';
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
  const totals = groupFigures(f.counts<number>(runId, 'run').get(0) ?? emptyCounts(), textsOf<number>(store, runId, 'run').get(0) ?? {});
  const healerCounts = f.counts<number>(runId, 'decided_by_healer');
  const events = store.healerEvents.counts(runId);
  const lag = config?.cast.healer.lag;
  const firstLesson = store.healerEvents.firstLessonRound(runId);
  const coldThrough =
    events.preloaded > 0 || events.antibodiesPreloaded > 0 ? 0 : firstLesson !== null && lag !== undefined ? firstLesson + lag - 1 : row.roundsPlanned;
  const cold = f.countsThrough(runId, coldThrough);
  const healerTexts = textsOf<number>(store, runId, 'decided_by_healer');
  const coldTexts = textsOf<number>(store, runId, 'run', { first: 1, last: coldThrough }).get(0) ?? {};

  const spent = f.swarmCalls(runId);
  const asked = spent.calls + spent.aborted + spent.skipped;
  const swarm: SwarmCallFigures = {
    strategy: config?.cast.consensus.strategy ?? null,
    rounds: spent.rounds,
    judgements: spent.judgements,
    calls: spent.calls,
    callsAborted: spent.aborted,
    callsSkipped: spent.skipped,
    callsSavedShare: asked === 0 ? null : spent.skipped / asked,
  };
  const options = config?.options;
  const modes = modeFigures(store, runId, config);

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
      ...(modes ? { turnsStopped: store.turns.healerStops(runId) } : {}),
      falsePositiveBlocks: healerCounts.get(1)?.FALSE_POSITIVE ?? 0,
      antibodiesPerPrompt: options?.heal ? (config?.cast.healer.antibodies ?? 0) : 0,
      judgedBySwarm: groupFigures(healerCounts.get(0) ?? emptyCounts(), healerTexts.get(0) ?? {}),
      stoppedByPattern: groupFigures(healerCounts.get(1) ?? emptyCounts(), healerTexts.get(1) ?? {}),
      beforeFirstLesson: { lastRound: Math.min(coldThrough, row.roundsPlanned), ...groupFigures(cold.get(1) ?? emptyCounts(), coldTexts) },
      patterns: patterns(store, runId),
      immunity: immunityFigures(store, runId, options && 'freezeHealerAfter' in options ? options.freezeHealerAfter : null, promptReaders(config?.cast.defenders)),
    },
  };
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
  const of = (kind: 'attack' | 'benign') => coverage.find((c) => c.kind === kind) ?? { judged: 0, healer: 0, partial: 0 };
  const repeats = store.figures.scoreTextRepeats(runId, cascade);
  const textsOfKind = (kind: 'attack' | 'benign'): TextRepeats => repeats.find((r) => r.kind === kind) ?? NO_TEXTS;
  const texts = { attack: textsOfKind('attack'), benign: textsOfKind('benign') };
  return {
    scoredAttacks: of('attack').judged,
    scoredBenign: of('benign').judged,
    scoredBenignTexts: texts.benign.texts,
    healerDecidedAttacks: of('attack').healer,
    healerDecidedBenign: of('benign').healer,
    partialRounds: cascade ? of('attack').partial + of('benign').partial : null,
    rocAuc: rocAuc(bins),
    operatingPoints: REPORTED_FPRS.map((maxFpr) => operatingPoint(bins, maxFpr, texts)),
    fixedThreshold: fixed
      ? { sourceRun: fixed.run, maxFpr: fixed.maxFpr, threshold: fixed.threshold, ...pointAtThreshold(bins, fixed.threshold, texts), sample: 'out-of-sample' }
      : null,
  };
}

/** The texts behind every group's rates, by key (see GroupTexts); `rounds`: only rounds first..last. */
function textsOf<K>(store: Store, runId: number, grouping: Parameters<Store['figures']['textRepeats']>[1], rounds?: { first: number; last: number }): Map<K, GroupTexts> {
  return groupTextsByKey(store.figures.textRepeats<K>(runId, grouping, rounds));
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

/**
 * The defenders whose prompts show antibodies: model-backed ones answering in hive's JSON format
 * (guard formats and embedded detectors read no prompt of hive's); null when the cast is unknown.
 */
function promptReaders(defenders: ReadonlyArray<{ name: string; provider: string; answer_format?: string }> | undefined): string[] | null {
  if (!defenders) return null;
  return defenders.filter((d) => (d.provider === 'ollama' || d.provider === 'openai') && (d.answer_format ?? 'json') === 'json').map((d) => d.name);
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
  const repeats = store.votes.textRepeats(runId);
  const textsOfVotes = (name: string, kind: 'attack' | 'benign'): TextRepeats => repeats.find((r) => r.defender === name && r.kind === kind) ?? NO_TEXTS;
  const medians = store.votes.medians(runId);
  const scores = store.votes.attackScores(runId);
  return modelsOf(store, runId, 'defender', tallies.keys()).map((model) => {
    const t = tallies.get(model.name);
    const votes = t?.votes ?? 0;
    const timing = medians.get(model.name);
    const attackTexts = textsOfVotes(model.name, 'attack');
    const benignTexts = textsOfVotes(model.name, 'benign');
    return {
      ...model,
      votes,
      block: t?.block ?? 0,
      allow: t?.allow ?? 0,
      abstain: t?.abstain ?? 0,
      detectRate: rateByText(t?.attackBlock ?? 0, (t?.attackBlock ?? 0) + (t?.attackAllow ?? 0), attackTexts),
      falsePositiveRate: rateByText(t?.benignBlock ?? 0, (t?.benignBlock ?? 0) + (t?.benignAllow ?? 0), benignTexts),
      distinctAttackTexts: attackTexts.texts,
      attackDesignEffect: designEffectOf(attackTexts),
      distinctBenignTexts: benignTexts.texts,
      benignDesignEffect: designEffectOf(benignTexts),
      abstainRate: rate(t?.abstain ?? 0, t?.calls ?? 0),
      medianLatencyMs: timing?.latency ?? null,
      medianServiceMs: timing?.service ?? null,
      medianQueueMs: timing?.queue ?? null,
      promptTokens: t?.promptTokens ?? 0,
      completionTokens: t?.completionTokens ?? 0,
      estimatedTokenVotes: t?.estimatedVotes ?? 0,
      rocAuc: rocAuc((scores.get(model.name) ?? []).map((s) => ({ score: s.score, positives: s.kind === 'attack' ? s.n : 0, negatives: s.kind === 'attack' ? 0 : s.n }))),
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
