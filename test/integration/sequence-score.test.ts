/**
 * The swarm score of a conversation or an iterative round — what the ROC, its AUC and the
 * operating points rank — is the sequence's score as one thresholding detector would see it: a
 * conversation's highest user-turn score (benign ones too), an iterative round's lowest attempt
 * score; single-input rounds keep their one judgement's score.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { swarmScore } from '../../src/defense/score.js';
import type { Verdict } from '../../src/domain.js';
import { hive, tempDir } from '../helpers/cli.js';
import { closeSqlite, sqlite } from '../helpers/sqlite.js';

const tmp = tempDir('hive-sequence-score-');
afterAll(() => {
  closeSqlite();
  tmp.cleanup();
});
const db = join(tmp.dir, 'score.db');

type VoteRow = { round: number; turn: number; role: string | null; verdict: Verdict; confidence: number | null; p_block: number | null };

describe('the swarm score of a sequence', () => {
  beforeAll(async () => {
    expect((await hive(['wargame', '--rounds', '200', '--multi-turn', '0.3', '--max-turns', '5', '--refinements', '3', '--seed', '7', '--db', db, '--quiet'])).code).toBe(0);
  }, 120_000);

  it('is the highest user-turn score of a conversation and the lowest attempt score of an iterative round', () => {
    const d = sqlite(db);
    const votes = d
      .prepare(`SELECT v.round, v.turn, t.role, v.verdict, v.confidence, v.p_block FROM votes v LEFT JOIN turns t ON t.run_id = v.run_id AND t.round = v.round AND t.turn = v.turn WHERE v.run_id = 1`)
      .all() as VoteRow[];
    const rounds = d.prepare(`SELECT round, score, kind FROM rounds WHERE run_id = 1 AND decided_by = 'consensus'`).all() as Array<{ round: number; score: number | null; kind: string }>;
    const deciding = new Map((d.prepare(`SELECT round, turn FROM turns WHERE run_id = 1 AND decisive = 1`).all() as Array<{ round: number; turn: number }>).map((r) => [r.round, r.turn]));
    // Per round and judged turn, the swarm score of that judgement.
    const byTurn = new Map<number, Map<number, { role: string | null; votes: VoteRow[] }>>();
    for (const v of votes) {
      const turns = byTurn.get(v.round) ?? new Map();
      const t = turns.get(v.turn) ?? { role: v.role, votes: [] };
      t.votes.push(v);
      turns.set(v.turn, t);
      byTurn.set(v.round, turns);
    }
    const score = (vs: VoteRow[]) => swarmScore(vs.map((v) => ({ verdict: v.verdict, confidence: v.confidence, ...(v.p_block !== null ? { pBlock: v.p_block } : {}) })));
    let conversations = 0;
    let iterative = 0;
    let differFromDeciding = 0;
    for (const r of rounds) {
      const turns = [...(byTurn.get(r.round) ?? new Map()).entries()];
      const user = turns.filter(([, t]) => t.role === 'user').map(([, t]) => score(t.votes) as number);
      const attempts = turns.filter(([, t]) => t.role === 'attempt').map(([, t]) => score(t.votes) as number);
      let expected: number;
      if (user.length > 0) {
        expected = Math.max(...user);
        conversations += 1;
      } else if (attempts.length > 0) {
        expected = Math.min(...attempts);
        iterative += 1;
      } else {
        // A single input: its one judgement.
        expect(r.score).toBeCloseTo(score(turns.find(([turn]) => turn === 0)![1].votes) as number, 12);
        continue;
      }
      expect(r.score, `round ${r.round}`).toBeCloseTo(expected, 12);
      const decidingTurn = turns.find(([turn]) => turn === deciding.get(r.round));
      if (decidingTurn && Math.abs((score(decidingTurn[1].votes) as number) - expected) > 1e-9) differFromDeciding += 1;
    }
    expect(conversations).toBeGreaterThan(20);
    expect(iterative).toBeGreaterThan(50);
    // The deciding judgement's score would differ in many of them.
    expect(differFromDeciding).toBeGreaterThan(10);
  });
});
