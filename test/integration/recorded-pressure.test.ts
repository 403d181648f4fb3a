/**
 * Replays of conversation and iterative rounds judge recorded sequences that may end early: a
 * conversation the source stopped before its payload turn, or an attempt sequence the source
 * breached with refinements left. When the replaying cast lets every recorded turn through (the
 * payload was never shown) or stops the last recorded attempt (no further attempt was recorded),
 * the round is RECORDING_ENDED — never BREACHED or DEFENDED — and is left out of every defence
 * rate with its count shown; the iterative row then agrees with the attempts curve at N + 1, and
 * the report of the replay says its figures come from recorded pressure.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hive, tempDir } from '../helpers/cli.js';
import { closeSqlite, sqlite } from '../helpers/sqlite.js';

const tmp = tempDir('hive-recorded-');
afterAll(() => {
  closeSqlite();
  tmp.cleanup();
});
const db = join(tmp.dir, 'recorded.db');
const all = <T>(sql: string, ...params: unknown[]): T[] => sqlite(db).prepare(sql).all(...params) as T[];

/** The embedded cast with another consensus threshold (of 5 defenders). */
function castWithThreshold(threshold: number): string {
  const file = join(tmp.dir, `threshold-${threshold}.yaml`);
  const text = readFileSync(join(import.meta.dirname, '..', '..', 'defenders', 'embedded.yaml'), 'utf8');
  writeFileSync(file, text.replace(/threshold: \d+/, `threshold: ${threshold}`).replace(/^name: .*$/m, `name: threshold-${threshold}`));
  return file;
}

/** Per replayed round: its outcome, the source's, how the source's last user turn or attempt was decided, and the counts that say whether the recording ended early. */
type Pair = { round: number; mode: string; outcome: string; source: string; payloadTurn: number | null; sourceLastStep: number; sourceLastDecision: string | null; recorded: number; allowed: number | null; replayLastStep: number };
function pairs(run: number): Pair[] {
  return all<Pair>(
    `SELECT r.round, CASE WHEN EXISTS (SELECT 1 FROM turns t WHERE t.run_id = 1 AND t.round = r.round AND t.role = 'user') THEN 'conversation' ELSE 'iterative' END AS mode,
       r.outcome, s.outcome AS source, s.payload_turn AS payloadTurn,
       (SELECT max(step) FROM turns t WHERE t.run_id = 1 AND t.round = r.round AND t.role IN ('user', 'attempt') AND t.decision IS NOT NULL) AS sourceLastStep,
       (SELECT decision FROM turns t WHERE t.run_id = 1 AND t.round = r.round AND t.role IN ('user', 'attempt') ORDER BY t.step DESC LIMIT 1) AS sourceLastDecision,
       (SELECT count(*) FROM turns t WHERE t.run_id = 1 AND t.round = r.round AND t.role IN ('user', 'attempt') AND t.decision IS NOT NULL) AS recorded,
       s.attempts_allowed AS allowed,
       (SELECT max(step) FROM turns t WHERE t.run_id = ? AND t.round = r.round AND t.role IN ('user', 'attempt')) AS replayLastStep
     FROM rounds r JOIN rounds s ON s.run_id = 1 AND s.round = r.round
     WHERE r.run_id = ? AND r.kind = 'attack' AND EXISTS (SELECT 1 FROM turns t WHERE t.run_id = 1 AND t.round = r.round AND t.role IN ('user', 'attempt'))
     ORDER BY r.round`,
    run,
    run,
  );
}

describe('a replay of recorded sequences that end early', () => {
  beforeAll(async () => {
    const r = await hive(['wargame', '--rounds', '200', '--multi-turn', '0.3', '--max-turns', '5', '--refinements', '3', '--seed', '42', '--db', db, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    // Run 2: a stricter cast (block at 1 of 5), run 3: a looser one (3 of 5); the shipped cast blocks at 2.
    for (const threshold of [1, 3]) expect((await hive(['replay', '1', '--cast', castWithThreshold(threshold), '--db', db, '--quiet'])).code).toBe(0);
  }, 180_000);

  it('stores an attempt sequence the source breached early, stopped at its last recorded attempt, as RECORDING_ENDED', () => {
    const iterative = pairs(2).filter((p) => p.mode === 'iterative');
    const cut = iterative.filter((p) => p.source === 'BREACHED' && p.allowed !== null && p.recorded < p.allowed && p.replayLastStep === p.recorded && p.outcome !== 'BREACHED');
    expect(cut.length).toBeGreaterThan(5);
    expect(cut.every((p) => p.outcome === 'RECORDING_ENDED')).toBe(true);
    // Nothing else is: a full recording stopped at its last attempt is a defence.
    expect(iterative.filter((p) => p.outcome === 'RECORDING_ENDED').length).toBe(cut.length);
    expect(iterative.filter((p) => p.outcome === 'DEFENDED').every((p) => p.recorded === p.allowed)).toBe(true);
  });

  it('stores a conversation the source stopped before its payload turn, allowed to its recorded end, as RECORDING_ENDED, never BREACHED', () => {
    const conversations = pairs(3).filter((p) => p.mode === 'conversation');
    const stoppedEarly = conversations.filter((p) => (p.sourceLastDecision === 'block' || p.sourceLastDecision === 'healer') && (p.payloadTurn === null || p.sourceLastStep < p.payloadTurn));
    const allowedThrough = stoppedEarly.filter((p) => p.replayLastStep === p.sourceLastStep && !['DEFENDED', 'INSTANT_BLOCKED'].includes(p.outcome));
    expect(allowedThrough.length).toBeGreaterThan(0);
    expect(allowedThrough.map((p) => p.outcome)).toEqual(allowedThrough.map(() => 'RECORDING_ENDED'));
    // A conversation the source stopped at its payload turn, allowed by the looser cast, is a breach.
    expect(conversations.filter((p) => p.outcome === 'BREACHED').every((p) => p.payloadTurn !== null && p.sourceLastStep >= p.payloadTurn)).toBe(true);
  });

  it('leaves them out of every defence rate, with their count, and the iterative row agrees with the attempts curve at N + 1', async () => {
    for (const run of [2, 3]) {
      const report = JSON.parse((await hive(['report', String(run), '--db', db, '--format', 'json'])).stdout);
      const ended = all<{ n: number }>(`SELECT count(*) AS n FROM rounds WHERE run_id = ? AND outcome = 'RECORDING_ENDED'`, run)[0]!.n;
      expect(ended).toBeGreaterThan(0);
      // Not ranked in the ROC either: no sequence score.
      expect(all(`SELECT round FROM rounds WHERE run_id = ? AND outcome = 'RECORDING_ENDED' AND score IS NOT NULL`, run)).toEqual([]);
      const t = report.totals;
      expect(t.recording_ended).toBe(ended);
      expect(t.valid_attacks).toBe(t.attacks - t.attacker_refused - t.attack_errors - ended);
      expect(t.defence_rate).toBeCloseTo((t.defended + t.instant_blocked) / t.valid_attacks, 12);
      const it = report.modes.iterative;
      const curve = report.modes.defence_after_attempts;
      expect(curve.at(-1).attempts).toBe(4);
      expect(curve.at(-1).rate).toBeCloseTo(it.defence_rate, 12);
      // A round whose recording ended is known up to its last recorded attempt: the curve at 1 is the first attempts' row.
      const first = report.modes.first_attempts;
      expect(first).toBeDefined();
      expect([curve[0].defended, curve[0].n]).toEqual([first.defended + first.instant_blocked, first.valid_attacks]);
      const table = (await hive(['report', String(run), '--db', db])).stdout;
      expect(table).toMatch(new RegExp(`Replay of run 1: conversation and iterative figures come from recorded pressure`));
      expect(table).toMatch(new RegExp(`Recording ended: ${ended} attack round`));
      expect(table).toMatch(new RegExp(`${ended} whose recording ended`));
    }
    // A wargame's report has no such note.
    expect((await hive(['report', '1', '--db', db])).stdout).not.toMatch(/recorded pressure|Recording ended/);
  });
});
