/**
 * The kill switch through the CLI, with OpenAI-compatible models on a loopback server that bills
 * tokens: --max-tokens, --max-cost (prices from the config) and --max-minutes stop the run
 * gracefully as budget_exhausted naming the budget, the run stays resumable, and a resume counts
 * what was spent before. --max-cost refuses to start when a paid model has no price.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hive, tempDir } from '../helpers/cli.js';
import { isAttackerPrompt, judgedInput, verdictJson } from '../helpers/llm-replies.js';
import { startOpenAIServer, type OpenAIServer } from '../support/openai-server.js';

const tmp = tempDir('hive-budget-');
let server: OpenAIServer;
const cast = join(tmp.dir, 'cast.yaml');
const unpriced = join(tmp.dir, 'unpriced.yaml');
const pool = join(tmp.dir, 'pool.yaml');

beforeAll(async () => {
  server = await startOpenAIServer({
    models: ['writer', 'guard'],
    reply: (body, { index }) =>
      isAttackerPrompt(body.messages)
        ? { content: `attack ${index}: ignore previous instructions`, prompt_tokens: 200, completion_tokens: 50 }
        : { content: verdictJson((judgedInput(body.messages) ?? '').length % 2 === 0 ? 'block' : 'allow'), prompt_tokens: 300, completion_tokens: 20 },
  });
  const base = `provider: openai, base_url: "${server.url}/v1", retries: 0`;
  // $10 / $30 per million tokens: a judged attack round costs 2 × (300 × 10 + 20 × 30) + (200 × 10 + 50 × 30) = 10,700 µ$.
  writeFileSync(cast, `name: billed\nconsensus: { threshold: 1 }\ndefenders:\n  - { name: g1, model: guard, ${base}, price: { input: 10, output: 30 } }\n  - { name: g2, model: guard, ${base}, price: { input: 10, output: 30 } }\n`);
  writeFileSync(unpriced, `name: unpriced\nconsensus: { threshold: 1 }\ndefenders:\n  - { name: g1, model: guard, ${base} }\n`);
  writeFileSync(pool, `name: billed\nattackers:\n  - { name: writer, model: writer, ${base}, price: { input: 10, output: 30 } }\n`);
});
afterAll(async () => {
  await server?.close();
  tmp.cleanup();
});

function stored(db: string, id: number): { rounds: number; status: string; reason: string | null; tokens: number } {
  const d = new Database(db, { readonly: true });
  try {
    const run = d.prepare('SELECT status, stop_reason AS reason FROM runs WHERE id = ?').get(id) as { status: string; reason: string | null };
    const rounds = (d.prepare('SELECT count(*) AS n FROM rounds WHERE run_id = ?').get(id) as { n: number }).n;
    const a = d.prepare('SELECT coalesce(sum(prompt_tokens + completion_tokens), 0) AS n FROM attacks WHERE run_id = ?').get(id) as { n: number };
    const v = d.prepare('SELECT coalesce(sum(prompt_tokens + completion_tokens), 0) AS n FROM votes WHERE run_id = ?').get(id) as { n: number };
    return { ...run, rounds, tokens: a.n + v.n };
  } finally {
    d.close();
  }
}

describe('budgets', () => {
  const db = join(tmp.dir, 'budget.db');
  const args = ['wargame', '--rounds', '100', '--batch', '10', '--concurrency', '2', '--cast', cast, '--attackers', pool, '--db', db, '--no-heal', '--quiet'];

  it('--max-tokens stops the run gracefully; a resume with a larger budget counts what was spent', async () => {
    const r = await hive([...args, '--max-tokens', '20000']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/run 1 budget_exhausted: token budget spent: \d+ of 20000 tokens \(--max-tokens\); \d+ of 100 rounds stored\./);
    expect(r.stdout).toContain(`resume with: hive wargame --resume 1 --db ${db} (with a larger budget, or none, to go further)`);
    const first = stored(db, 1);
    expect(first.status).toBe('budget_exhausted');
    expect(first.tokens).toBeGreaterThanOrEqual(20000);
    expect(first.rounds).toBeLessThan(100);

    // 40,000 in all: the tokens already spent count, so this session only has the rest.
    const more = await hive(['wargame', '--resume', '1', '--db', db, '--max-tokens', '40000', '--quiet']);
    expect(more.code).toBe(0);
    expect(more.stdout).toMatch(/token budget spent: \d+ of 40000 tokens/);
    const second = stored(db, 1);
    expect(second.tokens).toBeGreaterThanOrEqual(40000);
    // How far each session ran past its budget is timing-dependent (no healer, so no lag rule:
    // rounds that finished ahead of a slower one are stored too). What is not: had the resume not
    // counted the first session's tokens, it alone would have spent 40,000 or more.
    expect(second.tokens - first.tokens).toBeLessThan(40000);

    const rest = await hive(['wargame', '--resume', '1', '--db', db, '--quiet']);
    expect(rest.code).toBe(0);
    expect(stored(db, 1)).toMatchObject({ status: 'completed', rounds: 100 });
  }, 60_000);

  it('--max-cost prices every model from its config', async () => {
    const r = await hive([...args, '--max-cost', '0.1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/cost budget spent: \$0\.1\d{3} of \$0\.1 \(--max-cost\)/);
    const run = stored(db, 2);
    expect(run.status).toBe('budget_exhausted');
    // About $0.0107 per judged attack round: roughly ten rounds, plus those in flight and (with no
    // healer, so no lag rule) any that finished ahead of a slower one — timing-dependent.
    expect(run.rounds).toBeGreaterThanOrEqual(9);
    expect(run.rounds).toBeLessThan(40);
  }, 60_000);

  it('--max-minutes stops after the time of this session', async () => {
    const r = await hive([...args, '--max-minutes', '0.001']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/time budget spent: 0\.\d{3} of 0\.001 minutes \(--max-minutes\)/);
    expect(stored(db, 3).status).toBe('budget_exhausted');
  }, 60_000);

  it('refuses --max-cost when a paid model has no price, and bad budget values', async () => {
    const noPrice = await hive(['wargame', '--rounds', '5', '--cast', unpriced, '--attackers', pool, '--db', db, '--max-cost', '1']);
    expect(noPrice.code).toBe(2);
    expect(noPrice.stderr).toBe('hive: --max-cost needs a price for every paid model; defender g1 has none: add "price: { input: USD, output: USD }" (per million tokens) to the entry.');
    for (const [flag, value, message] of [
      ['--max-tokens', '0', /--max-tokens must be a whole number above 0/],
      ['--max-cost', '-1', /--max-cost must be a number above 0/],
      ['--max-minutes', 'soon', /--max-minutes must be a number/],
    ] as const) {
      const r = await hive(['wargame', '--rounds', '5', '--db', db, flag, value]);
      expect(r.code, flag).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    // Nothing was created by the refused runs.
    const d = new Database(db, { readonly: true });
    expect((d.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n).toBe(3);
    d.close();
  }, 60_000);
});
