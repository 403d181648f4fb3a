/**
 * `provider: http` (guard APIs) over the loopback guard server: the request built from the body
 * template and the headers' environment variables, the verdict read with JSON pointers, and the
 * same retry, timeout, per-host limit and abort policy as the model providers. Real `fetch`.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.js';
import { DefenderEntrySchema, type DefenderEntry } from '../../src/config/schemas.js';
import { readGuardAnswer } from '../../src/defense/http-guard.js';
import { askDefender } from '../../src/defense/swarm.js';
import type { Defender, Probe } from '../../src/domain.js';
import { buildDefender, modelRecord } from '../../src/engine/players.js';
import * as modelPlayers from '../../src/engine/model-players.js';
import { fixtureFolder } from '../helpers/scripted.js';
import { HostPool } from '../../src/models/policy.js';
import { preflight } from '../../src/models/preflight.js';
import { defaultGuardReply, startGuardServer, type GuardServer } from '../support/guard-server.js';

const SECRET = 'lk-secret-4f1c9a7e2b';
let server: GuardServer;
beforeAll(async () => {
  server = await startGuardServer();
});
afterAll(() => server.close());
afterEach(() => {
  server.setBehaviour({ reply: defaultGuardReply, latencyMs: 0 });
  server.resetStats();
});

function entry(extra: Record<string, unknown> = {}): DefenderEntry {
  return DefenderEntrySchema.parse({
    name: 'guard',
    provider: 'http',
    url: `${server.url}/v2/guard?api-version=2024-09-01`,
    headers: { Authorization: 'Bearer ${GUARD_KEY}', 'X-Project': 'hive' },
    body: { messages: [{ role: 'user', content: '{{text}}' }], breakdown: true },
    block_when: { pointer: '/flagged', equals: true },
    score: '/scores/injection',
    retries: 2,
    backoff_ms: 1,
    ...extra,
  });
}
const guard = (extra: Record<string, unknown> = {}, env: NodeJS.ProcessEnv = { GUARD_KEY: SECRET }): Defender =>
  buildDefender(entry(extra), { scenarios: fixtureFolder(), env, hosts: new HostPool() }, modelPlayers);
const probe = (text: string): Probe => ({ round: 1, kind: 'attack', category: 'prompt_injection', text });
const dctx = { antibodies: [], nonce: 'n' };

describe('the request', () => {
  it('puts the input where the template says, as a JSON string, and the key where the header says', async () => {
    const text = 'ATTACK "quoted" \\ and {{text}} and a newline\n';
    const vote = await guard().vote(probe(text), dctx);
    expect(vote).toMatchObject({ verdict: 'block', confidence: 0.97, reason: '/flagged = true' });
    const sent = server.stats.log[0];
    expect(sent?.body).toEqual({ messages: [{ role: 'user', content: text }], breakdown: true });
    expect(sent).toMatchObject({ method: 'POST', path: '/v2/guard', query: '?api-version=2024-09-01' });
    expect(sent?.headers).toMatchObject({ authorization: `Bearer ${SECRET}`, 'x-project': 'hive', 'content-type': 'application/json' });
  });

  it('stores provider http and the URL without its query, never the key', () => {
    expect(modelRecord('defender', entry())).toMatchObject({ provider: 'http', model: `${server.url}/v2/guard`, host: server.url });
    expect(JSON.stringify(modelRecord('defender', entry()))).not.toContain(SECRET);
  });

  it('fails before any call when a header variable is unset, naming it', () => {
    expect(() => guard({}, {})).toThrow('environment variable GUARD_KEY (named in headers.Authorization) is not set; run "export GUARD_KEY=…" first.');
  });
});

describe('the answer', () => {
  it('blocks by equals or at_least, with the score as the confidence in the verdict', () => {
    const eq = { pointer: '/flagged', equals: true };
    expect(readGuardAnswer('{"flagged": false, "s": 0.1}', eq, '/s')).toEqual({ ok: true, verdict: 'allow', confidence: 0.9, reason: '/flagged = false' });
    const least = { pointer: '/scores/injection', at_least: 0.5 };
    expect(readGuardAnswer('{"scores": {"injection": 0.5}}', least, '/scores/injection')).toMatchObject({ verdict: 'block', confidence: 0.5 });
    expect(readGuardAnswer('{"userPromptAnalysis": {"attackDetected": true}}', { pointer: '/userPromptAnalysis/attackDetected', equals: true }, undefined)).toMatchObject({ verdict: 'block', confidence: null });
    // A score outside 0..1 is no probability: the verdict stands without a confidence.
    expect(readGuardAnswer('{"flagged": true, "logit": 3.2}', eq, '/logit')).toMatchObject({ verdict: 'block', confidence: null });
  });

  it('abstains when a pointer is missing, a value is not a number, or the answer is not JSON', async () => {
    server.setBehaviour({ reply: () => ({ json: { result: 'ok' } }) });
    expect(await guard().vote(probe('x'), dctx)).toMatchObject({ verdict: 'abstain', error: 'the answer has no /flagged', raw: '{"result":"ok"}' });
    server.setBehaviour({ reply: () => ({ json: { flagged: true } }) });
    expect(await guard().vote(probe('x'), dctx)).toMatchObject({ verdict: 'abstain', error: 'the answer has no /scores/injection' });
    expect(readGuardAnswer('{"scores": {"injection": "high"}}', { pointer: '/scores/injection', at_least: 0.5 }, undefined)).toEqual({ ok: false, error: '/scores/injection is not a number' });
    server.setBehaviour({ reply: () => ({ garbage: '<html>502</html>' }) });
    expect(await guard().vote(probe('x'), dctx)).toMatchObject({ verdict: 'abstain', error: 'the answer is not JSON' });
  });
});

describe('the policy', () => {
  it('retries 5xx and 429, then gives up with the status, the key redacted from the server text', async () => {
    server.setBehaviour({ reply: (_r, { index }) => (index === 0 ? { status: 429, headers: { 'retry-after': '0' } } : defaultGuardReply(_r, { index })) });
    expect((await guard().vote(probe('ATTACK'), dctx)).verdict).toBe('block');
    expect(server.stats.log).toHaveLength(2);
    server.setBehaviour({ reply: () => ({ status: 500, body: `internal error while checking key ${SECRET}` }) });
    const vote = await askDefender(guard(), probe('x'), dctx);
    expect(vote.error).toContain('HTTP 500');
    expect(vote.error).toContain('gave up after 3 attempts');
    expect(vote.error).not.toContain(SECRET);
  });

  it('names the variable, never the key, when the key is rejected', async () => {
    server.setBehaviour({ reply: () => ({ status: 401, body: { detail: `invalid key ${SECRET.slice(0, 6)}…` } }) });
    const vote = await guard().vote(probe('x'), dctx);
    expect(vote.error).toContain('rejected the key in GUARD_KEY (HTTP 401)');
    expect(vote.error).not.toContain(SECRET.slice(0, 6));
    expect(server.stats.log).toHaveLength(1);
  });

  it('times out a hung call, cancelling the request', async () => {
    server.setBehaviour({ reply: () => ({ hang: true }) });
    // The timeout runs from the call: it must outlast a loaded machine's delay in getting the
    // request to the server, or the server never sees it to count it aborted.
    const vote = await guard({ timeout_ms: 2000 }).vote(probe('x'), dctx);
    expect(vote.error).toContain('no answer within 2000 ms');
    await eventually(() => expect(server.stats.aborted).toBe(1));
  });

  it('holds its calls to max_concurrency', async () => {
    server.setBehaviour({ reply: (r, c) => ({ ...(defaultGuardReply(r, c) as { json: unknown }), delayMs: 15 }) });
    const g = guard({ max_concurrency: 2 });
    const votes = await Promise.all(Array.from({ length: 8 }, (_, i) => g.vote(probe(`ATTACK ${i}`), dctx)));
    expect(votes.every((v) => v.verdict === 'block')).toBe(true);
    expect(server.stats.maxInFlight).toBe(2);
  });
});

describe('the preflight', () => {
  it('finds the URL reachable with a HEAD (no classification spent) and the key variable set', async () => {
    const cast = { name: 'c', consensus: { threshold: 1, on_abstain: 'allow' as const, strategy: 'parallel' as const }, healer: { enabled: false, antibodies: 0, patterns_per_breach: 0, lag: 16 }, defenders: [entry()] };
    const ok = await preflight({ cast, env: { GUARD_KEY: SECRET } });
    expect(ok.rows).toEqual([expect.objectContaining({ provider: 'http', model: `${server.url}/v2/guard`, reachable: 'ok', key: 'set' })]);
    expect(ok.problems).toEqual([]);
    expect(server.stats.log).toHaveLength(0);
    const unset = await preflight({ cast, env: {} });
    expect(unset.rows[0]?.key).toBe('unset');
    expect(unset.problems).toEqual([expect.objectContaining({ problem: 'environment variable GUARD_KEY (named in headers) is not set', fix: 'export GUARD_KEY=…' })]);
  });
});
