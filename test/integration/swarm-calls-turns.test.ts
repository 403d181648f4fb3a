/**
 * Swarm call counts of conversation and iterative rounds count every judgement's calls — each
 * turn, attempt and context-free judgement, as budgets charge them — not only the deciding one's:
 * the stored `rounds.calls` add up to the votes stored, and under a cascade the calls answered,
 * cancelled and never asked add up to what a parallel swarm would ask on the same judgements.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hive, tempDir } from '../helpers/cli.js';
import { closeSqlite, sqlite } from '../helpers/sqlite.js';

const tmp = tempDir('hive-swarm-calls-');
afterAll(() => {
  closeSqlite();
  tmp.cleanup();
});
const db = join(tmp.dir, 'calls.db');
const one = (sql: string, ...params: unknown[]): number => (sqlite(db).prepare(sql).get(...params) as { n: number }).n;

const DEFENDERS = 5;

describe('swarm calls of conversation and iterative rounds', () => {
  beforeAll(async () => {
    const cascade = join(tmp.dir, 'cascade.yaml');
    writeFileSync(cascade, readFileSync(join(import.meta.dirname, '..', '..', 'defenders', 'embedded.yaml'), 'utf8').replace('strategy: parallel', 'strategy: cascade').replace(/^name: .*$/m, 'name: cascade'));
    const play = ['wargame', '--rounds', '150', '--multi-turn', '0.3', '--max-turns', '5', '--refinements', '3', '--seed', '7', '--db', db, '--quiet'];
    // Run 1: the embedded cast (parallel); run 2: the same cast as a cascade.
    expect((await hive(play)).code).toBe(0);
    expect((await hive([...play, '--cast', cascade])).code).toBe(0);
  }, 180_000);

  /** Judgements with votes: single-input rounds the swarm judged, and judged turns, attempts and context-free judgements. */
  const judgements = (run: number) =>
    one(`SELECT count(*) AS n FROM turns WHERE run_id = ? AND votes_block + votes_allow + votes_abstain > 0`, run) +
    one(`SELECT count(*) AS n FROM rounds r WHERE r.run_id = ? AND r.calls > 0 AND NOT EXISTS (SELECT 1 FROM turns t WHERE t.run_id = r.run_id AND t.round = r.round)`, run);

  it('stores every judgement\'s calls with the round, and reports them', async () => {
    for (const run of [1, 2]) {
      const votes = one(`SELECT count(*) AS n FROM votes WHERE run_id = ?`, run);
      expect(one(`SELECT sum(calls) AS n FROM rounds WHERE run_id = ?`, run)).toBe(votes);
      // More than the deciding judgements' votes: earlier turns and attempts are counted too.
      expect(votes).toBeGreaterThan(one(`SELECT sum(votes_block + votes_allow + votes_abstain) AS n FROM rounds WHERE run_id = ?`, run));
      const swarm = JSON.parse((await hive(['report', String(run), '--db', db, '--format', 'json'])).stdout).swarm;
      expect(swarm.calls).toBe(votes);
      expect(swarm.judgements).toBe(judgements(run));
    }
    // Parallel: every defender on every judgement.
    expect(one(`SELECT count(*) AS n FROM votes WHERE run_id = 1`)).toBe(DEFENDERS * judgements(1));
  });

  it('compares a cascade with what a parallel swarm would have asked on the same judgements', async () => {
    const swarm = JSON.parse((await hive(['report', '2', '--db', db, '--format', 'json'])).stdout).swarm;
    expect(swarm.calls_skipped).toBeGreaterThan(0);
    expect(swarm.calls + swarm.calls_aborted + swarm.calls_skipped).toBe(DEFENDERS * swarm.judgements);
    const table = (await hive(['report', '2', '--db', db])).stdout;
    expect(table).toMatch(new RegExp(`a parallel swarm would ask\\s+${DEFENDERS * swarm.judgements}\\s`));
  });
});
