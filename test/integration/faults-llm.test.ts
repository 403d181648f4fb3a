/**
 * Model hosts failing under a real run, through the real clients and loopback servers: a host
 * carrying two of three defenders dies mid-run (quorum lost: the run stops with a clear message,
 * no round of the outage is stored, nothing counts as a breach; resuming is refused while the
 * host is down and completes once it is back); a 429 storm (backoff, the run completes, nothing
 * abstains); and a real process whose model calls hang (the first Ctrl-C waits for them, the
 * second cancels them).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, spawnHive, type BuiltCli } from '../helpers/child.js';
import { hive, tempDir } from '../helpers/cli.js';
import { eventually } from '../helpers/eventually.js';
import { judgedInput, verdictJson } from '../helpers/llm-replies.js';
import { startRelay, type Relay } from '../helpers/proxy.js';
import { startOllamaServer, type OllamaServer } from '../support/ollama-server.js';
import { startOpenAIServer, type OpenAIServer } from '../support/openai-server.js';

const tmp = tempDir('hive-faults-');
afterAll(() => tmp.cleanup());

/** A deterministic verdict per input, so runs can be compared. */
const verdictFor = (input: string): 'block' | 'allow' => (input.length % 3 === 0 ? 'allow' : 'block');

function all<T>(db: string, sql: string, ...params: unknown[]): T[] {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare(sql).all(...params) as T[];
  } finally {
    d.close();
  }
}

describe('a defender host dies mid-run', () => {
  let near: OllamaServer;
  let relay: Relay;
  let far: OpenAIServer;
  const cast = join(tmp.dir, 'split-cast.yaml');
  const db = join(tmp.dir, 'quorum.db');
  let killAt = Number.POSITIVE_INFINITY;

  beforeAll(async () => {
    near = await startOllamaServer({
      models: ['qwen2.5:7b', 'llama3.2:3b'],
      reply: (body, { index }) => {
        // The host goes away while it is answering request `killAt`.
        if (index === killAt) void relay.down();
        return verdictJson(verdictFor(judgedInput(body.messages) ?? ''));
      },
    });
    relay = await startRelay(near.url);
    far = await startOpenAIServer({ models: ['guard'], reply: (body) => verdictJson(verdictFor(judgedInput(body.messages) ?? '')) });
    writeFileSync(
      cast,
      `name: split
consensus: { threshold: 2, quorum: 2, on_abstain: allow }
defenders:
  - { name: near1, provider: ollama, model: "qwen2.5:7b",  host: "${relay.url}", retries: 1, backoff_ms: 1, timeout_ms: 5000 }
  - { name: near2, provider: ollama, model: "llama3.2:3b", host: "${relay.url}", retries: 1, backoff_ms: 1, timeout_ms: 5000 }
  - { name: far,   provider: openai, model: guard, base_url: "${far.url}/v1", retries: 1, backoff_ms: 1 }
`,
    );
  });
  afterAll(async () => {
    await Promise.all([relay?.close(), near?.close(), far?.close()]);
  });

  it('stops as quorum_lost with a clear message instead of recording error rounds', async () => {
    killAt = 2 * 60; // two near defenders per round: dies around round 60
    const r = await hive(['wargame', '--rounds', '200', '--batch', '20', '--concurrency', '4', '--cast', cast, '--db', db, '--no-heal']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/run 1 quorum_lost: quorum lost: 5 rounds in a row \(\d+-\d+\) had fewer than 2 of 3 defenders answering; failing: near\d \(.*\), near\d \(/);
    expect(r.stdout).toMatch(/ECONNREFUSED|refused|reach/i);
    expect(r.stdout).toContain(`resume with: hive wargame --resume 1 --db ${db}`);

    const [run] = all<{ status: string; stop_reason: string }>(db, 'SELECT status, stop_reason FROM runs WHERE id = 1');
    expect(run?.status).toBe('quorum_lost');
    expect(run?.stop_reason).toMatch(/^quorum lost: 5 rounds in a row/);
    const rounds = all<{ round: number; outcome: string }>(db, 'SELECT round, outcome FROM rounds WHERE run_id = 1 ORDER BY round');
    // Rounds up to the outage are kept, gap-free; none of the outage is stored, so none is a breach.
    expect(rounds.length).toBeGreaterThan(40);
    expect(rounds.length).toBeLessThan(70);
    expect(rounds.map((x) => x.round)).toEqual(Array.from({ length: rounds.length }, (_, i) => i + 1));
    expect(rounds.filter((x) => x.outcome === 'ERROR')).toEqual([]);
  }, 60_000);

  it('refuses to resume while the host is down, and completes the run once it is back', async () => {
    const down = await hive(['wargame', '--resume', '1', '--db', db]);
    expect(down.code).toBe(2);
    expect(down.stderr).toMatch(/^hive: defender near1: .*hive doctor/);
    expect(all<{ status: string }>(db, 'SELECT status FROM runs WHERE id = 1')[0]?.status).toBe('quorum_lost');

    await relay.up();
    const up = await hive(['wargame', '--resume', '1', '--db', db, '--quiet']);
    expect(up.stderr).toBe('');
    expect(up.code).toBe(0);
    expect(up.stdout).toMatch(/^run 1 resumed \(was quorum_lost\)/);
    const rounds = all<{ round: number; outcome: string }>(db, 'SELECT round, outcome FROM rounds WHERE run_id = 1 ORDER BY round');
    expect(rounds.map((x) => x.round)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(rounds.filter((x) => x.outcome === 'ERROR')).toEqual([]);
    // Per batch, how each defender held up is stored; nobody was degraded in the end.
    expect(all<{ n: number }>(db, 'SELECT count(*) AS n FROM defender_batches WHERE run_id = 1')[0]?.n).toBe(10 * 3);
  }, 60_000);
});

describe('a 429 storm', () => {
  let storm: OpenAIServer;
  let calm: OllamaServer;
  const cast = join(tmp.dir, 'storm-cast.yaml');

  beforeAll(async () => {
    const seen = new Map<string, number>();
    storm = await startOpenAIServer({
      models: ['guard'],
      // Every input is refused three times with 429 before it is answered.
      reply: (body) => {
        const input = judgedInput(body.messages) ?? '';
        // Keyed by the whole prompt (it carries the round's nonce): two rounds with the same text are two votes.
        const key = JSON.stringify(body.messages);
        const n = (seen.get(key) ?? 0) + 1;
        seen.set(key, n);
        return n <= 3 ? { status: 429, headers: { 'retry-after': '0' }, body: { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } } } : verdictJson(verdictFor(input));
      },
    });
    calm = await startOllamaServer({ models: ['qwen2.5:7b'], reply: (body) => verdictJson(verdictFor(judgedInput(body.messages) ?? '')) });
    writeFileSync(
      cast,
      `name: storm
consensus: { threshold: 2, quorum: 2, on_abstain: allow }
defenders:
  - { name: busy1, provider: openai, model: guard, base_url: "${storm.url}/v1", retries: 4, backoff_ms: 2 }
  - { name: calm,  provider: ollama, model: "qwen2.5:7b", host: "${calm.url}" }
`,
    );
  });
  afterAll(async () => {
    await Promise.all([storm?.close(), calm?.close()]);
  });

  it('backs off and retries; the run completes with every vote answered', async () => {
    const db = join(tmp.dir, 'storm.db');
    const r = await hive(['wargame', '--rounds', '60', '--batch', '20', '--concurrency', '6', '--cast', cast, '--db', db, '--no-heal', '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const votes = all<{ verdict: string; n: number }>(db, `SELECT verdict, count(*) AS n FROM votes WHERE run_id = 1 AND defender = 'busy1' GROUP BY verdict`);
    expect(votes.find((v) => v.verdict === 'abstain')).toBeUndefined();
    const answered = votes.reduce((n, v) => n + v.n, 0);
    expect(answered).toBe(60);
    // Four requests per vote: three 429s, then the answer.
    expect(storm.stats.chatLog.length).toBe(4 * answered);
    expect(all<{ n: number }>(db, `SELECT count(*) AS n FROM rounds WHERE run_id = 1 AND outcome = 'ERROR'`)[0]?.n).toBe(0);
  }, 60_000);
});

describe('a defender that keeps failing', () => {
  let flaky: OpenAIServer;
  let calm: OllamaServer;
  const cast = join(tmp.dir, 'flaky-cast.yaml');

  beforeAll(async () => {
    flaky = await startOpenAIServer({
      models: ['guard'],
      // Rounds 21-40 ask it about inputs it fails on half the time; otherwise it answers.
      reply: (body, { index }) => (index >= 20 && index < 40 && index % 2 === 0 ? { status: 503, body: 'overloaded \u001b[31m' } : verdictJson(verdictFor(judgedInput(body.messages) ?? ''))),
    });
    calm = await startOllamaServer({ models: ['qwen2.5:7b', 'llama3.2:3b'], reply: (body) => verdictJson(verdictFor(judgedInput(body.messages) ?? '')) });
    writeFileSync(
      cast,
      `name: flaky
consensus: { threshold: 2, quorum: 2 }
defenders:
  - { name: flaky, provider: openai, model: guard, base_url: "${flaky.url}/v1", retries: 0 }
  - { name: calm1, provider: ollama, model: "qwen2.5:7b", host: "${calm.url}" }
  - { name: calm2, provider: ollama, model: "llama3.2:3b", host: "${calm.url}" }
`,
    );
  });
  afterAll(async () => {
    await Promise.all([flaky?.close(), calm?.close()]);
  });

  it('is reported degraded for the batch where it abstained on more than a fifth of its votes, and stored so', async () => {
    const db = join(tmp.dir, 'degraded.db');
    const r = await hive(['wargame', '--rounds', '60', '--batch', '20', '--concurrency', '1', '--cast', cast, '--db', db, '--no-heal', '--benign-ratio', '0']);
    expect(r.code).toBe(0);
    const warnings = r.stdout.split('\n').filter((l) => l.startsWith('warning:'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^warning: batch 2: defender flaky is degraded: abstained on 10 of 20 votes \(50%\); last error: .*503/);
    expect(warnings[0]).not.toContain('\u001b');
    const rows = all<{ batch: number; asked: number; abstained: number; degraded: number }>(db, `SELECT batch, asked, abstained, degraded FROM defender_batches WHERE run_id = 1 AND defender = 'flaky' ORDER BY batch`);
    expect(rows).toEqual([
      { batch: 1, asked: 20, abstained: 0, degraded: 0 },
      { batch: 2, asked: 20, abstained: 10, degraded: 1 },
      { batch: 3, asked: 20, abstained: 0, degraded: 0 },
    ]);
  }, 60_000);
});

describe('Ctrl-C while model calls hang (a real process)', () => {
  let cli: BuiltCli;
  let hang: OpenAIServer;
  const cast = join(tmp.dir, 'hang-cast.yaml');

  beforeAll(async () => {
    cli = await buildCli();
    hang = await startOpenAIServer({ models: ['slow'], reply: () => ({ hang: true }) });
    writeFileSync(
      cast,
      `name: hang
consensus: { threshold: 1 }
defenders:
  - { name: slow, provider: openai, model: slow, base_url: "${hang.url}/v1", timeout_ms: 120000, retries: 0 }
`,
    );
  }, 60_000);
  afterAll(async () => {
    cli?.cleanup();
    await hang?.close();
  });

  it('the first SIGINT waits for the rounds in flight; the second cancels their calls; exit 130', async () => {
    const db = join(tmp.dir, 'hang.db');
    const p = spawnHive(cli, ['wargame', '--rounds', '50', '--concurrency', '3', '--cast', cast, '--db', db, '--no-heal']);
    // The child starts, trains its attacker and makes its first calls: seconds on a loaded machine.
    await eventually(() => hang.stats.inFlight === 3);
    p.child.kill('SIGINT');
    await eventually(() => p.stderr().includes('stopping'));
    // The calls in flight are left to finish: the process waits.
    await new Promise((r) => setTimeout(r, 500));
    expect(p.child.exitCode).toBeNull();
    expect(hang.stats.aborted).toBe(0);

    p.child.kill('SIGINT');
    const end = await p.exited;
    expect(end.code).toBe(130);
    await eventually(() => hang.stats.aborted === 3);
    expect(p.stdout()).toContain('run 1 interrupted');
    expect(p.stdout()).toContain(`resume with: hive wargame --resume 1 --db ${db}`);
    // The cancelled rounds were not stored: a resume plays them.
    expect(all<{ n: number }>(db, 'SELECT count(*) AS n FROM rounds')[0]?.n).toBe(0);
    expect(all<{ status: string }>(db, 'SELECT status FROM runs WHERE id = 1')[0]?.status).toBe('interrupted');
  }, 60_000);
});
