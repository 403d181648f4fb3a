/**
 * A guard API (`provider: http`) whose url is wrong, or whose answers lack the cast's pointers:
 * `hive doctor` flags the route (status, and that the url or method is probably wrong) and exits
 * 1; `hive wargame` refuses to start (exit 2, nothing stored); a run whose every guard vote lacks
 * the block_when pointer says so, instead of waiting for hosts to answer again.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hive, tempDir } from '../helpers/cli.js';
import { closeSqlite, sqlite } from '../helpers/sqlite.js';
import { defaultGuardReply, startGuardServer, type GuardServer } from '../support/guard-server.js';

const tmp = tempDir('hive-guard-checks-');
let server: GuardServer;
beforeAll(async () => {
  server = await startGuardServer({ routes: ['/v2/guard'] });
});
afterEach(() => {
  server.setBehaviour({ reply: defaultGuardReply });
  server.resetStats();
});
afterAll(async () => {
  closeSqlite();
  await server.close();
  tmp.cleanup();
});

function cast(name: string, path: string, blockWhen = '{ pointer: /flagged, equals: true }'): string {
  const f = join(tmp.dir, `${name}.yaml`);
  writeFileSync(f, `name: ${name}\nconsensus: { threshold: 1 }\ndefenders:\n  - name: api\n    provider: http\n    url: "${server.url}${path}"\n    body: { text: "{{text}}" }\n    block_when: ${blockWhen}\n    retries: 0\n`);
  return f;
}

describe('a guard API url that answers 404', () => {
  it('fails hive doctor with the status and the url named (exit 1), spending no classification', async () => {
    const r = await hive(['doctor', '--cast', cast('wrong-url', '/v2/gaurd')]);
    expect(r.stdout).toMatch(/answers HTTP 404 to POST \(and 404 to HEAD\): the url is probably wrong/);
    expect(r.stdout).not.toMatch(/ready/);
    expect(r.code).toBe(1);
    expect(server.stats.log).toHaveLength(0);
  });

  it('is refused by the preflight of hive wargame: exit 2, no database written', async () => {
    const db = join(tmp.dir, 'wrong-url.db');
    const r = await hive(['wargame', '--rounds', '20', '--cast', cast('wrong-url-run', '/scan'), '--db', db]);
    expect(r.stderr).toMatch(/^hive: defender api: .*HTTP 404 to POST.*url is probably wrong.*The run was not started/);
    expect(r.code).toBe(2);
    const stored = existsSync(db) ? (sqlite(db).prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n : 0;
    expect(stored).toBe(0);
  });

  it('passes the right url (HEAD answers 405 there)', async () => {
    const r = await hive(['doctor', '--cast', cast('right-url', '/v2/guard')]);
    expect(r.code).toBe(0);
  });
});

describe('a guard API whose answers lack the block_when pointer', () => {
  it('ends quorum_lost with advice that names the pointer, not the hosts', async () => {
    const db = join(tmp.dir, 'pointer.db');
    const r = await hive(['wargame', '--rounds', '40', '--cast', cast('pointer', '/v2/guard', '{ pointer: /results/0/flagged, equals: true }'), '--db', db]);
    expect(r.code).toBe(1);
    const text = `${r.stdout}\n${r.stderr}`;
    expect(text).toMatch(/quorum_lost/);
    expect(text).toMatch(/\/results\/0\/flagged/);
    expect(text).toMatch(/block_when/);
    expect(text).not.toMatch(/hosts answer again/);
  });
});
