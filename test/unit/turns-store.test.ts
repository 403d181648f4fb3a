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

  it('counts a defender as it would have judged a conversation or an attempt sequence alone, and leaves it out where the turns played do not decide it', () => {
    const store = Store.open(join(tmp.dir, 'alone.db'));
    const runId = createCraftedRun(store, { rounds: 10, batchSize: 10 });
    type Extra = Partial<Pick<RoundRecord, 'kind' | 'payloadTurn' | 'attemptsAllowed' | 'decidedBy'>>;
    const round = (n: number, outcome: RoundRecord['outcome'], turns: TurnRecord[], extra: Extra = {}): RoundRecord => {
      const decisive = turns.find((t) => t.decisive) as TurnRecord;
      return {
        round: n, batch: 1, kind: 'attack', category: 'prompt_injection', attacker: 'alice', text: decisive.text, refused: false, strategy: 'crafted',
        attempts: 1, attackPromptTokens: 0, attackCompletionTokens: 0, attackLatencyMs: 0, source: null, outcome, decidedBy: 'consensus',
        patternId: null, votes: decisive.votes, votesBlock: decisive.votesBlock, votesAllow: decisive.votesAllow, votesAbstain: 0, score: 0.5, latencyMs: 1, error: null, healerEvents: [], turns,
        ...extra,
      };
    };
    // 1: payload turn unknown; d3 alone blocks turn 2 (the swarm lets it through); the swarm stops turn 3, where d3 allows.
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
    // 3: iterative, breached at attempt 2 of 4: d1 blocked both attempts played, but alone it would
    // have faced attempts 3 and 4 — unknown, left out.
    store.recordRound(runId, round(3, 'BREACHED', [
      turn('attempt', 1, 'try one', ['block', 'block', 'block'], 'block'),
      turn('attempt', 2, 'try two', ['block', 'allow', 'allow'], 'allow', true),
    ], { attemptsAllowed: 4 }));
    // 4: iterative, defended at attempt 2 (the last): d2 let attempt 1 through.
    store.recordRound(runId, round(4, 'DEFENDED', [
      turn('attempt', 1, 'try three', ['block', 'allow', 'block'], 'block'),
      turn('attempt', 2, 'try four', ['block', 'block', 'block'], 'block', true),
    ], { attemptsAllowed: 2 }));
    // 5: iterative, breached at its last attempt: d1 blocked every attempt there was — a block.
    store.recordRound(runId, round(5, 'BREACHED', [
      turn('attempt', 1, 'try five', ['block', 'block', 'block'], 'block'),
      turn('attempt', 2, 'try six', ['block', 'allow', 'allow'], 'allow', true),
    ], { attemptsAllowed: 2 }));
    // 6: payload at turn 3, stopped by the swarm at turn 2: d1's and d2's blocks of the harmless turn 2
    // are not detections, and d3 (allowed both turns played) never saw the payload — all left out.
    store.recordRound(runId, round(6, 'DEFENDED', [
      turn('user', 1, 'hi', ['allow', 'allow', 'allow'], 'allow'),
      turn('user', 2, 'context', ['block', 'block', 'allow'], 'block', true),
    ], { payloadTurn: 3 }));
    // 7: payload at turn 2, stopped there: d3 allowed the payload turn — a miss; d1 and d2 detections.
    store.recordRound(runId, round(7, 'DEFENDED', [
      turn('user', 1, 'hi again', ['allow', 'allow', 'allow'], 'allow'),
      turn('user', 2, 'the payload', ['block', 'block', 'allow'], 'block', true),
    ], { payloadTurn: 2 }));
    // 8: a benign conversation the swarm stopped at turn 2: d1 and d2 blocked (false positives);
    // d3 allowed both turns played but never saw the rest — left out.
    store.recordRound(runId, round(8, 'FALSE_POSITIVE', [
      turn('user', 1, 'a question', ['allow', 'allow', 'allow'], 'allow'),
      turn('user', 2, 'another', ['block', 'block', 'allow'], 'block', true),
    ], { kind: 'benign' }));
    // 9: an attack conversation the healer stopped at turn 2: left out for every defender.
    store.recordRound(runId, round(9, 'INSTANT_BLOCKED', [
      turn('user', 1, 'opening', ['allow', 'block', 'allow'], 'allow', true),
      turn('user', 2, 'known breach', [], 'healer'),
    ], { decidedBy: 'healer' }));
    // 10: d3 was not asked on attempt 1 (cascade): what it would have done there alone is unknown.
    const partial = turn('attempt', 1, 'try seven', ['block', 'block'], 'block');
    store.recordRound(runId, round(10, 'DEFENDED', [partial, turn('attempt', 2, 'try eight', ['block', 'block', 'block'], 'block', true)], { attemptsAllowed: 2 }));
    const t = new Map(store.votes.tallies(runId).map((x) => [x.name, x]));
    const judged = (name: string) => {
      const x = t.get(name)!;
      return { votes: x.votes, attackBlock: x.attackBlock, attackAllow: x.attackAllow, benignBlock: x.benignBlock, benignAllow: x.benignAllow };
    };
    // d1: blocks 1, 4, 5, 7, 10; allows 2; left out 3, 6, 9; false positive 8.
    expect(judged('d1')).toEqual({ votes: 7, attackBlock: 5, attackAllow: 1, benignBlock: 1, benignAllow: 0 });
    // d2: blocks 1, 2, 7, 10; allows 3, 4, 5; left out 6, and 9: a round the healer decided is
    // left out for every defender (its block of turn 1 would have stopped it, but no defender decided it).
    expect(judged('d2')).toEqual({ votes: 8, attackBlock: 4, attackAllow: 3, benignBlock: 1, benignAllow: 0 });
    // d3: blocks 1 (turn 2) and 4; allows 2, 3, 5, 7; left out 6, 8, 9, 10.
    expect(judged('d3')).toEqual({ votes: 6, attackBlock: 2, attackAllow: 4, benignBlock: 0, benignAllow: 0 });
    // Its ROC input is the vote that decided it alone: the block of round 1's turn 2 (confidence 0.9).
    const scores = (store.votes.attackScores(runId).get('d3') ?? []).map((s) => `${s.score.toFixed(1)}×${s.n}`).sort();
    expect(scores).toEqual(['0.1×4', '0.9×2']);
    // Tokens still count every call: 20 judged turns (one without d3) × 10 prompt tokens.
    expect(t.get('d3')?.promptTokens).toBe(190);
    // README's query over the view counts the same rounds.
    const readme = new Database(store.path, { readonly: true });
    const counted = readme.prepare(`SELECT defender, count(*) AS n FROM defender_votes WHERE run_id = ? GROUP BY 1 ORDER BY 1`).all(runId);
    readme.close();
    expect(counted).toEqual([{ defender: 'd1', n: 7 }, { defender: 'd2', n: 8 }, { defender: 'd3', n: 6 }]);
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
