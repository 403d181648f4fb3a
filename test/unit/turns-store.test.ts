/**
 * The store of conversation and iterative rounds (migration 7): a round's turns and their votes
 * are stored in one transaction, votes carry their turn, per-defender counts take one vote per
 * defender per round (the deciding judgement), and a database of the previous schema opens with
 * its votes at turn 0 and the same tallies.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { Vote } from '../../src/domain.js';
import type { RoundRecord, TurnRecord } from '../../src/store/records.js';
import { APPLICATION_ID, MIGRATIONS } from '../../src/store/schema.js';
import { Store } from '../../src/store/store.js';
import { createCraftedRun, CRAFTED_DEFENDERS, recordCrafted } from '../helpers/crafted-run.js';
import { tempDir } from '../helpers/cli.js';

const tmp = tempDir('hive-turns-');
afterAll(() => tmp.cleanup());

const vote = (defender: string, verdict: Vote['verdict']): Vote => ({ defender, verdict, confidence: 0.9, reason: verdict, latencyMs: 1, promptTokens: 10, completionTokens: 1 });
const votesOf = (verdicts: Vote['verdict'][]): Vote[] => verdicts.map((v, i) => vote(CRAFTED_DEFENDERS[i] as string, v));
function turn(role: TurnRecord['role'], step: number, text: string, verdicts: Vote['verdict'][], decision: TurnRecord['decision'], decisive = false): TurnRecord {
  const votes = votesOf(verdicts);
  const n = (v: string) => votes.filter((x) => x.verdict === v).length;
  return { role, step, text, decision, decisive, votes, votesBlock: n('block'), votesAllow: n('allow'), votesAbstain: n('abstain'), promptTokens: 0, completionTokens: 0 };
}

/** A blocked attack conversation: turn 1 allowed, reply, turn 2 blocked in context, turn 2 allowed alone. */
function conversationRound(round: number): RoundRecord {
  const turns = [
    turn('user', 1, 'hello there', ['allow', 'allow', 'allow'], 'allow'),
    turn('assistant', 1, 'Happy to help.', [], null),
    turn('user', 2, 'now the payload', ['block', 'block', 'allow'], 'block', true),
    turn('alone', 2, 'now the payload', ['allow', 'allow', 'allow'], 'allow'),
  ];
  const decisive = turns[2] as TurnRecord;
  return {
    round, batch: 1, kind: 'attack', category: 'prompt_injection', attacker: 'alice', text: decisive.text, refused: false, strategy: 'conversation',
    attempts: 1, attackPromptTokens: 0, attackCompletionTokens: 0, attackLatencyMs: 0, source: null, outcome: 'DEFENDED', decidedBy: 'consensus',
    patternId: null, votes: decisive.votes, votesBlock: 2, votesAllow: 1, votesAbstain: 0, score: 0.66, latencyMs: 1, error: null, healerEvents: [], turns,
  };
}

describe('turns in the store', () => {
  it('stores a conversation whole, with votes per turn, and counts each defender once per round', () => {
    const store = Store.open(join(tmp.dir, 'conv.db'));
    const runId = createCraftedRun(store, { rounds: 2, batchSize: 10 });
    recordCrafted(store, runId, 1, 10, { kind: 'attack', outcome: 'DEFENDED', verdicts: ['block', 'block', 'block'] });
    store.recordRound(runId, conversationRound(2));
    expect(store.turns.count(runId)).toBe(4);
    expect([...store.turns.played(runId).get(2)!].map((t) => `${t.role}${t.step}:${t.decision}`)).toEqual(['user1:allow', 'assistant1:null', 'user2:block']);
    // No payload turn recorded (crafted like an LLM attacker's): stopped at turn 2, payload turn unknown.
    expect(store.turns.conversationEnds(runId)).toEqual([{ outcome: 'DEFENDED', payloadTurn: null, stoppedAt: 2, stoppedBy: 'block', allowedAlone: 1, n: 1 }]);
    expect(store.turns.modeOutcomes(runId).map((r) => `${r.mode}/${r.outcome}/${r.n}`)).toEqual(['conversation/DEFENDED/1', 'single/DEFENDED/1']);
    const d1 = store.votes.tallies(runId).find((t) => t.name === 'd1')!;
    // Round 1: block; round 2's deciding turn: block. Turn 1 and the alone judgement are not counted…
    expect(d1).toMatchObject({ votes: 2, block: 2, attackBlock: 2, attackAllow: 0 });
    // …but every call's tokens are: round 1 (100) and round 2's three judgements (3 × 10).
    expect(d1.promptTokens).toBe(130);
    expect([...store.votes.byRound(runId, 2, 2).get(2)!].map((v) => v.verdict)).toEqual(['block', 'block', 'allow']);
    store.close();
  });

  it('counts a defender as it would have judged a conversation or an attempt sequence alone', () => {
    const store = Store.open(join(tmp.dir, 'alone.db'));
    const runId = createCraftedRun(store, { rounds: 4, batchSize: 10 });
    const round = (n: number, outcome: RoundRecord['outcome'], turns: TurnRecord[]): RoundRecord => {
      const decisive = turns.find((t) => t.decisive) as TurnRecord;
      return {
        round: n, batch: 1, kind: 'attack', category: 'prompt_injection', attacker: 'alice', text: decisive.text, refused: false, strategy: 'crafted',
        attempts: 1, attackPromptTokens: 0, attackCompletionTokens: 0, attackLatencyMs: 0, source: null, outcome, decidedBy: 'consensus',
        patternId: null, votes: decisive.votes, votesBlock: decisive.votesBlock, votesAllow: decisive.votesAllow, votesAbstain: 0, score: 0.5, latencyMs: 1, error: null, healerEvents: [], turns,
      };
    };
    // 1: d3 alone blocks turn 2 (the swarm lets it through); the swarm stops turn 3, where d3 allows.
    store.recordRound(runId, round(1, 'DEFENDED', [
      turn('user', 1, 'hello', ['allow', 'allow', 'allow'], 'allow'),
      turn('user', 2, 'rapport', ['allow', 'allow', 'block'], 'allow'),
      turn('user', 3, 'payload', ['block', 'block', 'allow'], 'block', true),
    ]));
    // 2: a breached conversation whose turn 1 d2 blocked.
    store.recordRound(runId, round(2, 'BREACHED', [
      turn('user', 1, 'opener', ['allow', 'block', 'allow'], 'allow'),
      turn('user', 2, 'payload two', ['allow', 'allow', 'allow'], 'allow', true),
    ]));
    // 3: iterative, breached at attempt 2: only d1 blocked both attempts.
    store.recordRound(runId, round(3, 'BREACHED', [
      turn('attempt', 1, 'try one', ['block', 'block', 'block'], 'block'),
      turn('attempt', 2, 'try two', ['block', 'allow', 'allow'], 'allow', true),
    ]));
    // 4: iterative, defended at attempt 2: d2 let attempt 1 through.
    store.recordRound(runId, round(4, 'DEFENDED', [
      turn('attempt', 1, 'try three', ['block', 'allow', 'block'], 'block'),
      turn('attempt', 2, 'try four', ['block', 'block', 'block'], 'block', true),
    ]));
    const t = new Map(store.votes.tallies(runId).map((x) => [x.name, x]));
    expect(t.get('d1')).toMatchObject({ votes: 4, attackBlock: 3, attackAllow: 1 });
    expect(t.get('d2')).toMatchObject({ votes: 4, attackBlock: 2, attackAllow: 2 });
    // The deciding turn alone would give d3 one block (round 4); it blocked round 1 at turn 2 too.
    expect(t.get('d3')).toMatchObject({ votes: 4, attackBlock: 2, attackAllow: 2 });
    // Its ROC input is the vote that decided it alone: the block of round 1's turn 2 (confidence 0.9).
    const scores = store.votes.attackScores(runId, 'd3').map((s) => `${s.score.toFixed(1)}×${s.n}`).sort();
    expect(scores).toEqual(['0.1×2', '0.9×2']);
    // Tokens still count every call: 9 judged turns × 10 prompt tokens.
    expect(t.get('d3')?.promptTokens).toBe(90);
    store.close();
  });

  it('a round whose turns cannot all be stored leaves nothing behind', () => {
    const store = Store.open(join(tmp.dir, 'whole.db'));
    const runId = createCraftedRun(store, { rounds: 1, batchSize: 10 });
    const r = conversationRound(1);
    // Two votes of one defender on one turn break the primary key: the transaction is undone.
    (r.turns![0] as TurnRecord).votes.push(vote('d1', 'block'));
    expect(() => store.recordRound(runId, r)).toThrow();
    expect(store.turns.count(runId)).toBe(0);
    expect(store.rounds.list(runId)).toEqual([]);
    store.close();
  });

  it('a database of the previous schema opens with its votes at turn 0 and the same tallies', () => {
    const file = join(tmp.dir, 'v6.db');
    const d = new Database(file);
    d.pragma(`application_id = ${APPLICATION_ID}`);
    for (const m of MIGRATIONS.slice(0, 6)) d.exec(m);
    d.pragma('user_version = 6');
    d.close();
    // Rounds written by hand through the previous schema's columns.
    const raw = new Database(file);
    raw.exec(`INSERT INTO runs (id, kind, status, created_at, seed, tool_version, cast_name, rounds_planned, batch_size, config_json, config_hash, plan_json)
              VALUES (1, 'wargame', 'completed', 'now', 1, '0', 'c', 1, 1, '{}', 'h', '[]')`);
    raw.exec(`INSERT INTO rounds (run_id, round, batch, kind, category, attacker, outcome, decided_by) VALUES (1, 1, 1, 'attack', 'prompt_injection', 'a', 'DEFENDED', 'consensus')`);
    raw.exec(`INSERT INTO votes (run_id, round, defender, verdict, prompt_tokens) VALUES (1, 1, 'd1', 'block', 7), (1, 1, 'd2', 'allow', 7)`);
    raw.close();
    const store = Store.open(file);
    expect(store.votes.tallies(1).map((t) => `${t.name}:${t.votes}:${t.attackBlock}:${t.promptTokens}`)).toEqual(['d1:1:1:7', 'd2:1:0:7']);
    store.close();
    const v = new Database(file, { readonly: true });
    expect(v.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(v.prepare(`SELECT round, turn, defender FROM votes ORDER BY defender`).all()).toEqual([
      { round: 1, turn: 0, defender: 'd1' },
      { round: 1, turn: 0, defender: 'd2' },
    ]);
    const pk = (v.prepare(`PRAGMA table_info(votes)`).all() as Array<{ name: string; pk: number }>).filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
    expect(pk).toEqual(['run_id', 'round', 'turn', 'defender']);
    v.close();
  });
});
