/**
 * The report's figures about model calls (issue 13): service time apart from the wait for a host
 * slot, the waits per host, votes with estimated token counts, rounds judged on a cut text and
 * each defender's own ROC AUC, on a run written straight into a store with known values.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Vote } from '../../src/domain.js';
import { buildRunReport } from '../../src/report/build.js';
import { reportJson, type ReportJson } from '../../src/report/render/json.js';
import { renderReportTable } from '../../src/report/render/table.js';
import { Store } from '../../src/store/store.js';
import { tempDir } from '../helpers/cli.js';
import { createCraftedRun, recordCrafted } from '../helpers/crafted-run.js';

const tmp = tempDir('hive-model-figures-');
let store: Store;
let json: ReportJson;
let table: string;

/** Two defenders sharing one host (a: service 100 ms, b: 300 ms, each waiting for the other), a guard API on another, an in-process one. */
function votes(round: number, attack: boolean): Vote[] {
  const wait = round % 2 === 0 ? 0 : 1;
  return [
    { defender: 'a', verdict: attack ? 'block' : 'allow', confidence: 0.9, reason: '', latencyMs: 100 + wait * 300, queueMs: wait * 300, promptTokens: 10, completionTokens: 2, tokensEstimated: round <= 3 },
    { defender: 'b', verdict: attack ? 'block' : 'allow', confidence: 0.6, reason: '', latencyMs: 300 + (1 - wait) * 100, queueMs: (1 - wait) * 100, promptTokens: 10, completionTokens: 2 },
    // The guard's score is 0.2 on attacks and 0.7 on benign rounds: it gets the order wrong, AUC 0.
    { defender: 'g', verdict: attack ? 'allow' : 'block', confidence: attack ? 0.8 : 0.7, reason: '', latencyMs: 40, queueMs: 0, promptTokens: 0, completionTokens: 0, truncated: round === 4 },
    { defender: 'e', verdict: attack ? 'block' : 'allow', confidence: null, reason: '', latencyMs: 1, promptTokens: 0, completionTokens: 0 },
  ];
}

beforeAll(() => {
  store = Store.open(join(tmp.dir, 'figures.db'));
  const defenders = [
    { name: 'a', provider: 'ollama', host: 'http://gpu-box:11434' },
    { name: 'b', provider: 'ollama', host: 'http://gpu-box:11434' },
    { name: 'g', provider: 'http', host: 'https://guard.example' },
    { name: 'e', provider: 'embedded', host: null },
  ];
  const runId = createCraftedRun(store, { rounds: 8, batchSize: 8, defenders });
  for (let round = 1; round <= 8; round++) {
    const attack = round % 2 === 1;
    const v = votes(round, attack);
    recordCrafted(store, runId, round, 8, { kind: attack ? 'attack' : 'benign', outcome: attack ? 'DEFENDED' : 'TRUE_NEGATIVE', votes: v, judgedTruncated: v.some((x) => x.truncated === true) });
  }
  const report = buildRunReport(store, runId);
  json = reportJson(report);
  table = renderReportTable(report, { color: false, width: 200 });
});

afterAll(() => {
  store.close();
  tmp.cleanup();
});

const defender = (name: string) => json.defenders.find((d) => d.name === name);

describe('service time and queue wait', () => {
  it('gives each defender the median of latency minus its wait, and the median wait', () => {
    // a: served in 100 ms every time, waited 300 ms in half its calls; b: 300 ms, waited 100 ms in half.
    expect(defender('a')).toMatchObject({ median_service_ms: 100, median_queue_ms: 150, median_latency_ms: 250 });
    expect(defender('b')).toMatchObject({ median_service_ms: 300, median_queue_ms: 50 });
    // An in-process defender never waits for a host: no queue figure.
    expect(defender('e')).toMatchObject({ median_service_ms: 1, median_queue_ms: null });
  });

  it('gives the waits per host, and the share of their time the calls spent waiting', () => {
    expect(json.hosts).toEqual([
      { host: 'http://gpu-box:11434', defenders: ['a', 'b'], calls: 16, median_queue_ms: 50, wait_share: (4 * 300 + 4 * 100) / (4 * 100 + 4 * 400 + 4 * 300 + 4 * 400) },
      { host: 'https://guard.example', defenders: ['g'], calls: 8, median_queue_ms: 0, wait_share: 0 },
    ]);
  });

  it('shows service and queue time in the defenders table and the hosts in a table of their own', () => {
    expect(table).toContain('service ms');
    expect(table).toContain('queue ms');
    expect(table).toMatch(/^http:\/\/gpu-box:11434\s+a, b\s+16\s+50\s+33\.3%$/m);
  });
});

describe('estimated tokens, cut inputs and per-defender ROC', () => {
  it('counts the votes whose tokens were estimated and marks them in the table', () => {
    expect(defender('a')?.estimated_token_votes).toBe(3);
    expect(defender('b')?.estimated_token_votes).toBe(0);
    expect(table).toContain('~80/16');
    expect(table).toContain('~: some counts were estimated by hive');
  });

  it('counts the rounds judged on a cut text', () => {
    expect(json.judged_truncated).toBe(1);
    expect(table).toContain('Judged on a truncated text: 1 round(s).');
  });

  it('computes each defender\'s ROC AUC from its own probability of an attack', () => {
    expect(defender('a')?.roc_auc).toBe(1);
    expect(defender('g')?.roc_auc).toBe(0);
    expect(defender('e')?.roc_auc).toBeNull();
  });
});
