import type { Rate } from '../../stats/wilson.js';
import { counts, intervalText, pct, rateWithCi } from '../numbers.js';
import type { GroupFigures, ImmunityFigures, RunReport } from '../types.js';
import { modeSections } from './mode-sections.js';

/**
 * The report's tables as rows of strings, shared by the terminal, Markdown and HTML renderers so
 * they never disagree. Cells holding untrusted text (names from config files, corpus sources,
 * learned patterns) go through `esc`, which each renderer supplies.
 */

export interface Section {
  title: string;
  head: string[];
  rows: string[][];
  /** Columns to right-align (numbers). */
  numeric: number[];
  /** Printed under the table. */
  note?: string | undefined;
}

export type Escape = (untrusted: string) => string;

/** A rate's row of a figure table: name, value, interval, counts and what they count. */
export function rateRow(name: string, r: Rate, note: string): string[] {
  return [name, pct(r.rate), intervalText(r.ci, r.rate !== null), `${counts(r)}${note}`];
}

/** ", 140 distinct texts" when counted; "(text as unit)" when repeats widened the interval. */
function textsNote(texts: number | null, deff: number | null): string {
  if (texts === null) return '';
  return `, ${texts} distinct text${texts === 1 ? '' : 's'}${deff !== null && deff > 1 ? ' (interval with the text as unit)' : ''}`;
}

/** The swarm rate's label says what it measures: the defenders with the antibodies they were shown. */
export function swarmRateName(antibodies: number): string {
  return antibodies > 0 ? `swarm defence rate (with ${antibodies} antibodies shown)` : 'swarm defence rate';
}

export function totalsSection(g: GroupFigures, antibodiesPerPrompt = 0, stopsBeforePayload = 0): Section {
  const c = g.counts;
  return {
    // A stop before the payload turn is counted as a defence here (the round ended blocked), but it was an alarm on a harmless turn.
    ...(stopsBeforePayload > 0
      ? { note: `Of the defended rounds, ${stopsBeforePayload} are attack conversations stopped before the payload turn (alarms on harmless turns, not caught attacks; see the conversation sections).` }
      : {}),
    title: 'Totals',
    head: ['figure', 'value', '95% CI', 'counts'],
    numeric: [1, 2],
    rows: [
      ['rounds', String(c.rounds), '', `${c.attacks} attacks, ${c.benign} benign`],
      ['valid attacks', String(g.validAttacks), '', `${c.ATTACKER_REFUSED} refused${c.RECORDING_ENDED > 0 ? `, ${c.RECORDING_ENDED} whose recording ended` : ''} and ${g.attackErrors} errored left out${textsNote(g.distinctAttackTexts, g.attackDesignEffect)}`],
      rateRow('defence rate', g.defenceRate, ` (${c.DEFENDED} by the swarm + ${c.INSTANT_BLOCKED} instant blocks)`),
      rateRow(swarmRateName(antibodiesPerPrompt), g.swarmDefenceRate, ' (without instant blocks)'),
      rateRow('breach rate', g.breachRate, ''),
      rateRow('false-positive rate', g.falsePositiveRate, ` benign blocked${textsNote(g.distinctBenignTexts, g.benignDesignEffect)}`),
      ['balanced accuracy', pct(g.balancedAccuracy), intervalText(g.balancedAccuracyCi, g.balancedAccuracy !== null), '(defence + (1 − FPR)) / 2'],
      ['errors', String(c.ERROR), '', `${g.attackErrors} attack, ${g.benignErrors} benign rounds (in no denominator)`],
    ],
  };
}

export function scoresSection(r: RunReport): Section {
  const s = r.scores;
  const rows: string[][] = [['ROC AUC', s.rocAuc === null ? '—' : s.rocAuc.toFixed(3), '', `${s.scoredAttacks} attacks vs ${s.scoredBenign} benign (${s.scoredBenignTexts} distinct texts)`]];
  const point = (name: string, threshold: number | null, tpr: Rate, fpr: Rate, upperBound: number | null): string[] => [
    name,
    pct(tpr.rate),
    intervalText(tpr.ci, tpr.rate !== null),
    `${counts(tpr)} at ${threshold === null ? 'flag nothing' : `score ≥ ${threshold.toFixed(3)}`} (FPR ${pct(fpr.rate, 2)}, ${counts(fpr)}, at most ${pct(upperBound, 2)})`,
  ];
  for (const p of s.operatingPoints) {
    const name = `TPR at ≤ ${pct(p.maxFpr, 0)} FPR, in-sample`;
    if (p.notResolvable !== null) rows.push([name, '—', '', `not resolvable: ${p.notResolvable} (needs ${Math.ceil(3 / p.maxFpr - 1e-9)} distinct benign texts)`]);
    else if (p.tpr.rate === null) rows.push([name, '—', '', 'needs attacks and benign rounds']);
    else rows.push(point(name, p.threshold, p.tpr, p.fpr, p.fprUpperBound));
  }
  const f = s.fixedThreshold;
  if (f) rows.push(point(`TPR at run ${f.sourceRun}'s ${pct(f.maxFpr, 0)}-FPR threshold, out-of-sample`, f.threshold, f.tpr, f.fpr, f.fprUpperBound));
  const apart = [
    s.healerDecidedAttacks + s.healerDecidedBenign > 0 ? `${s.healerDecidedAttacks} attack and ${s.healerDecidedBenign} benign rounds the healer decided are left out (no defender was asked)` : '',
    s.partialRounds ? `${s.partialRounds} cascade rounds where not every defender answered are left out` : '',
  ].filter(Boolean);
  const notes = [
    'In-sample: each threshold is chosen on the rounds it is reported on.',
    ...apart.map((a) => `${a[0]?.toUpperCase()}${a.slice(1)}.`),
    s.scoredBenign === 0 ? 'No benign rounds were judged, so no ROC figures: run with --benign-ratio > 0 or a corpus with benign rows.' : '',
  ].filter(Boolean);
  return {
    title: 'Scores (swarm score: mean probability of block)',
    head: ['figure', 'value', '95% CI', 'counts'],
    numeric: [1, 2],
    rows,
    note: notes.join(' '),
  };
}

/** The columns of a table of groups (categories, sources), each a heading and its cell. */
const GROUP_COLUMNS: ReadonlyArray<[string, (g: GroupFigures) => string]> = [
  ['rounds', (g) => String(g.counts.rounds)],
  ['attacks', (g) => String(g.counts.attacks)],
  ['defended', (g) => String(g.counts.DEFENDED)],
  ['instant', (g) => String(g.counts.INSTANT_BLOCKED)],
  ['breached', (g) => String(g.counts.BREACHED)],
  ['refused', (g) => String(g.counts.ATTACKER_REFUSED)],
  ['errors', (g) => String(g.counts.ERROR)],
  ['defence % [95% CI]', (g) => rateWithCi(g.defenceRate)],
  ['benign', (g) => String(g.counts.benign)],
  ['false pos', (g) => String(g.counts.FALSE_POSITIVE)],
  ['FP % [95% CI]', (g) => rateWithCi(g.falsePositiveRate)],
  ['bal. acc.', (g) => pct(g.balancedAccuracy)],
];

/** The columns the end of a run command shows: what was stopped and how often the swarm was wrong. */
export const RUN_END_COLUMNS = ['attacks', 'defended', 'instant', 'breached', 'defence % [95% CI]', 'benign', 'false pos', 'FP % [95% CI]', 'errors'] as const;

/** A table of groups (categories, sources, modes of play), one row each; `only`: a subset of the columns. */
export function groupsSection(title: string, key: string, groups: ReadonlyArray<[string, GroupFigures]>, only?: readonly string[]): Section {
  const columns = only ? GROUP_COLUMNS.filter(([head]) => only.includes(head)) : GROUP_COLUMNS;
  return {
    title,
    head: [key, ...columns.map(([head]) => head)],
    numeric: columns.map((_, i) => i + 1),
    rows: groups.map(([name, g]) => [name, ...columns.map(([, cell]) => cell(g))]),
  };
}

/** Per category (trusted ids: the 13 and `uncategorised`); `only`: a subset of the columns. */
export function categoriesSection(r: RunReport, only?: readonly string[]): Section {
  return groupsSection('Categories', 'category', r.categories.map((c) => [c.category, c]), only);
}

export function sourcesSection(r: RunReport, esc: Escape): Section {
  return groupsSection('Sources', 'source', r.sources.map((s) => [s.source === null ? '(no source)' : esc(s.source), s]));
}

interface BatchSpan {
  batch: number;
  firstRound: number;
  lastRound: number;
}

/** One row per batch: its number and rounds, then `cells`, all numbers (right-aligned). */
function perBatch<B extends BatchSpan>(title: string, head: readonly string[], batches: readonly B[], cells: (b: B) => Array<string | number>): Section {
  return {
    title,
    head: ['batch', 'rounds', ...head],
    numeric: [0, ...head.map((_, i) => i + 2)],
    rows: batches.map((b) => [String(b.batch), `${b.firstRound}-${b.lastRound}`, ...cells(b).map(String)]),
  };
}

export function batchesSection(r: RunReport): Section {
  return perBatch('Batches', ['attacks', 'defended', 'instant', 'breached', 'refused', 'defence % [95% CI]', 'benign', 'false pos', 'errors'], r.batches, (b) => [
    b.counts.attacks,
    b.counts.DEFENDED,
    b.counts.INSTANT_BLOCKED,
    b.counts.BREACHED,
    b.counts.ATTACKER_REFUSED,
    rateWithCi(b.defenceRate),
    b.counts.benign,
    b.counts.FALSE_POSITIVE,
    b.counts.ERROR,
  ]);
}

const latency = (x: number | null): string => (x === null ? '—' : x < 10 ? x.toFixed(2) : x.toFixed(0));

interface Player {
  name: string;
  provider: string | null;
  model: string | null;
}

/**
 * A table of players (defenders or attackers): the name and "provider:model" cells ("—" for a
 * player no model plays), then `figures(p)` under `head`, every one of them right-aligned.
 */
function playersSection<P extends Player>(title: string, head: readonly [string, ...string[]], players: readonly P[], figures: (p: P) => string[], esc: Escape, note?: string): Section {
  return {
    title,
    head: [head[0], 'model', ...head.slice(1)],
    numeric: head.slice(1).map((_, i) => i + 2),
    rows: players.map((p) => [esc(p.name), p.provider === null ? '—' : esc(`${p.provider}:${p.model ?? ''}`), ...figures(p)]),
    note,
  };
}

export function defendersSection(r: RunReport, esc: Escape): Section {
  const estimated = r.defenders.some((d) => d.estimatedTokenVotes > 0);
  const head = ['defender', 'rounds judged', 'detect % [95% CI]', 'FP % [95% CI]', 'abstain %', 'service ms', 'queue ms', 'tokens in/out'] as const;
  const figures = (d: RunReport['defenders'][number]): string[] => [
    String(d.votes),
    `${rateWithCi(d.detectRate)} ${counts(d.detectRate)}`,
    `${rateWithCi(d.falsePositiveRate)} ${counts(d.falsePositiveRate)}`,
    `${pct(d.abstainRate.rate)} (${d.abstain})`,
    latency(d.medianServiceMs),
    latency(d.medianQueueMs),
    `${d.estimatedTokenVotes > 0 ? '~' : ''}${d.promptTokens}/${d.completionTokens}`,
  ];
  const note =
    'rounds judged: rounds whose verdict by this defender alone the turns played decide (conversation and iterative rounds that leave it open are left out, so it differs by defender; docs/conversations.md). ' +
    'detect % and FP %: its alone verdicts of block over block and allow on the attack and benign rounds the swarm judged; abstain %: of every call asked of it. ' +
    'service ms: median time the model server took; queue ms: median wait for a host slot (see Hosts).' +
    (estimated ? ' ~: some counts were estimated by hive (the server reported none).' : '') +
    (r.judgedTruncated ? ` Judged on a truncated text: ${r.judgedTruncated} round(s).` : '');
  return playersSection('Defenders', head, r.defenders, figures, esc, note);
}

/** Waits for a host slot per host: a host whose calls spend much of their time waiting is the bottleneck. */
export function hostsSection(r: RunReport, esc: Escape): Section | undefined {
  const hosts = r.hosts ?? [];
  if (hosts.length === 0) return undefined;
  return {
    title: 'Hosts',
    head: ['host', 'defenders', 'calls', 'median queue ms', 'time waiting'],
    numeric: [2, 3, 4],
    rows: hosts.map((h) => [esc(h.host ?? 'OLLAMA_HOST or the local default'), esc(h.defenders.join(', ')), String(h.calls), latency(h.medianQueueMs), pct(h.waitShare)]),
    note: 'time waiting: summed waits for a host slot over summed latency. Near or above half, the host is the bottleneck: raise its max_concurrency if the server has room, or spread the models over more hosts.',
  };
}

export function attackersSection(r: RunReport, esc: Escape): Section {
  const head = ['attacker', 'attacks', 'refused', 'refusal % [95% CI]', 'errors', 'breached', 'breach % [95% CI]', 'defence % [95% CI]'] as const;
  return playersSection('Attackers', head, r.attackers, (a) => [
    String(a.counts.attacks),
    String(a.counts.ATTACKER_REFUSED),
    rateWithCi(a.refusalRate),
    String(a.attackerErrors),
    String(a.counts.BREACHED),
    rateWithCi(a.breachRate),
    rateWithCi(a.defenceRate),
  ], esc);
}

/** The defence and false-positive rates of a group in one row. */
function judgedRow(name: string, g: GroupFigures): string[] {
  return [name, rateWithCi(g.defenceRate), `defence on ${g.validAttacks} valid attacks; FPR ${rateWithCi(g.falsePositiveRate)} on ${g.falsePositiveRate.n} benign`];
}

export function healerSection(r: RunReport): Section {
  const h = r.healer;
  const s = h.judgedBySwarm;
  const p = h.stoppedByPattern;
  const cold = h.beforeFirstLesson;
  return {
    title: 'Healer',
    head: ['figure', 'value', 'counts'],
    numeric: [1],
    rows: [
      ['enabled', h.enabled ? 'yes' : 'no', ''],
      ['patterns learned', String(h.patternsLearned), `${h.patternsPreloaded} preloaded, ${h.patternsRejected} rejected by the benign guard, ${h.patternsRetired} retired`],
      ['antibodies', String(h.antibodies), h.antibodiesPreloaded > 0 ? `${h.antibodiesPreloaded} preloaded` : ''],
      ['instant blocks', String(h.instantBlocks), `attack rounds; ${h.falsePositiveBlocks} benign rounds blocked by a pattern`],
      ...(h.turnsStopped !== undefined ? [['turns and attempts stopped', String(h.turnsStopped), 'conversation turns and iterative attempts a pattern stopped']] : []),
      judgedRow('judged before a pattern stopped them', s),
      ['stopped by a learned pattern', String(p.counts.rounds), `rounds: ${p.counts.INSTANT_BLOCKED} attacks, ${p.counts.FALSE_POSITIVE} benign`],
      judgedRow(`before any lesson (rounds 1-${cold.lastRound})`, cold),
    ],
    note: h.enabled
      ? 'Rounds stopped by a pattern were judged after it was learned from an earlier round of the same run, and antibodies from earlier rounds shape later votes; ' +
        'on a labelled corpus the cold baseline is "before any lesson".'
      : undefined,
  };
}

export function patternsSection(r: RunReport, esc: Escape, limit = 10): Section {
  const top = [...r.healer.patterns].sort((a, b) => b.hits + b.falsePositiveHits - (a.hits + a.falsePositiveHits) || a.id - b.id).slice(0, limit);
  return {
    title: 'Top patterns',
    head: ['id', 'pattern', 'category', 'source', 'learned', 'from round', 'attacks stopped', 'benign stopped', 'retired'],
    numeric: [0, 4, 5, 6, 7, 8],
    rows: top.map((p) => [
      String(p.id),
      esc(p.pattern),
      p.category ?? '—',
      p.source,
      String(p.learnedRound),
      p.sourceRound === null ? '—' : String(p.sourceRound),
      String(p.hits),
      String(p.falsePositiveHits),
      p.retiredRound === null ? '—' : String(p.retiredRound),
    ]),
    note: r.healer.patterns.length > limit ? `${r.healer.patterns.length - limit} more in --format json.` : undefined,
  };
}

/** Defender calls made, cancelled and never made: what `strategy: cascade` saves. */
export function swarmCallsSection(r: RunReport): Section | undefined {
  const w = r.swarm;
  if (!w || w.rounds === 0 || (w.strategy !== 'cascade' && w.callsAborted + w.callsSkipped === 0)) return undefined;
  const total = w.calls + w.callsAborted + w.callsSkipped;
  const row = (name: string, n: number): string[] => [name, String(n), total === 0 ? '—' : `${((100 * n) / total).toFixed(1)}%`, (n / w.rounds).toFixed(2)];
  return {
    title: 'Swarm calls',
    head: ['figure', 'calls', 'share', 'per round'],
    numeric: [1, 2, 3],
    rows: [
      row('answered', w.calls),
      row('cancelled in flight', w.callsAborted),
      row('never asked (saved)', w.callsSkipped),
      ['a parallel swarm would ask', String(total), '100%', (total / w.rounds).toFixed(2)],
    ],
    note: `strategy ${w.strategy ?? 'unknown'}, ${w.rounds} rounds judged by the defenders in ${w.judgements} judgements (every turn, attempt and context-free judgement of a conversation or iterative round counted, as budgets charge them); "a parallel swarm would ask": every defender on those same judgements. The decisions are the ones parallel would reach from the same votes.`,
  };
}

/** The immune system per batch: who stopped what, the healer's false positives beside its blocks, repeats and antibody cost. */
export function learningCurveSection(f: ImmunityFigures): Section {
  const r = f.repeats;
  const c = f.antibodyTokens;
  const notes = [
    `Instant blocks: ${r.exact} exact repeats of an earlier breach, ${r.near} near repeats (similarity ≥ ${r.nearThreshold}), ${r.samePayload} with a payload that already breached, ${r.novel} new variants${r.knownBreaches > 0 ? ` (against this run's breaches and ${r.knownBreaches} known from loaded immunity${r.knownWithoutHash > 0 ? `, ${r.knownWithoutHash} of them antibody texts only: near repeats, not exact ones` : ''}${r.knownWithoutPayload > 0 ? `; ${r.knownWithoutPayload} from a file without payload ids: same-payload blocks among them count as new variants` : ''})` : ''}.`,
    `Healer: ${f.healerBlocked} instant blocks beside ${f.healerFalsePositives} false positives.`,
    c.rounds === 0
      ? 'Antibodies: none shown.'
      : c.promptReaders === 0
        ? `Antibodies: given to the defenders in ${c.rounds} rounds; no defender of this cast reads a prompt (embedded detectors, guard formats), so they cost no tokens.`
        : `Antibodies: ~${Math.round(c.meanPerPrompt ?? 0)} prompt tokens per defender prompt (max ${c.maxPerPrompt}), ~${c.total} over the calls of the defenders whose prompts show them (chars/4 estimate).`,
  ];
  const head = ['valid attacks', 'healer blocked', 'swarm blocked', 'breached', 'healer FP', 'swarm FP', 'new patterns'];
  const section = perBatch('Learning curve', head, f.learningCurve, (b) => [
    b.validAttacks,
    b.healerBlocked,
    b.swarmBlocked,
    b.breached,
    b.healerFalsePositives,
    b.swarmFalsePositives,
    b.patternsLearned,
  ]);
  return { ...section, note: notes.join(' ') };
}

/** The held-out phase after `--freeze-healer-after`, when the run had one. */
export function frozenSection(f: ImmunityFigures): Section | undefined {
  const z = f.frozen;
  if (!z) return undefined;
  return {
    title: `Held-out phase (rounds after ${z.afterRound}, healer frozen)`,
    head: ['figure', 'value', '95% CI', 'counts'],
    numeric: [1, 2],
    rows: [
      ['rounds', String(z.counts.rounds), '', `${z.counts.attacks} attacks, ${z.counts.benign} benign`],
      rateRow('defence rate', z.defenceRate, ''),
      rateRow('swarm defence rate', z.swarmDefenceRate, ''),
      rateRow('breach rate', z.breachRate, ''),
      rateRow('false-positive rate', z.falsePositiveRate, ''),
      ['healer blocks', String(z.healerBlocked), '', `${z.healerFalsePositives} false positives by the healer`],
      ['patterns learned', String(z.patternsLearned), '', 'none expected: the healer is frozen'],
    ],
    note: `Defence in the frozen phase: ${rateWithCi(z.defenceRate)}. What the healer learned before round ${z.afterRound + 1} is tested on rounds it never learned from.`,
  };
}

/** "run 3 · eval · completed · cast embedded · …" as label/value pairs. */
export function runFacts(r: RunReport, esc: Escape): Array<[string, string]> {
  const run = r.run;
  const facts: Array<[string, string]> = [
    ['run', String(run.id)],
    ['kind', run.kind],
    ['status', run.stopReason ? `${run.status} (${esc(run.stopReason)})` : run.status],
    ['cast', esc(run.cast)],
  ];
  if (run.attackers !== null) facts.push(['attackers', esc(run.attackers)]);
  if (run.corpus !== null) facts.push(['corpus', esc(run.corpus)]);
  if (run.replayOf !== null) facts.push(['replay of', `run ${run.replayOf}`]);
  facts.push(
    ['rounds', `${run.roundsDone}/${run.roundsPlanned}`],
    ['seed', String(run.seed)],
    ['created', run.createdAt.replace('T', ' ').slice(0, 19)],
    ['hive', run.toolVersion],
    ['config', run.configHash.slice(0, 12)],
  );
  return facts;
}

/** The sections a report shows, in order; empty ones are left out. */
export function reportSections(r: RunReport, esc: Escape): Section[] {
  const out: Section[] = [totalsSection(r.totals, r.healer.antibodiesPerPrompt, r.modes?.conversationStops.beforePayload), scoresSection(r)];
  if (r.categories.length > 0) out.push(categoriesSection(r));
  if (r.sources.length > 0) out.push(sourcesSection(r, esc));
  if (r.defenders.length > 0) out.push(defendersSection(r, esc));
  const hosts = hostsSection(r, esc);
  if (hosts) out.push(hosts);
  // A corpus has no attackers: its one pseudo-attacker ("corpus") would only repeat the totals.
  if (r.attackers.length > 0 && r.run.kind !== 'eval') out.push(attackersSection(r, esc));
  const calls = swarmCallsSection(r);
  if (calls) out.push(calls);
  out.push(...modeSections(r.modes, false, r.run.replayOf));
  if (r.healer.enabled || r.healer.instantBlocks > 0) {
    out.push(healerSection(r));
    if (r.healer.patterns.length > 0) out.push(patternsSection(r, esc));
    out.push(learningCurveSection(r.healer.immunity));
    const frozen = frozenSection(r.healer.immunity);
    if (frozen) out.push(frozen);
  }
  return out;
}
