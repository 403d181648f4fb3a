import type { Interval, Rate } from '../stats/wilson.js';
import { counts, pct } from './format.js';
import { immunitySections } from './immunity-sections.js';
import type { GroupFigures, RunReport } from './types.js';

/**
 * The report's tables as rows of strings, shared by the terminal and Markdown renderers so the
 * two never disagree. Cells holding untrusted text (names from config files, corpus sources,
 * learned patterns) go through `esc`, which each renderer supplies.
 */

export interface Section {
  title: string;
  head: string[];
  rows: string[][];
  /** Columns to right-align (numbers). */
  numeric: number[];
  /** Printed under the table. */
  note?: string;
}

export type Escape = (untrusted: string) => string;

/** "92.4%" */
export function ratePct(r: Rate): string {
  return pct(r.rate);
}

/** "89.1–94.8%" or "—". */
export function interval(ci: Interval | null, defined: boolean): string {
  if (!ci || !defined) return '—';
  return `${(ci.low * 100).toFixed(1)}–${(ci.high * 100).toFixed(1)}%`;
}

/** "92.4% [89.1–94.8]" */
export function withCi(value: number | null, ci: Interval | null): string {
  if (value === null || !ci) return '—';
  return `${pct(value)} [${(ci.low * 100).toFixed(1)}–${(ci.high * 100).toFixed(1)}]`;
}

export function rateCi(r: Rate): string {
  return withCi(r.rate, r.ci);
}

export function totalsSection(g: GroupFigures): Section {
  const c = g.counts;
  const f = g.figures;
  const row = (name: string, r: Rate, note: string): string[] => [name, ratePct(r), interval(r.ci, r.rate !== null), `${counts(r)}${note}`];
  return {
    title: 'Totals',
    head: ['figure', 'value', '95% CI', 'counts'],
    numeric: [1, 2],
    rows: [
      ['rounds', String(c.rounds), '', `${c.attacks} attacks, ${c.benign} benign`],
      ['valid attacks', String(f.validAttacks), '', `${c.ATTACKER_REFUSED} refused and ${f.attackErrors} errored left out`],
      row('defence rate', f.defence, ` (${c.DEFENDED} by the swarm + ${c.INSTANT_BLOCKED} instant blocks)`),
      row('swarm defence rate', f.swarmDefence, ' (without instant blocks)'),
      row('breach rate', f.breach, ''),
      row('false-positive rate', f.falsePositive, ' benign blocked'),
      ['balanced accuracy', pct(f.balancedAccuracy), interval(g.balancedAccuracyCi, f.balancedAccuracy !== null), '(defence + (1 − FPR)) / 2'],
      ['errors', String(c.ERROR), '', `${f.attackErrors} attack, ${f.benignErrors} benign rounds`],
    ],
  };
}

export function scoresSection(r: RunReport): Section {
  const s = r.scores;
  const rows: string[][] = [['ROC AUC', s.rocAuc === null ? '—' : s.rocAuc.toFixed(3), '', `${s.scoredAttacks} attacks vs ${s.scoredBenign} benign`]];
  for (const p of s.operatingPoints) {
    const rule = p.threshold === null ? 'flag nothing' : `block share ≥ ${p.threshold.toFixed(3)}`;
    rows.push([
      `TPR at ≤ ${pct(p.maxFpr, 0)} FPR`,
      ratePct(p.tpr),
      interval(p.tpr.ci, p.tpr.rate !== null),
      p.tpr.rate === null ? 'needs attacks and benign rounds' : `${counts(p.tpr)} at ${rule} (FPR ${pct(p.fpr.rate, 2)}, ${counts(p.fpr)})`,
    ]);
  }
  return {
    title: 'Scores (block-vote share)',
    head: ['figure', 'value', '95% CI', 'counts'],
    numeric: [1, 2],
    rows,
    note: s.scoredBenign === 0 ? 'No benign rounds were judged, so no ROC figures: run with --benign-ratio > 0 or a corpus with benign rows.' : undefined,
  };
}

function groupCells(g: GroupFigures): string[] {
  const c = g.counts;
  const f = g.figures;
  return [
    String(c.rounds),
    String(c.attacks),
    String(c.DEFENDED),
    String(c.INSTANT_BLOCKED),
    String(c.BREACHED),
    String(c.ATTACKER_REFUSED),
    rateCi(f.defence),
    String(c.benign),
    String(c.FALSE_POSITIVE),
    rateCi(f.falsePositive),
    pct(f.balancedAccuracy),
  ];
}

const GROUP_HEAD = ['rounds', 'attacks', 'defended', 'instant', 'breached', 'refused', 'defence % [95% CI]', 'benign', 'false pos', 'FP % [95% CI]', 'bal. acc.'];
const GROUP_NUMERIC = Array.from({ length: GROUP_HEAD.length }, (_, i) => i + 1);

export function categoriesSection(r: RunReport): Section {
  return {
    title: 'Categories',
    head: ['category', ...GROUP_HEAD],
    numeric: GROUP_NUMERIC,
    rows: r.categories.map((c) => [c.category, ...groupCells(c)]),
  };
}

export function sourcesSection(r: RunReport, esc: Escape): Section {
  return {
    title: 'Sources',
    head: ['source', ...GROUP_HEAD],
    numeric: GROUP_NUMERIC,
    rows: r.sources.map((s) => [s.source === null ? '(no source)' : esc(s.source), ...groupCells(s)]),
  };
}

export function batchesSection(r: RunReport): Section {
  return {
    title: 'Batches',
    head: ['batch', 'rounds', 'attacks', 'defended', 'instant', 'breached', 'defence % [95% CI]', 'benign', 'false pos'],
    numeric: [0, 2, 3, 4, 5, 6, 7, 8],
    rows: r.batches.map((b) => [
      String(b.batch),
      `${b.firstRound}-${b.lastRound}`,
      String(b.counts.attacks),
      String(b.counts.DEFENDED),
      String(b.counts.INSTANT_BLOCKED),
      String(b.counts.BREACHED),
      rateCi(b.figures.defence),
      String(b.counts.benign),
      String(b.counts.FALSE_POSITIVE),
    ]),
  };
}

const latency = (x: number | null): string => (x === null ? '—' : x < 10 ? x.toFixed(2) : x.toFixed(0));

export function defendersSection(r: RunReport, esc: Escape): Section {
  const estimated = r.defenders.some((d) => d.estimatedTokenVotes > 0);
  return {
    title: 'Defenders',
    head: ['defender', 'model', 'votes', 'detect % [95% CI]', 'FP % [95% CI]', 'abstain %', 'service ms', 'queue ms', 'tokens in/out'],
    numeric: [2, 3, 4, 5, 6, 7, 8],
    rows: r.defenders.map((d) => [
      esc(d.name),
      d.provider === null ? '—' : esc(`${d.provider}:${d.model ?? ''}`),
      String(d.votes),
      `${rateCi(d.detect)} ${counts(d.detect)}`,
      `${rateCi(d.falsePositive)} ${counts(d.falsePositive)}`,
      `${ratePct(d.abstention)} (${d.abstain})`,
      latency(d.medianServiceMs),
      latency(d.medianQueueMs),
      `${d.estimatedTokenVotes > 0 ? '~' : ''}${d.promptTokens}/${d.completionTokens}`,
    ]),
    note:
      'detect % and FP %: block votes over the block and allow votes the defender gave on the attack and benign rounds the swarm judged; abstain %: of every vote asked of it. ' +
      'service ms: median time the model server took; queue ms: median wait for a host slot (see Hosts).' +
      (estimated ? ' ~: some counts were estimated by hive (the server reported none).' : '') +
      (r.judgedTruncated ? ` Judged on a truncated text: ${r.judgedTruncated} round(s).` : ''),
  };
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
  return {
    title: 'Attackers',
    head: ['attacker', 'model', 'attacks', 'refused', 'refusal % [95% CI]', 'errors', 'breached', 'breach % [95% CI]', 'defence % [95% CI]'],
    numeric: [2, 3, 4, 5, 6, 7, 8],
    rows: r.attackers.map((a) => [
      esc(a.name),
      a.provider === null ? '—' : esc(`${a.provider}:${a.model ?? ''}`),
      String(a.counts.attacks),
      String(a.counts.ATTACKER_REFUSED),
      rateCi(a.refusal),
      String(a.attackerErrors),
      String(a.counts.BREACHED),
      rateCi(a.figures.breach),
      rateCi(a.figures.defence),
    ]),
  };
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
      ['instant blocks', String(h.instantBlocks), `${h.falsePositiveBlocks} benign rounds blocked by a pattern`],
      [
        'judged before a pattern stopped them',
        rateCi(s.figures.defence),
        `defence on ${s.figures.validAttacks} valid attacks; FPR ${rateCi(s.figures.falsePositive)} on ${s.figures.falsePositive.n} benign`,
      ],
      ['stopped by a learned pattern', String(p.counts.rounds), `${p.counts.INSTANT_BLOCKED} attacks, ${p.counts.FALSE_POSITIVE} benign`],
      [
        `before any lesson (rounds 1-${cold.lastRound})`,
        rateCi(cold.figures.defence),
        `defence on ${cold.figures.validAttacks} valid attacks; FPR ${rateCi(cold.figures.falsePositive)} on ${cold.figures.falsePositive.n} benign`,
      ],
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
  if (!w || w.rounds === 0 || (w.strategy !== 'cascade' && w.aborted + w.skipped === 0)) return undefined;
  const total = w.calls + w.aborted + w.skipped;
  const share = (n: number): string => (total === 0 ? '—' : `${((100 * n) / total).toFixed(1)}%`);
  return {
    title: 'Swarm calls',
    head: ['figure', 'calls', 'share', 'per round'],
    numeric: [1, 2, 3],
    rows: [
      ['answered', String(w.calls), share(w.calls), (w.calls / w.rounds).toFixed(2)],
      ['cancelled in flight', String(w.aborted), share(w.aborted), (w.aborted / w.rounds).toFixed(2)],
      ['never asked (saved)', String(w.skipped), share(w.skipped), (w.skipped / w.rounds).toFixed(2)],
      ['a parallel swarm would ask', String(total), '100%', (total / w.rounds).toFixed(2)],
    ],
    note: `strategy ${w.strategy ?? 'unknown'}, ${w.rounds} rounds judged by the defenders; the decisions are the ones parallel would reach from the same votes.`,
  };
}

/** "run 3 · eval · completed · cast embedded · …" as label/value pairs. */
export function runFacts(r: RunReport, esc: Escape): Array<[string, string]> {
  const run = r.run;
  const facts: Array<[string, string]> = [
    ['run', String(run.id)],
    ['kind', run.kind],
    ['status', run.stopReason ? `${run.status} (${esc(run.stopReason)})` : run.status],
    ['cast', esc(run.castName)],
  ];
  if (run.attackersName !== null) facts.push(['attackers', esc(run.attackersName)]);
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
  const out: Section[] = [totalsSection(r.totals), scoresSection(r)];
  if (r.categories.length > 0) out.push(categoriesSection(r));
  if (r.sources.length > 0) out.push(sourcesSection(r, esc));
  if (r.defenders.length > 0) out.push(defendersSection(r, esc));
  const hosts = hostsSection(r, esc);
  if (hosts) out.push(hosts);
  // A corpus has no attackers: its one pseudo-attacker ("corpus") would only repeat the totals.
  if (r.attackers.length > 0 && r.run.kind !== 'eval') out.push(attackersSection(r, esc));
  const calls = swarmCallsSection(r);
  if (calls) out.push(calls);
  if (r.healer.enabled || r.healer.instantBlocks > 0) {
    out.push(healerSection(r));
    if (r.healer.patterns.length > 0) out.push(patternsSection(r, esc));
    out.push(...immunitySections(r));
  }
  return out;
}
