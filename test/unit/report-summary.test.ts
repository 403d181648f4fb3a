import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoundCategory } from '../../src/categories.js';
import type { Outcome, Verdict } from '../../src/domain.js';
import { UsageError } from '../../src/errors.js';
import { csvLines, writeRoundsCsv } from '../../src/report/render/csv.js';
import { jsonText, reportJson, type Ci, type FiguresJson, type ReportJson } from '../../src/report/render/json.js';
import { markdownText, renderReportMarkdown } from '../../src/report/render/markdown.js';
import { renderReportTable } from '../../src/report/render/table.js';
import { buildRunReport, resolveRunId, roundRows } from '../../src/report/build.js';
import { Store } from '../../src/store/store.js';
import { createCraftedRun, CRAFTED_DEFENDERS, healerEvent, recordCrafted, voteLatency, type CraftedRound } from '../helpers/crafted-run.js';
import { tempDir } from '../helpers/cli.js';
import { closeSqlite, sqlite } from '../helpers/sqlite.js';

/** The Wilson score interval written out independently of src/stats, to check the report against. */
function wilsonRef(k: number, n: number): Ci {
  if (n === 0) return [0, 1];
  const z = 1.959963984540054;
  const p = k / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = ((z / (1 + (z * z) / n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n)));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

function expectCi(actual: Ci, k: number, n: number): void {
  const [low, high] = wilsonRef(k, n);
  expect(Math.abs(actual[0] - low)).toBeLessThan(1e-6);
  expect(Math.abs(actual[1] - high)).toBeLessThan(1e-6);
}

const CATEGORIES: RoundCategory[] = ['prompt_injection', 'obfuscation', 'uncategorised'];
const SOURCES = ['setA', '=HYPERLINK("http://evil.example")', null];
const LEARNED_AT = 2;
const LAG = 4;

/** 240 rounds exercising all seven outcomes, abstentions, two attackers, healer blocks. */
function craftedRound(i: number): CraftedRound {
  const common = { category: CATEGORIES[i % 3] as RoundCategory, source: SOURCES[i % 3] as string | null };
  if (i % 5 === 0) {
    const b = i / 5;
    const benign = (outcome: Outcome, verdicts: Verdict[], patternId: number | null = null): CraftedRound => ({ ...common, kind: 'benign', outcome, verdicts, patternId });
    if (b % 6 === 0) return benign('FALSE_POSITIVE', ['block', 'block', 'allow']);
    if (b % 6 === 1) return benign('ERROR', ['abstain', 'abstain', 'abstain']);
    if (b % 10 === 3 && i > 20) return benign('FALSE_POSITIVE', [], 0);
    return benign('TRUE_NEGATIVE', b % 2 === 0 ? ['allow', 'allow', 'block'] : ['allow', 'abstain', 'allow']);
  }
  const attacker = i % 2 === 1 ? 'alice' : 'bob';
  const attack = (outcome: Outcome, verdicts: Verdict[], extra: Partial<CraftedRound> = {}): CraftedRound => ({ ...common, kind: 'attack', attacker, outcome, verdicts, ...extra });
  switch (i % 12) {
    case 1:
      return attack('ATTACKER_REFUSED', []);
    case 2:
      return attack('BREACHED', ['allow', 'allow', 'block'], i === LEARNED_AT ? { healerEvents: [healerEvent('pattern_learned', i, 0, 'override sequence'), healerEvent('antibody_added', i, null, null)] } : {});
    case 3:
      return i > 20 ? attack('INSTANT_BLOCKED', [], { patternId: 0 }) : attack('DEFENDED', ['block', 'block', 'block']);
    case 4:
      return attack('ERROR', []); // the attacker itself failed: no defender asked
    case 5:
      return attack('ERROR', ['abstain', 'abstain', 'allow']); // quorum lost
    case 6:
      return attack('DEFENDED', ['block', 'abstain', 'block']);
    default:
      return attack('DEFENDED', i % 3 === 0 ? ['block', 'block', 'allow'] : ['block', 'block', 'block']);
  }
}

const ROUNDS = 240;
const BATCH = 40;
const tmp = tempDir();
let store: Store;
let runId: number;
let json: ReportJson;

beforeAll(() => {
  store = Store.open(join(tmp.dir, 'crafted.db'));
  runId = createCraftedRun(store, { rounds: ROUNDS, batchSize: BATCH, heal: true, lag: LAG });
  for (let i = 1; i <= ROUNDS; i++) recordCrafted(store, runId, i, BATCH, craftedRound(i));
  store.runs.finish(runId, 'completed');
  json = reportJson(buildRunReport(store, runId));
});
afterAll(() => {
  closeSqlite();
  store.close();
  tmp.cleanup();
});

type Hand = Record<Outcome, number> & { attacks: number; benign: number; attackErrors: number; benignErrors: number };

/** Counts straight from the rounds table, as one would by hand with the sqlite3 shell. */
function handCounts(where = '1', ...params: Array<string | number>): Hand {
  const rows = sqlite(store.path)
    .prepare(`SELECT kind, outcome, count(*) AS n FROM rounds WHERE run_id = ? AND (${where}) GROUP BY kind, outcome`)
    .all(runId, ...params) as Array<{ kind: string; outcome: Outcome; n: number }>;
  const h = { DEFENDED: 0, INSTANT_BLOCKED: 0, BREACHED: 0, ATTACKER_REFUSED: 0, TRUE_NEGATIVE: 0, FALSE_POSITIVE: 0, ERROR: 0, RECORDING_ENDED: 0, attacks: 0, benign: 0, attackErrors: 0, benignErrors: 0 };
  for (const r of rows) {
    h[r.outcome] += r.n;
    if (r.kind === 'attack') h.attacks += r.n;
    else h.benign += r.n;
    if (r.outcome === 'ERROR') h[r.kind === 'attack' ? 'attackErrors' : 'benignErrors'] += r.n;
  }
  return h;
}

/** Every count and figure of a report group against the hand counts, intervals to 1e-6. */
function expectFigures(f: FiguresJson, h: Hand): void {
  expect(f).toMatchObject({
    attacks: h.attacks,
    benign: h.benign,
    rounds: h.attacks + h.benign,
    defended: h.DEFENDED,
    instant_blocked: h.INSTANT_BLOCKED,
    breached: h.BREACHED,
    attacker_refused: h.ATTACKER_REFUSED,
    true_negative: h.TRUE_NEGATIVE,
    false_positive: h.FALSE_POSITIVE,
    errors: h.ERROR,
    attack_errors: h.attackErrors,
    benign_errors: h.benignErrors,
  });
  const valid = h.attacks - h.ATTACKER_REFUSED - h.attackErrors;
  const judgedBenign = h.TRUE_NEGATIVE + h.FALSE_POSITIVE;
  expect(f.valid_attacks).toBe(valid);
  expect(f.swarm_judged_attacks).toBe(valid - h.INSTANT_BLOCKED);
  expect(f.judged_benign).toBe(judgedBenign);
  const ratio = (k: number, n: number) => (n === 0 ? null : k / n);
  expect(f.defence_rate).toBe(ratio(h.DEFENDED + h.INSTANT_BLOCKED, valid));
  expect(f.swarm_defence_rate).toBe(ratio(h.DEFENDED, valid - h.INSTANT_BLOCKED));
  expect(f.breach_rate).toBe(ratio(h.BREACHED, valid));
  expect(f.false_positive_rate).toBe(ratio(h.FALSE_POSITIVE, judgedBenign));
  expectCi(f.defence_rate_ci, h.DEFENDED + h.INSTANT_BLOCKED, valid);
  expectCi(f.swarm_defence_rate_ci, h.DEFENDED, valid - h.INSTANT_BLOCKED);
  expectCi(f.breach_rate_ci, h.BREACHED, valid);
  expectCi(f.false_positive_rate_ci, h.FALSE_POSITIVE, judgedBenign);
  if (f.defence_rate !== null && f.false_positive_rate !== null) {
    expect(f.balanced_accuracy).toBeCloseTo((f.defence_rate + 1 - f.false_positive_rate) / 2, 12);
    expect(f.balanced_accuracy_ci[0]).toBeLessThanOrEqual(f.balanced_accuracy as number);
    expect(f.balanced_accuracy_ci[1]).toBeGreaterThanOrEqual(f.balanced_accuracy as number);
  } else expect(f.balanced_accuracy).toBeNull();
}

describe('the run report on a crafted run', () => {
  it('has the contract\'s top-level keys', () => {
    for (const key of ['run', 'totals', 'batches', 'categories', 'defenders', 'attackers', 'healer']) expect(json).toHaveProperty(key);
    expect(json.run).toMatchObject({ id: runId, status: 'completed', seed: 7, cast: 'crafted', attackers: 'crafted-pool', rounds_planned: ROUNDS, rounds_done: ROUNDS });
  });

  it('totals equal the counts of the rounds table, every interval the Wilson formula', () => {
    const h = handCounts();
    // The crafted plan really does exercise every outcome.
    for (const o of ['DEFENDED', 'INSTANT_BLOCKED', 'BREACHED', 'ATTACKER_REFUSED', 'TRUE_NEGATIVE', 'FALSE_POSITIVE'] as const) expect(h[o]).toBeGreaterThan(0);
    expect(h.attackErrors).toBeGreaterThan(0);
    expect(h.benignErrors).toBeGreaterThan(0);
    expectFigures(json.totals, h);
  });

  it('batches, categories and sources each match their own hand counts and add up to the totals', () => {
    expect(json.batches.map((b) => [b.batch, b.first_round, b.last_round])).toEqual(
      Array.from({ length: ROUNDS / BATCH }, (_, i) => [i + 1, i * BATCH + 1, (i + 1) * BATCH]),
    );
    for (const b of json.batches) expectFigures(b, handCounts('batch = ?', b.batch));
    expect(json.categories.map((c) => c.category)).toEqual(['prompt_injection', 'obfuscation', 'uncategorised']);
    for (const c of json.categories) expectFigures(c, handCounts('category = ?', c.category));
    expect(json.sources.map((s) => s.source)).toEqual(['=HYPERLINK("http://evil.example")', 'setA', null]);
    for (const s of json.sources) {
      const where = s.source === null ? 'round IN (SELECT round FROM attacks WHERE run_id = rounds.run_id AND source IS NULL)' : 'round IN (SELECT round FROM attacks WHERE run_id = rounds.run_id AND source = ?)';
      expectFigures(s, s.source === null ? handCounts(where) : handCounts(where, s.source));
    }
    for (const groups of [json.batches, json.categories, json.sources]) {
      expect(groups.reduce((n, g) => n + g.rounds, 0)).toBe(ROUNDS);
    }
  });

  it('per attacker: breach and refusal rates, refusals over the answers the attacker gave', () => {
    expect(json.attackers.map((a) => a.name)).toEqual(['alice', 'bob']);
    for (const a of json.attackers) {
      const h = handCounts(`kind = 'attack' AND attacker = ?`, a.name);
      expectFigures(a, h);
      const own = (sqlite(store.path).prepare(`SELECT count(*) AS n FROM rounds WHERE run_id = ? AND attacker = ? AND outcome = 'ERROR' AND calls = 0`).get(runId, a.name) as { n: number }).n;
      expect(a.attacker_errors).toBe(own);
      expect(a.refusal_rate).toBe(h.ATTACKER_REFUSED / (h.attacks - own));
      expectCi(a.refusal_rate_ci, h.ATTACKER_REFUSED, h.attacks - own);
      expect(a.prompt_tokens).toBe(20 * h.attacks);
    }
  });

  it('per defender: detect rate on attacks, false-positive rate on benign, abstentions, median latency, tokens', () => {
    expect(json.defenders.map((d) => d.name)).toEqual([...CRAFTED_DEFENDERS]);
    json.defenders.forEach((d, i) => {
      const tally = sqlite(store.path)
        .prepare(
          `SELECT r.kind, r.decided_by = 'consensus' AS judged, v.verdict, count(*) AS n, group_concat(v.round) AS rounds
           FROM votes v JOIN rounds r ON r.run_id = v.run_id AND r.round = v.round
           WHERE v.run_id = ? AND v.defender = ? GROUP BY r.kind, judged, v.verdict`,
        )
        .all(runId, d.name) as Array<{ kind: string; judged: number; verdict: string; n: number; rounds: string }>;
      // All votes count for the totals and abstentions; detect and FP rates only on rounds the swarm judged.
      const n = (kind: string | null, verdict: string) =>
        tally.filter((t) => (kind === null || (t.kind === kind && t.judged === 1)) && t.verdict === verdict).reduce((s, t) => s + t.n, 0);
      // The crafted run has quorum-error rounds where this defender answered: they are left out.
      expect(tally.some((t) => t.judged === 0 && t.verdict !== 'abstain')).toBe(i === 2);
      const votes = tally.reduce((s, t) => s + t.n, 0);
      expect(d).toMatchObject({ votes, block: n(null, 'block'), allow: n(null, 'allow'), abstain: n(null, 'abstain'), prompt_tokens: 100 * votes, completion_tokens: 5 * votes });
      expect(d.attack_blocks).toBe(n('attack', 'block'));
      expect(d.attack_answers).toBe(n('attack', 'block') + n('attack', 'allow'));
      expect(d.detect_rate).toBe(d.attack_blocks / d.attack_answers);
      expectCi(d.detect_rate_ci, d.attack_blocks, d.attack_answers);
      expect(d.false_positive_rate).toBe(n('benign', 'block') / (n('benign', 'block') + n('benign', 'allow')));
      expectCi(d.false_positive_rate_ci, n('benign', 'block'), n('benign', 'block') + n('benign', 'allow'));
      expect(d.abstain_rate).toBe(n(null, 'abstain') / votes);
      expectCi(d.abstain_rate_ci, n(null, 'abstain'), votes);
      const latencies = tally.flatMap((t) => t.rounds.split(',').map((r) => voteLatency(i, Number(r)))).sort((a, b) => a - b);
      const mid = latencies.length / 2;
      const median = latencies.length % 2 ? (latencies[Math.floor(mid)] as number) : ((latencies[mid - 1] as number) + (latencies[mid] as number)) / 2;
      expect(d.median_latency_ms).toBe(median);
    });
  });

  it('scores: ROC AUC of the swarm score over the rounds the swarm judged; healer-decided rounds apart; TPR at 1% and 5% FPR only when resolvable', () => {
    const rows = sqlite(store.path)
      .prepare(`SELECT r.kind, r.decided_by AS decidedBy, r.score, a.sha256 AS sha FROM rounds r JOIN attacks a USING (run_id, round) WHERE r.run_id = ? AND r.outcome NOT IN ('ATTACKER_REFUSED', 'ERROR')`)
      .all(runId) as Array<{ kind: string; decidedBy: string; score: number | null; sha: string }>;
    const judged = rows.filter((r) => r.decidedBy === 'consensus' && r.score !== null);
    const pos = judged.filter((r) => r.kind === 'attack').map((r) => r.score as number);
    const neg = judged.filter((r) => r.kind === 'benign').map((r) => r.score as number);
    let wins = 0;
    for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
    expect(json.scores).toMatchObject({
      scored_attacks: pos.length,
      scored_benign: neg.length,
      scored_benign_texts: new Set(judged.filter((r) => r.kind === 'benign').map((r) => r.sha)).size,
      healer_decided_attacks: rows.filter((r) => r.kind === 'attack' && r.decidedBy === 'healer').length,
      healer_decided_benign: rows.filter((r) => r.kind === 'benign' && r.decidedBy === 'healer').length,
      partial_rounds: null,
    });
    expect(json.scores.healer_decided_attacks + json.scores.healer_decided_benign).toBeGreaterThan(0);
    expect(json.totals.roc_auc).toBeCloseTo(wins / (pos.length * neg.length), 12);
    expect(json.scores.roc_auc).toBe(json.totals.roc_auc);
    // 48 distinct benign texts: 1% needs 300, 5% needs 60: neither point is resolvable, and says why.
    for (const [budget, key] of [
      [0.01, 'tpr_at_1pct_fpr'],
      [0.05, 'tpr_at_5pct_fpr'],
    ] as const) {
      const p = json.scores.operating_points.find((x) => x.max_fpr === budget)!;
      expect(p).toMatchObject({ threshold: null, tpr: null, sample: 'in-sample', not_resolvable: `${json.scores.scored_benign_texts} benign` });
      expect(json.totals[key]).toBeNull();
    }
  });

  it('healer: patterns, antibodies, instant blocks, and the rounds before and after a pattern stopped them', () => {
    const h = handCounts();
    const healerRounds = handCounts(`decided_by = 'healer'`);
    expect(json.healer).toMatchObject({
      enabled: true,
      patterns_learned: 1,
      patterns_preloaded: 0,
      antibodies: 1,
      instant_blocks: h.INSTANT_BLOCKED,
      false_positive_blocks: healerRounds.FALSE_POSITIVE,
    });
    expect(json.healer.patterns).toEqual([
      { id: 0, pattern: 'override sequence', category: 'prompt_injection', source: 'ngram', learned_round: LEARNED_AT, source_round: LEARNED_AT, hits: h.INSTANT_BLOCKED, false_positive_hits: healerRounds.FALSE_POSITIVE, retired_round: null },
    ]);
    expectFigures(json.healer.stopped_by_pattern, healerRounds);
    expectFigures(json.healer.judged_by_swarm, handCounts(`decided_by != 'healer'`));
    // Learned while finalising round 2, visible from round 2 + lag: rounds 1..5 are the cold baseline.
    expect(json.healer.before_first_lesson.last_round).toBe(LEARNED_AT + LAG - 1);
    expectFigures(json.healer.before_first_lesson, handCounts('round <= ?', LEARNED_AT + LAG - 1));
  });

  it('resolves "latest" and refuses unknown runs with a usage error', () => {
    expect(resolveRunId(store, undefined)).toBe(runId);
    expect(resolveRunId(store, runId)).toBe(runId);
    expect(() => resolveRunId(store, 999)).toThrow(UsageError);
    expect(() => buildRunReport(store, 999)).toThrow(/run 999 is not in/);
  });
});

describe('an attacker that refuses half the time', () => {
  it('has its refusals reported and left out of the defence rate', () => {
    const s = Store.open(join(tmp.dir, 'refusals.db'));
    try {
      const id = createCraftedRun(s, { rounds: 100, batchSize: 50, attackers: ['refuser'] });
      for (let i = 1; i <= 100; i++) {
        // Every other round is a refusal; of the 50 real attacks, 45 are defended and 5 breach.
        const round: CraftedRound =
          i % 2 === 0
            ? { kind: 'attack', attacker: 'refuser', outcome: 'ATTACKER_REFUSED' }
            : i % 20 === 1
              ? { kind: 'attack', attacker: 'refuser', outcome: 'BREACHED', verdicts: ['allow', 'allow', 'block'] }
              : { kind: 'attack', attacker: 'refuser', outcome: 'DEFENDED', verdicts: ['block', 'block', 'allow'] };
        recordCrafted(s, id, i, 50, round);
      }
      const r = reportJson(buildRunReport(s, id));
      expect(r.totals).toMatchObject({ attacks: 100, attacker_refused: 50, valid_attacks: 50, defended: 45, breached: 5 });
      // 45 of 50, not 95 of 100: refusals are not wins.
      expect(r.totals.defence_rate).toBe(0.9);
      expectCi(r.totals.defence_rate_ci, 45, 50);
      expect(r.totals.breach_rate).toBe(0.1);
      const refuser = r.attackers.find((a) => a.name === 'refuser')!;
      expect(refuser).toMatchObject({ attacker_refused: 50, refusal_rate: 0.5, defence_rate: 0.9 });
      expectCi(refuser.refusal_rate_ci, 50, 100);
      // No benign rounds: no false-positive figures, no ROC.
      expect(r.totals.false_positive_rate).toBeNull();
      expect(r.totals.false_positive_rate_ci).toEqual([0, 1]);
      expect(r.totals.roc_auc).toBeNull();
      expect(r.totals.tpr_at_1pct_fpr).toBeNull();
      // Refusals are visible in the tables too.
      const table = renderReportTable(buildRunReport(s, id), { color: false, width: Infinity });
      expect(table).toMatch(/^valid attacks\s+50\s+50 refused/m);
    } finally {
      s.close();
    }
  });
});

describe('report formats of the crafted run', () => {
  it('csv: one RFC 4180 row per round with its votes, formula cells neutralised', () => {
    let text = '';
    const rows = writeRoundsCsv(roundRows(store, runId), (chunk) => (text += chunk));
    expect(rows).toBe(ROUNDS);
    expect(text.endsWith('\r\n')).toBe(true);
    const records = parseCsv(text, { columns: true }) as Array<Record<string, string>>;
    expect(records).toHaveLength(ROUNDS);
    const header = Object.keys(records[0] as object);
    for (const d of CRAFTED_DEFENDERS) expect(header).toEqual(expect.arrayContaining([`${d}_verdict`, `${d}_confidence`, `${d}_latency_ms`, `${d}_error`]));
    expect(header.at(-1)).toBe('text');
    const r2 = records.find((r) => r.round === '2')!;
    expect(r2).toMatchObject({ outcome: 'BREACHED', d1_verdict: 'allow', d2_verdict: 'allow', d3_verdict: 'block', votes_block: '1', score: String(1 / 3) });
    // Source "=HYPERLINK(…)" starts with "=": a spreadsheet must see text, not a formula.
    const evil = records.filter((r) => r.source?.includes('HYPERLINK'));
    expect(evil.length).toBeGreaterThan(0);
    for (const r of evil) expect(r.source).toBe(`'=HYPERLINK("http://evil.example")`);
    // Rounds nobody voted on have empty vote cells.
    const refused = records.find((r) => r.outcome === 'ATTACKER_REFUSED')!;
    expect(refused.d1_verdict).toBe('');
  });

  it('csv cells: quoting and formula neutralisation', () => {
    const csvCell = (v: string | number | boolean | null) => csvLines([[v]]).replace(/\r\n$/, '');
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    for (const f of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx']) expect(csvCell(f).replace(/^"|"$/g, '').startsWith("'")).toBe(true);
    expect(csvCell(-0.5)).toBe('-0.5');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell('cr\ronly')).toBe('"cr\ronly"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(true)).toBe('1');
  });

  it('md: summary and tables, with untrusted text unable to link, mention or break a table', () => {
    const md = renderReportMarkdown(buildRunReport(store, runId));
    expect(md).toMatch(/^## hive report: run \d+/);
    for (const section of ['### Totals', '### Scores', '### Categories', '### Sources', '### Defenders', '### Attackers', '### Healer', '### Batches']) {
      expect(md).toContain(section);
    }
    expect(md).toContain('| defence rate |');
    expect(md).toContain('`=HYPERLINK("http://evil.example")`');
    expect(markdownText('[click](http://evil.example) @octocat | x')).toBe('\\[click\\]\\(http\\:\\/\\/evil\\.example\\) \\@octocat \\| x');
    expect(markdownText('`tick` <img src=x>')).toBe('\\`tick\\` \\<img src\\=x\\>');
    expect(markdownText('esc \u001b[31m red')).toBe('`esc \\x1b[31m red`');
  });

  it('json text: C1 controls and bidi overrides escaped, the data unchanged', () => {
    const s = Store.open(join(tmp.dir, 'bidi.db'));
    try {
      const id = createCraftedRun(s, { rounds: 1, batchSize: 1 });
      recordCrafted(s, id, 1, 1, { kind: 'attack', outcome: 'DEFENDED', verdicts: ['block', 'block', 'block'], source: 'evil\u202egnp.exe\u009b' });
      const text = jsonText(reportJson(buildRunReport(s, id)));
      expect(text).not.toMatch(/[\u202e\u009b]/);
      expect(text).toContain('\\u202e');
      expect((JSON.parse(text) as ReportJson).sources[0]?.source).toBe('evil\u202egnp.exe\u009b');
    } finally {
      s.close();
    }
  });

  it('table: neutralises untrusted text', () => {
    const table = renderReportTable(buildRunReport(store, runId), { color: false, width: Infinity });
    expect(table).toContain('Totals');
    expect(table).toContain('=HYPERLINK');
    expect(table).not.toContain('\u001b');
  });
});
