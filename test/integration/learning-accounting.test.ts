/**
 * What the healer's instant blocks were, told apart honestly: exact and near repeats of earlier
 * breaches — this run's, and those that loaded immunity was learned from — blocks whose payload
 * already breached, and new variants. A run loaded with immunity exported from a same-seed run
 * sees the same attacks again: its blocks of them are exact repeats, not new variants.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hive, tempDir } from '../helpers/cli.js';

const tmp = tempDir('hive-accounting-');
afterAll(() => tmp.cleanup());

interface Repeats {
  instant_blocks: number;
  exact: number;
  near: number;
  same_payload: number;
  novel: number;
  known_breaches: number;
  known_without_hash: number;
  known_without_payload: number;
}

async function repeatsOf(db: string, run: number): Promise<{ repeats: Repeats; instant: number }> {
  const r = await hive(['report', String(run), '--db', db, '--format', 'json']);
  expect(r.code, r.stderr).toBe(0);
  const j = JSON.parse(r.stdout) as { totals: { instant_blocked: number }; healer: { immunity: { repeats: Repeats } } };
  return { repeats: j.healer.immunity.repeats, instant: j.totals.instant_blocked };
}

describe('learning accounting', () => {
  const db = join(tmp.dir, 'hive.db');
  const file = join(tmp.dir, 'immunity.json');

  it('the repeats add up to the instant blocks, and a fresh run knows no earlier breach', async () => {
    expect((await hive(['wargame', '--rounds', '400', '--seed', '42', '--db', db, '-q'])).code).toBe(0);
    const { repeats, instant } = await repeatsOf(db, 1);
    expect(repeats.instant_blocks).toBe(instant);
    expect(repeats.exact + repeats.near + repeats.same_payload + repeats.novel).toBe(instant);
    expect(repeats.known_breaches).toBe(0);
  });

  it('an embedded cast reads no prompt: its antibodies cost no tokens, and the report says why', async () => {
    const j = JSON.parse((await hive(['report', '1', '--db', db, '--format', 'json'])).stdout) as { healer: { immunity: { antibody_tokens: { rounds: number; total: number; prompt_readers: number } } } };
    const cost = j.healer.immunity.antibody_tokens;
    expect(cost.rounds).toBeGreaterThan(0);
    expect([cost.total, cost.prompt_readers]).toEqual([0, 0]);
    const table = (await hive(['report', '1', '--db', db])).stdout.replace(/\s+/g, ' ');
    expect(table).toContain('no defender of this cast reads a prompt');
    expect(table).not.toContain('prompt tokens per defender prompt');
  });

  it('an exported immunity file (version 2) lists the breaches it was learned from', async () => {
    expect((await hive(['immunity', 'export', '1', '--db', db, '--out', file])).code).toBe(0);
    const im = JSON.parse(readFileSync(file, 'utf8')) as { version: number; breaches: Array<{ run: number; sha256: string; signature: string; payload?: string | null }> };
    expect(im.version).toBe(2);
    expect(im.breaches.length).toBeGreaterThan(0);
    for (const b of im.breaches) {
      expect(b.run).toBe(1);
      expect(b.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(b.signature).toMatch(/^[0-9a-f]{512}$/);
      // The embedded attacker's payload id travels with each breach.
      expect(typeof b.payload).toBe('string');
    }
  });

  it('a same-seed run loaded with that immunity counts its blocks of the same attacks as exact repeats', async () => {
    const r = await hive(['wargame', '--rounds', '400', '--seed', '42', '--immunity', file, '--db', db, '-q']);
    expect(r.code, r.stderr).toBe(0);
    const { repeats, instant } = await repeatsOf(db, 2);
    expect(repeats.exact).toBeGreaterThan(0);
    expect(repeats.exact + repeats.near + repeats.same_payload + repeats.novel).toBe(instant);
    // A version-2 file's antibodies are texts of breaches it lists: each breach is known once.
    const im = JSON.parse(readFileSync(file, 'utf8')) as { breaches: unknown[]; antibodies: unknown[] };
    expect(repeats.known_breaches).toBe(im.breaches.length);
    expect(repeats.known_without_hash).toBe(0);
    expect(repeats.known_without_payload).toBe(0);
  });

  it("another seed's run counts a block whose payload breached in the immunity's provenance as same_payload, and says when a file has no payload ids", async () => {
    const r = await hive(['wargame', '--rounds', '400', '--seed', '7', '--immunity', file, '--db', db, '-q']);
    expect(r.code, r.stderr).toBe(0);
    const withIds = await repeatsOf(db, 3);
    // The same file without payload ids (as written before they travelled): the same rounds, fewer same-payload blocks.
    const old = join(tmp.dir, 'immunity-no-payload.json');
    const im = JSON.parse(readFileSync(file, 'utf8')) as { breaches: Array<Record<string, unknown>> };
    for (const b of im.breaches) delete b.payload;
    writeFileSync(old, JSON.stringify(im));
    const o = await hive(['wargame', '--rounds', '400', '--seed', '7', '--immunity', old, '--db', db, '-q']);
    expect(o.code, o.stderr).toBe(0);
    const without = await repeatsOf(db, 4);
    expect(without.instant).toBe(withIds.instant);
    expect(without.repeats.known_without_payload).toBe(im.breaches.length);
    expect(withIds.repeats.same_payload).toBeGreaterThan(without.repeats.same_payload);
    expect(withIds.repeats.novel).toBe(without.repeats.novel - (withIds.repeats.same_payload - without.repeats.same_payload));
    const table = await hive(['report', '4', '--db', db]);
    expect(table.stdout.replace(/\s+/g, ' ')).toContain(`${im.breaches.length} from a file without payload ids`);
  });

  it('a version-1 file (no breaches) is matched by its antibodies only: no exact repeats, some near ones', async () => {
    const v1 = join(tmp.dir, 'immunity-v1.json');
    const im = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    delete im.breaches;
    im.version = 1;
    writeFileSync(v1, JSON.stringify(im));
    const r = await hive(['wargame', '--rounds', '400', '--seed', '42', '--immunity', v1, '--db', db, '-q']);
    expect(r.code, r.stderr).toBe(0);
    const { repeats, instant } = await repeatsOf(db, 5);
    expect(repeats.exact).toBe(0);
    expect(repeats.known_breaches).toBe(repeats.known_without_hash);
    expect(repeats.near).toBeGreaterThan(0);
    expect(repeats.exact + repeats.near + repeats.same_payload + repeats.novel).toBe(instant);
  });
});
