/**
 * Several hive processes started at once on one new database file: the schema version is read and
 * migrated inside one BEGIN IMMEDIATE transaction, so exactly one process creates the tables and
 * the others wait and find them. 6 processes × 12 new files: no failure, all 72 runs stored. Each
 * process plays two rounds with one embedded detector (the signatures, which need no training):
 * what is under test is opening, migrating and writing the new file, not the swarm.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/store/schema.js';
import { tempDir } from '../helpers/cli.js';
import { buildCli, spawnHive, type BuiltCli } from '../helpers/child.js';

const tmp = tempDir('hive-concurrent-');
let cli: BuiltCli;
beforeAll(async () => {
  cli = await buildCli();
}, 60_000);
afterAll(() => {
  cli?.cleanup();
  tmp.cleanup();
});

const PROCESSES = 6;
const TRIES = 12;
const CAST = `name: signatures-only
consensus: { threshold: 1, quorum: 1, on_abstain: allow, strategy: parallel }
healer: { enabled: true, antibodies: 0, patterns_per_breach: 3, lag: 1 }
defenders:
  - { name: signatures, role: sentinel, provider: embedded, model: signatures }
`;

describe('several processes on a new database', () => {
  it(`${PROCESSES} processes × ${TRIES} new files: every process succeeds and every run is stored`, async () => {
    const failures: string[] = [];
    const cast = join(tmp.dir, 'signatures-only.yaml');
    writeFileSync(cast, CAST);
    for (let t = 0; t < TRIES; t++) {
      const db = join(tmp.dir, `try-${t}.db`);
      const children = Array.from({ length: PROCESSES }, (_, i) => spawnHive(cli, ['wargame', '--rounds', '2', '--batch', '2', '--cast', cast, '--seed', String(i + 1), '--db', db, '--quiet']));
      const ends = await Promise.all(children.map((c) => c.exited));
      ends.forEach((e, i) => {
        if (e.code !== 0) failures.push(`try ${t} process ${i}: exit ${e.code} ${children[i]?.stderr().trim()}`);
      });
      const d = new Database(db, { readonly: true });
      const runs = (d.prepare(`SELECT count(*) AS n FROM runs WHERE status = 'completed'`).get() as { n: number }).n;
      const version = d.pragma('user_version', { simple: true });
      d.close();
      if (runs !== PROCESSES) failures.push(`try ${t}: ${runs} completed runs`);
      expect(version).toBe(MIGRATIONS.length);
    }
    expect(failures).toEqual([]);
  }, 300_000);
});
