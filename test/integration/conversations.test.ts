/**
 * Conversation and iterative rounds on the embedded default: `--multi-turn 0.3 --max-turns 5
 * --refinements 3` stores every turn and attempt with its votes, outcomes are identical at
 * concurrency 1 and 8, the plan marks exactly the share asked for, a plan without the flags is
 * drawn exactly as before, and the flags are refused with one clear line when out of range.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { CATEGORY_IDS } from '../../src/categories.js';
import { drawPlan, planDigest } from '../../src/engine/plan.js';
import { hive, tempDir } from '../helpers/cli.js';

const tmp = tempDir('hive-conversations-');
afterAll(() => tmp.cleanup());
const db = join(tmp.dir, 'conv.db');

function all<T>(sql: string, ...params: unknown[]): T[] {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare(sql).all(...params) as T[];
  } finally {
    d.close();
  }
}

const planOptions = { seed: 4, rounds: 400, batchSize: 50, categories: CATEGORY_IDS, attackers: [{ name: 'a', weight: 1 }], benignRatio: 0.2, benignCount: () => 40 };

describe('the plan of conversation rounds', () => {
  it('marks round(share × attacks) attack rounds and round(share × controls) benign rounds, and changes nothing else', () => {
    const before = [...drawPlan(planOptions)];
    const with0 = drawPlan({ ...planOptions, multiTurn: 0 });
    const with3 = [...drawPlan({ ...planOptions, multiTurn: 0.3, benignConversations: () => 7 })];
    expect([...with0]).toEqual(before);
    expect(planDigest(with0)).toBe(planDigest(before));
    expect(with3.filter((p) => p.kind === 'attack' && p.conversation)).toHaveLength(Math.round(0.3 * 320));
    expect(with3.filter((p) => p.kind === 'benign' && p.conversation)).toHaveLength(Math.round(0.3 * 80));
    // Every other draw is the same: kinds, categories, attackers and ordinals.
    expect(with3.map((p) => [p.kind, p.category, p.attacker, p.ordinal])).toEqual(before.map((p) => [p.kind, p.category, p.attacker, p.ordinal]));
    // Benign conversations are dealt without replacement: 7 per category before any repeats.
    const first = with3.filter((p) => p.kind === 'benign' && p.conversation && p.category === with3.find((x) => x.kind === 'benign' && x.conversation)!.category).slice(0, 7);
    expect(new Set(first.map((p) => p.benignIndex)).size).toBe(first.length);
  });
});

describe('a wargame with --multi-turn and --refinements', () => {
  const args = ['wargame', '--rounds', '500', '--multi-turn', '0.3', '--max-turns', '5', '--refinements', '3', '--seed', '42', '--db', db, '--quiet'];
  type Row = { round: number; outcome: string; turns: number; last: string | null };
  const outcomes = (run: number) =>
    all<Row>(
      `SELECT r.round, r.outcome, (SELECT count(*) FROM turns t WHERE t.run_id = r.run_id AND t.round = r.round) AS turns,
       (SELECT group_concat(role || t.step || ':' || coalesce(decision, '-') || ':' || sha256, ' ') FROM turns t WHERE t.run_id = r.run_id AND t.round = r.round) AS last
       FROM rounds r WHERE r.run_id = ? ORDER BY r.round`,
      run,
    );

  it('stores conversation turns and attempts, and gives identical outcomes at concurrency 1 and 8', async () => {
    expect((await hive([...args, '--concurrency', '1'])).code).toBe(0);
    expect((await hive([...args, '--concurrency', '8'])).code).toBe(0);
    const a = outcomes(1);
    expect(a).toHaveLength(500);
    expect(outcomes(2)).toEqual(a);

    const roles = Object.fromEntries(all<{ role: string; n: number }>(`SELECT role, count(*) AS n FROM turns WHERE run_id = 1 GROUP BY role`).map((r) => [r.role, r.n]));
    expect(roles.user).toBeGreaterThan(0);
    expect(roles.assistant).toBeGreaterThan(0);
    expect(roles.attempt).toBeGreaterThan(0);
    // A conversation: 120 rounds (30% of 400 attacks) + 30 benign, each with at least one user turn.
    expect(all<{ n: number }>(`SELECT count(DISTINCT round) AS n FROM turns WHERE run_id = 1 AND role = 'user'`)[0]!.n).toBe(120 + 30);
    // Every judged turn has its votes under its turn number, and one decisive turn per round with turns.
    const mismatched = all<{ n: number }>(
      `SELECT count(*) AS n FROM turns t WHERE t.run_id = 1 AND t.decision IN ('block', 'allow')
       AND (SELECT count(*) FROM votes v WHERE v.run_id = 1 AND v.round = t.round AND v.turn = t.turn) != 5`,
    )[0]!.n;
    expect(mismatched).toBe(0);
    expect(all<{ n: number }>(`SELECT count(*) AS n FROM (SELECT round FROM turns WHERE run_id = 1 GROUP BY round HAVING sum(decisive) != 1)`)[0]!.n).toBe(0);
    // A round's tallies are its deciding turn's votes.
    const off = all<{ n: number }>(
      `SELECT count(*) AS n FROM rounds r JOIN turns t ON t.run_id = r.run_id AND t.round = r.round AND t.decisive = 1
       WHERE r.run_id = 1 AND (r.votes_block != t.votes_block OR r.votes_allow != t.votes_allow)`,
    )[0]!.n;
    expect(off).toBe(0);
    // Iterative rounds: attempts after a block, never more than 1 + 3, and a breach ends them.
    const attempts = all<{ round: number; n: number; outcome: string; lastDecision: string }>(
      `SELECT t.round, count(*) AS n, r.outcome, (SELECT decision FROM turns x WHERE x.run_id = 1 AND x.round = t.round AND x.role = 'attempt' ORDER BY x.turn DESC LIMIT 1) AS lastDecision
       FROM turns t JOIN rounds r ON r.run_id = t.run_id AND r.round = t.round WHERE t.run_id = 1 AND t.role = 'attempt' GROUP BY t.round`,
    );
    expect(attempts.length).toBeGreaterThan(0);
    for (const x of attempts) {
      expect(x.n).toBeLessThanOrEqual(4);
      if (x.outcome === 'BREACHED') expect(x.lastDecision).toBe('allow');
      else expect(x.n).toBe(4);
    }
    expect(attempts.some((x) => x.outcome === 'BREACHED' && x.n > 1)).toBe(true);
    // Feedback `verdict` (the default): every attempt after the first was shown the tally or the blocklist.
    expect(all<{ n: number }>(`SELECT count(*) AS n FROM turns WHERE run_id = 1 AND role = 'attempt' AND step > 1 AND (feedback IS NULL OR feedback NOT LIKE 'Blocked%')`)[0]!.n).toBe(0);
  }, 300_000);

  it('reports the modes side by side, the turn conversations were stopped at, blocks owed to context and the attempts curve, in every format', async () => {
    const json = await hive(['report', '1', '--db', db, '--format', 'json']);
    expect(json.code).toBe(0);
    const m = JSON.parse(json.stdout).modes;
    const stored = all<{ outcome: string; n: number }>(
      `SELECT outcome, count(*) AS n FROM rounds r WHERE run_id = 1 AND kind = 'attack' AND EXISTS (SELECT 1 FROM turns t WHERE t.run_id = 1 AND t.round = r.round AND t.role = 'user') GROUP BY outcome`,
    );
    const conv = Object.fromEntries(stored.map((r) => [r.outcome, r.n]));
    // Attack conversations stopped before their payload turn are counted apart, in no conversation figure.
    expect(m.conversation.attacks).toBe(120 - m.conversation_stops.before_payload);
    expect(m.blocked_at_turn.reduce((s: number, r: { rounds: number }) => s + r.rounds, 0)).toBe((conv.DEFENDED ?? 0) + (conv.INSTANT_BLOCKED ?? 0));
    expect(m.blocked_in_context).toBeGreaterThan(0);
    expect(m.blocked_only_in_context).toBeLessThanOrEqual(m.blocked_in_context);

    // The payload turn, recomputed from the turns table: the embedded attacker records it for every
    // attack conversation, and a breached conversation played every turn up to it.
    type Stop = { round: number; outcome: string; payload: number | null; played: number; stoppedAt: number | null; decision: string | null; alone: string | null };
    const stops = all<Stop>(
      `SELECT r.round, r.outcome, r.payload_turn AS payload, (SELECT max(step) FROM turns t WHERE t.run_id = 1 AND t.round = r.round AND t.role = 'user') AS played,
         (SELECT step FROM turns t WHERE t.run_id = 1 AND t.round = r.round AND t.role = 'user' AND t.decision IN ('block', 'healer')) AS stoppedAt,
         (SELECT decision FROM turns t WHERE t.run_id = 1 AND t.round = r.round AND t.role = 'user' AND t.decision IN ('block', 'healer')) AS decision,
         (SELECT a.decision FROM turns a WHERE a.run_id = 1 AND a.round = r.round AND a.role = 'alone') AS alone
       FROM rounds r WHERE r.run_id = 1 AND r.kind = 'attack' AND EXISTS (SELECT 1 FROM turns t WHERE t.run_id = 1 AND t.round = r.round AND t.role = 'user')`,
    );
    expect(stops).toHaveLength(120);
    for (const s of stops) {
      expect(s.payload, `round ${s.round}`).not.toBeNull();
      if (s.outcome === 'BREACHED') expect(s.played).toBe(s.payload);
    }
    const early = stops.filter((s) => s.stoppedAt !== null && s.stoppedAt < (s.payload as number));
    const late = stops.filter((s) => s.stoppedAt !== null && s.stoppedAt >= (s.payload as number));
    expect(early.length).toBeGreaterThan(0);
    const cs = m.conversation_stops;
    expect(cs.before_payload).toBe(early.length);
    expect(cs.at_or_after_payload).toBe(late.length);
    expect(cs.payload_unknown).toBe(0);
    expect(cs.defence_rate).toBeCloseTo(late.length / (120 - early.length), 10);
    expect(cs.defence_rate_counting_early_stops).toBeCloseTo((early.length + late.length) / 120, 10);
    expect(cs.defence_rate_early_stops_as_breaches).toBeCloseTo(late.length / 120, 10);
    // One figure everywhere: the conversation group's own rates leave the early stops out (JSON, tables, gates).
    expect(m.conversation.defence_rate).toBeCloseTo(cs.defence_rate, 10);
    expect(m.conversation.valid_attacks).toBe(120 - early.length);
    expect(m.conversation.breach_rate).toBeCloseTo(stops.filter((s) => s.outcome === 'BREACHED').length / (120 - early.length), 10);
    expect(m.conversation.balanced_accuracy).toBeCloseTo((cs.defence_rate + 1 - m.conversation.false_positive_rate) / 2, 10);
    const earlyRounds = new Set(early.map((s) => s.round));
    const texts = all<{ round: number; sha: string }>(
      `SELECT r.round, a.sha256 AS sha FROM rounds r JOIN attacks a ON a.run_id = r.run_id AND a.round = r.round WHERE r.run_id = 1 AND r.kind = 'attack'
         AND r.outcome IN ('DEFENDED', 'INSTANT_BLOCKED', 'BREACHED') AND EXISTS (SELECT 1 FROM turns t WHERE t.run_id = 1 AND t.round = r.round AND t.role = 'user')`,
    );
    expect(m.conversation.distinct_attack_texts).toBe(new Set(texts.filter((t) => !earlyRounds.has(t.round)).map((t) => t.sha)).size);
    const inContext = late.filter((s) => s.decision === 'block' && (s.stoppedAt as number) > 1);
    expect(m.blocked_in_context).toBe(inContext.length);
    expect(m.blocked_only_in_context).toBe(inContext.filter((s) => s.alone === 'allow').length);
    // The context raises alarms too: early stops of turns the swarm allows alone.
    expect(cs.before_payload_only_in_context).toBe(early.filter((s) => s.decision === 'block' && s.alone === 'allow').length);
    for (const row of m.blocked_at_turn as Array<{ turn: number; before_payload: number }>) expect(row.before_payload).toBe(early.filter((s) => s.stoppedAt === row.turn).length);
    const csv = (await hive(['report', '1', '--db', db, '--format', 'csv'])).stdout.split(/\r?\n/);
    const head = (csv[0] as string).split(',');
    const col = head.indexOf('payload_turn');
    expect(col).toBeGreaterThan(-1);
    const round1 = stops[0] as Stop;
    expect(csv.find((l) => l.startsWith(`1,${round1.round},`))?.split(',')[col]).toBe(String(round1.payload));
    // Every round's mode and the turns or attempts it played.
    const played = new Map(
      all<{ round: number; mode: string; n: number }>(
        `SELECT r.round, CASE WHEN EXISTS (SELECT 1 FROM turns t WHERE t.run_id = 1 AND t.round = r.round AND t.role = 'user') THEN 'conversation'
           WHEN EXISTS (SELECT 1 FROM turns t WHERE t.run_id = 1 AND t.round = r.round AND t.role = 'attempt') THEN 'iterative' ELSE 'single' END AS mode,
           (SELECT count(*) FROM turns t WHERE t.run_id = 1 AND t.round = r.round AND t.role IN ('user', 'attempt')) AS n FROM rounds r WHERE r.run_id = 1`,
      ).map((r) => [r.round, `${r.mode},${Math.max(1, r.n)}`]),
    );
    const [modeCol, stepsCol] = [head.indexOf('mode'), head.indexOf('turns_or_attempts')];
    expect(stepsCol).toBe(modeCol + 1);
    const csvRounds = csv.filter((l) => /^1,\d+,/.test(l)).map((l) => l.split(','));
    expect(csvRounds).toHaveLength(500);
    for (const cells of csvRounds) expect(`${cells[modeCol]},${cells[stepsCol]}`, cells[1]).toBe(played.get(Number(cells[1])));
    expect(new Set(csvRounds.map((c) => c[modeCol]))).toEqual(new Set(['single', 'conversation', 'iterative']));
    const curve = m.defence_after_attempts.map((d: { rate: number }) => d.rate);
    expect(curve).toHaveLength(4);
    for (let i = 1; i < curve.length; i++) expect(curve[i]).toBeLessThan(curve[i - 1]);
    expect(curve.at(-1)).toBeCloseTo(m.iterative.defence_rate, 10);
    // --refinements 3 makes every non-conversation attack iterative: the first attempts stand as the single-turn row.
    expect(m.single.attacks).toBe(0);
    expect(m.first_attempts.attacks).toBe(m.iterative.attacks);
    expect(m.first_attempts.defence_rate).toBeCloseTo(curve[0], 10);
    const firstBlocked = all<{ n: number }>(
      `SELECT count(*) AS n FROM turns t JOIN rounds r ON r.run_id = t.run_id AND r.round = t.round WHERE t.run_id = 1 AND r.kind = 'attack' AND t.role = 'attempt' AND t.step = 1 AND t.decision IN ('block', 'healer')`,
    )[0]!.n;
    expect(m.first_attempts.defended + m.first_attempts.instant_blocked).toBe(firstBlocked);
    // The first attempts' interval takes the text as unit, like every other row.
    const firstTexts = all<{ n: number }>(
      `SELECT count(DISTINCT t.sha256) AS n FROM turns t JOIN rounds r ON r.run_id = t.run_id AND r.round = t.round WHERE t.run_id = 1 AND r.kind = 'attack' AND t.role = 'attempt' AND t.step = 1 AND t.decision IN ('block', 'healer', 'allow')`,
    )[0]!.n;
    expect(m.first_attempts.distinct_attack_texts).toBe(firstTexts);
    expect(m.attempts_to_breach.reduce((s: number, r: { rounds: number }) => s + r.rounds, 0)).toBe(m.iterative.breached);
    for (const format of ['table', 'markdown', 'html']) {
      const r = await hive(['report', '1', '--db', db, '--format', format]);
      expect(r.code, format).toBe(0);
      expect(r.stdout, format).toContain('Single-turn, multi-turn and iterative rounds');
      expect(r.stdout, format).toContain('defence after each attempt');
      expect(r.stdout, format).toContain('stopped before the payload turn');
      expect(r.stdout, format).toContain('the first attempts of the iterative rounds');
      expect(r.stdout, format).toContain('defence rate (blocks at the payload turn or later)');
      expect(r.stdout, format).toContain('defence rate counting early stops as defences');
    }
    // A run without the flags has no modes at all: its report is what it always was.
    expect((await hive(['wargame', '--rounds', '30', '--db', db, '--quiet'])).code).toBe(0);
    expect(JSON.parse((await hive(['report', '3', '--db', db, '--format', 'json'])).stdout).modes).toBeUndefined();
  }, 120_000);

  it('fits the modes table in 80 columns, gives the conversation row the payload-turn rate and says which rows overlap', async () => {
    const m = JSON.parse((await hive(['report', '1', '--db', db, '--format', 'json'])).stdout).modes;
    const out = (await hive(['report', '1', '--db', db], { COLUMNS: '80' })).stdout.split('\n');
    const start = out.indexOf('Single-turn, multi-turn and iterative rounds');
    const end = out.indexOf('', start);
    const table = out.slice(start, end);
    for (const line of table) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(table[1]).toMatch(/^rounds played as /);
    const row = (label: string) => table.find((l) => l.startsWith(`${label} `)) as string;
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    expect(row('conversation')).toContain(pct(m.conversation_stops.defence_rate));
    expect(m.conversation_stops.defence_rate).toBeCloseTo(m.conversation.defence_rate, 10);
    expect(m.conversation_stops.defence_rate).not.toBeCloseTo(m.conversation_stops.defence_rate_counting_early_stops, 3);
    // Its balanced accuracy is made from that rate too, not from the one counting early stops.
    const wide = (await hive(['report', '1', '--db', db], { COLUMNS: '200' })).stdout.split('\n');
    const wideRow = wide.slice(wide.indexOf('Single-turn, multi-turn and iterative rounds')).find((l) => l.startsWith('conversation ')) as string;
    expect(wideRow.trim().split(/\s+/).at(-1)).toBe(pct((m.conversation_stops.defence_rate + 1 - m.conversation.false_positive_rate) / 2));
    const cs = m.conversation_stops;
    const note = table.join(' ').replace(/\s+/g, ' ');
    expect(note).toContain(`"conversation" figures leave out the ${cs.before_payload} attack conversation${cs.before_payload === 1 ? '' : 's'} stopped before the payload turn (alarms on harmless turns): defence ${cs.at_or_after_payload}/${m.conversation.valid_attacks}.`);
    expect(note).toContain('They are the same rounds as "iterative" (the rows overlap)');
    // Counts agree with their nouns through the one plural helper: no "conversation(s)".
    expect(note).not.toContain('(s)');
    // The healer learned from refined attempts too: the note gives the swarm's own first-attempt rate.
    expect(note).toContain(`Their instant blocks (${m.first_attempts.instant_blocked}) come from patterns`);
    expect(note).toContain(`${pct(m.first_attempts.swarm_defence_rate)} [`);
    expect(row('first attempts')).toBeDefined();
    // The healer's rows say their unit, and the turns and attempts it stopped are counted apart from rounds.
    const healer = JSON.parse((await hive(['report', '1', '--db', db, '--format', 'json'])).stdout).healer;
    const stoppedTurns = all<{ n: number }>(`SELECT count(*) AS n FROM turns WHERE run_id = 1 AND role IN ('user', 'attempt') AND decision = 'healer'`)[0]!.n;
    expect(healer.turns_stopped).toBe(stoppedTurns);
    expect(stoppedTurns).toBeGreaterThan(healer.instant_blocks);
    const healerRows = out.slice(out.indexOf('Healer')).join('\n');
    expect(healerRows).toMatch(new RegExp(`^turns and attempts stopped\\s+${stoppedTurns}\\s`, 'm'));
    expect(healerRows).toMatch(new RegExp(`^instant blocks\\s+${healer.instant_blocks}\\s+attack rounds;`, 'm'));
    // The totals say how many of their defended rounds were stops before the payload turn.
    expect(out.join(' ').replace(/\s+/g, ' ')).toContain(`Of the defended rounds, ${cs.before_payload} are attack conversations stopped before the payload turn`);
    // A run without iterative rounds has no all-zero "iterative" row, at the end of the wargame and in its report.
    const plain = join(tmp.dir, 'plain.db');
    const run = await hive(['wargame', '--rounds', '100', '--multi-turn', '0.3', '--db', plain], { COLUMNS: '80' });
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    const at = lines.indexOf('Single-turn, multi-turn and iterative rounds');
    const modes = lines.slice(at, lines.indexOf('', at));
    expect(modes.some((l) => l.startsWith('conversation '))).toBe(true);
    expect(modes.some((l) => l.startsWith('iterative'))).toBe(false);
    for (const line of modes) expect(line.length, line).toBeLessThanOrEqual(80);
  }, 120_000);

  it("gives with README's per-defender query exactly the report's votes and blocks, leaving out rounds the healer decided", async () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
    const sql = /sqlite3 runs\/hive\.db "(SELECT defender, [^"]*FROM defender_votes[^"]*)"/.exec(readme)?.[1] as string;
    expect(sql).toBeDefined();
    const fromReadme = all<{ defender: string; blocks: number; rounds: number }>(sql);
    const defenders = JSON.parse((await hive(['report', '1', '--db', db, '--format', 'json'])).stdout).defenders as Array<{ name: string; votes: number; block: number }>;
    expect(fromReadme.map((d) => [d.defender, d.blocks, d.rounds]).sort()).toEqual(defenders.map((d) => [d.name, d.block, d.votes]).sort());
    // The run has conversation and iterative rounds the healer stopped after the swarm had judged earlier turns: none is in the view.
    const healerWithVotes = all<{ n: number }>(`SELECT count(DISTINCT v.round) AS n FROM votes v JOIN rounds r ON r.run_id = v.run_id AND r.round = v.round WHERE v.run_id = 1 AND r.decided_by = 'healer'`)[0]!.n;
    expect(healerWithVotes).toBeGreaterThan(0);
    expect(all(`SELECT 1 FROM defender_votes v JOIN rounds r ON r.run_id = v.run_id AND r.round = v.round WHERE v.run_id = 1 AND r.decided_by = 'healer'`)).toEqual([]);
    // Every defender answers every round (embedded detectors): one vote each per single-input round
    // left in the view; of conversation and iterative rounds, only those whose turns played decide
    // the defender's verdict alone (docs/conversations.md), so the counts differ by defender.
    const judged = all<{ n: number }>(`SELECT count(*) AS n FROM rounds r WHERE r.run_id = 1 AND r.decided_by != 'healer' AND EXISTS (SELECT 1 FROM votes v WHERE v.run_id = 1 AND v.round = r.round)`)[0]!.n;
    const singles = all<{ n: number }>(`SELECT count(*) AS n FROM rounds r WHERE r.run_id = 1 AND r.decided_by != 'healer' AND EXISTS (SELECT 1 FROM votes v WHERE v.run_id = 1 AND v.round = r.round AND v.turn = 0)`)[0]!.n;
    for (const d of fromReadme) {
      expect(d.rounds, d.defender).toBeLessThan(judged);
      expect(all<{ n: number }>(`SELECT count(*) AS n FROM defender_votes WHERE run_id = 1 AND defender = ? AND turn = 0`, d.defender)[0]!.n, d.defender).toBe(singles);
    }
    expect(new Set(fromReadme.map((d) => d.rounds)).size).toBeGreaterThan(1);
  });

  it('replays conversation and iterative rounds turn by turn, and compare pairs them, saying they carry recorded pressure', async () => {
    // With its own cast, a replay reproduces every round and every stored turn's decision.
    const same = await hive(['replay', '1', '--cast', join(import.meta.dirname, '..', '..', 'defenders', 'embedded.yaml'), '--db', db, '--quiet']);
    expect(same.code, same.stderr).toBe(0);
    expect(same.stderr).toMatch(/judged in order by this cast, stopping where it blocks\. This compares casts on the same recorded pressure/);
    const decisions = (run: number) => all<{ d: string }>(`SELECT round || role || step || coalesce(decision, '-') AS d FROM turns WHERE run_id = ? AND role != 'alone' ORDER BY round, turn`, run).map((r) => r.d);
    expect(outcomes(4).map((r) => `${r.round}${r.outcome}`)).toEqual(outcomes(1).map((r) => `${r.round}${r.outcome}`));
    expect(decisions(4)).toEqual(decisions(1));
    // Another cast (block at 1 of 5): the same recorded turns, stopped where it blocks.
    const strict = join(tmp.dir, 'strict.yaml');
    writeFileSync(strict, readFileSync(join(import.meta.dirname, '..', '..', 'defenders', 'embedded.yaml'), 'utf8').replace('threshold: 2', 'threshold: 1').replace(/^name: .*$/m, 'name: strict'));
    expect((await hive(['replay', '1', '--cast', strict, '--db', db, '--quiet'])).code).toBe(0);
    const withTurns = all<{ n: number }>(`SELECT count(DISTINCT round) AS n FROM turns WHERE run_id = 1`)[0]!.n;
    const compared = await hive(['compare', '1', '5', '--db', db, '--format', 'json']);
    expect(compared.code, compared.stderr).toBe(0);
    const c = JSON.parse(compared.stdout);
    expect(c).toMatchObject({ paired: true, basis: 'replay', rounds: 500, mismatched_rounds: 0, recorded_pressure_rounds: withTurns });
    // Every turn the strict cast judged is a turn the source recorded, in the same place.
    const recorded = new Set(all<{ k: string }>(`SELECT round || '/' || role || step || '/' || sha256 AS k FROM turns WHERE run_id = 1 AND role IN ('user', 'assistant', 'attempt')`).map((r) => r.k));
    const replayed = all<{ k: string }>(`SELECT round || '/' || role || step || '/' || sha256 AS k FROM turns WHERE run_id = 5 AND role IN ('user', 'assistant', 'attempt')`).map((r) => r.k);
    expect(replayed.filter((k) => !recorded.has(k))).toEqual([]);
    const table = await hive(['compare', '1', '5', '--db', db]);
    expect(table.stdout).toMatch(/one run stopping sooner or not: compared on the same recorded pressure \(the turns and attempts of run 1, adapted to its cast's verdicts\)/);
    // A cast whose preflight fails (no server at its host): the error is the only line, no recorded-pressure note before it.
    const down = join(tmp.dir, 'down.yaml');
    writeFileSync(down, 'name: down\nconsensus: { threshold: 1 }\ndefenders:\n  - { name: g, role: guardian, provider: ollama, model: "m:1b", host: "http://127.0.0.1:9" }\n');
    const refused = await hive(['replay', '1', '--cast', down, '--db', db, '--quiet']);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).not.toMatch(/recorded pressure/);
  }, 300_000);

  it('takes the conversation as the unit when benign conversations are dealt again (13 per category)', async () => {
    const repeated = join(tmp.dir, 'repeated.db');
    expect((await hive(['wargame', '--rounds', '200', '--benign-ratio', '0.5', '--multi-turn', '1', '--category', 'prompt_injection', '--db', repeated])).code).toBe(0);
    const r = JSON.parse((await hive(['report', '1', '--db', repeated, '--format', 'json'])).stdout);
    const c = r.modes.conversation;
    expect(c.benign).toBe(100);
    expect(c.distinct_benign_texts).toBeLessThan(20);
    expect(c.benign_design_effect).toBeGreaterThan(4);
    // The same interval as the totals', which already take the text as the unit.
    expect(c.false_positive_rate_ci).toEqual(r.totals.false_positive_rate_ci);
  });

  it('counts at k attempts only the rounds whose attacker could make k attempts, breached or not (attackers with 1 and 3 refinements)', async () => {
    const mixed = join(tmp.dir, 'mixed.db');
    const pool = join(tmp.dir, 'mixed.yaml');
    writeFileSync(pool, 'name: mixed\nattackers:\n  - { name: a1, provider: embedded, model: mutator, refinements: 1 }\n  - { name: a3, provider: embedded, model: mutator, refinements: 3 }\n');
    expect((await hive(['wargame', '--rounds', '150', '--attackers', pool, '--db', mixed])).code).toBe(0);
    const r = JSON.parse((await hive(['report', '1', '--db', mixed, '--format', 'json'])).stdout);
    const d = new Database(mixed, { readonly: true });
    // Per iterative attack round: its attacker's budget (refinements + 1), its attempts, whether it breached.
    const ends = d
      .prepare(`SELECT CASE r.attacker WHEN 'a1' THEN 2 ELSE 4 END AS budget, max(t.step) AS attempts, r.outcome = 'BREACHED' AS breached FROM turns t JOIN rounds r ON r.run_id = t.run_id AND r.round = t.round
        WHERE t.run_id = 1 AND t.role = 'attempt' AND r.kind = 'attack' AND r.outcome IN ('BREACHED', 'DEFENDED', 'INSTANT_BLOCKED') GROUP BY t.round`)
      .all() as Array<{ budget: number; attempts: number; breached: number }>;
    d.close();
    // Both budgets breached at attempt 1 or 2, and the short budget was defended: the case the old rule got wrong.
    expect(ends.some((e) => e.budget === 2 && e.breached === 1)).toBe(true);
    expect(ends.some((e) => e.budget === 2 && e.breached === 0)).toBe(true);
    expect(r.modes.defence_after_attempts.map((p: { attempts: number }) => p.attempts)).toEqual([1, 2, 3, 4]);
    for (const point of r.modes.defence_after_attempts as Array<{ attempts: number; rate: number; n: number; defended: number }>) {
      const able = ends.filter((e) => e.budget >= point.attempts);
      const defended = able.filter((e) => e.breached === 0 || e.attempts > point.attempts).length;
      expect([point.n, point.defended]).toEqual([able.length, defended]);
      expect(point.rate).toBeCloseTo(defended / able.length, 10);
    }
    const at3 = r.modes.defence_after_attempts[2];
    expect(at3.n).toBe(ends.filter((e) => e.budget === 4).length);
    // The table shows the counts beside each rate.
    const table = (await hive(['report', '1', '--db', mixed])).stdout;
    expect(table).toContain(`${at3.defended}/${at3.n}`);
  });

  it('refuses out-of-range values with one line', async () => {
    const r = await hive(['wargame', '--rounds', '10', '--multi-turn', '1.5', '--db', db, '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--multi-turn/);
    // One user turn is a single input, not a conversation.
    const one = await hive(['wargame', '--rounds', '10', '--multi-turn', '0.3', '--max-turns', '1', '--db', db, '--quiet']);
    expect([one.code, one.stderr]).toEqual([2, 'hive: --max-turns must be a whole number from 2 to 20: a conversation needs at least 2 user turns (got 1).']);
  });

  it('says in one line when the flags play no conversation: a share that rounds to none, --max-turns without --multi-turn', async () => {
    const none = join(tmp.dir, 'none.db');
    const tiny = await hive(['wargame', '--rounds', '50', '--multi-turn', '0.001', '--db', none, '--quiet']);
    expect(tiny.code, tiny.stderr).toBe(0);
    const said = (r: { stdout: string; stderr: string }, text: string) => `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => l.includes(text));
    expect(said(tiny, 'plays no attack conversation')).toEqual(['hive: note: --multi-turn 0.001 plays no attack conversation: 0.001 × 40 attack rounds rounds to 0; raise --multi-turn or --rounds.']);
    const turns = await hive(['wargame', '--rounds', '20', '--max-turns', '3', '--db', none, '--quiet']);
    expect(turns.code, turns.stderr).toBe(0);
    expect(said(turns, '--max-turns')).toHaveLength(1);
    expect(said(turns, '--max-turns')[0]).toContain('without --multi-turn R no conversation is played');
    // A share that gives conversations says nothing of the kind.
    const some = await hive(['wargame', '--rounds', '50', '--multi-turn', '0.1', '--db', none, '--quiet']);
    expect(said(some, 'no attack conversation')).toEqual([]);
  });
});
