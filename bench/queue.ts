/**
 * Queue wait apart from service time (issue 13): two LLM defenders on one host that takes one
 * call at a time (`max_concurrency: 1`), every call answered after the bench server's fixed
 * latency, asked in parallel every round, one round at a time. The second call of every round
 * waits for the first, so latency alone says one defender takes about twice the server's time;
 * the report's median service time should be the server's latency for both, the wait show up in
 * median queue time, and the host's time waiting be about a third (one wait in three latencies).
 * The attacker is embedded, so only the defenders use the host.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_PATHS } from '../src/config/paths.js';
import { buildRunReport } from '../src/report/build.js';
import { startWargame } from '../src/engine/start-wargame.js';
import { Store } from '../src/store/store.js';
import { BENCH_DEFENDER_MODELS } from './swarm-server.js';
import { mark, pct, table } from './text-table.js';

export interface QueuePoint {
  defender: string;
  medianLatencyMs: number | null;
  medianServiceMs: number | null;
  medianQueueMs: number | null;
}

export interface QueueResult {
  rounds: number;
  latencyMs: number;
  defenders: QueuePoint[];
  /** Summed waits over summed latencies on the shared host. */
  hostWaitShare: number | null;
}

export async function benchQueue(dir: string, url: string, latencyMs: number, rounds: number): Promise<QueueResult> {
  const cast = join(dir, 'cast-shared-host.yaml');
  const models = BENCH_DEFENDER_MODELS.slice(0, 2);
  writeFileSync(
    cast,
    `name: bench-shared-host
consensus: { threshold: 1, quorum: 1, on_abstain: allow, strategy: parallel }
healer: { enabled: false, antibodies: 0, patterns_per_breach: 3, lag: 16 }
defenders:
${models.map((m, i) => `  - { name: d${i + 1}, role: generic, provider: ollama, model: "${m}", host: "${url}", max_concurrency: 1 }`).join('\n')}
`,
  );
  const pool = join(dir, 'attackers-embedded.yaml');
  writeFileSync(pool, `name: embedded\nattackers:\n  - { name: mutator, provider: embedded, model: mutator }\n`);
  const dbPath = join(dir, 'shared-host.db');
  await startWargame({ rounds, castPath: cast, attackersPath: pool, scenariosDir: DEFAULT_PATHS.scenarios, dbPath, batchSize: 50, seed: 42, concurrency: 1, benignRatio: 0.2, heal: false, env: {} });
  const store = Store.open(dbPath);
  try {
    const report = buildRunReport(store, 1);
    return {
      rounds,
      latencyMs,
      defenders: report.defenders.map((d) => ({ defender: d.name, medianLatencyMs: d.medianLatencyMs, medianServiceMs: d.medianServiceMs, medianQueueMs: d.medianQueueMs })),
      hostWaitShare: report.hosts?.[0]?.waitShare ?? null,
    };
  } finally {
    store.close();
  }
}

/** Every defender's median service time within `share` of the server's latency (above it: hive's own overhead). */
export function serviceWithin(q: QueueResult, share: number): boolean {
  return q.defenders.every((d) => d.medianServiceMs !== null && Math.abs(d.medianServiceMs - q.latencyMs) <= share * q.latencyMs);
}

export function queueSection(q: QueueResult): string[] {
  const ms = (x: number | null): string => (x === null ? '—' : x.toFixed(0));
  return [
    `1b. queue wait apart from service time: two defenders on one host with max_concurrency 1, ${q.rounds} rounds, server latency ${q.latencyMs} ms`,
    table([
      ['defender', 'median latency ms', 'median service ms', 'median queue ms'],
      ...q.defenders.map((d) => [d.defender, ms(d.medianLatencyMs), ms(d.medianServiceMs), ms(d.medianQueueMs)]),
    ]),
    `   host time waiting ${q.hostWaitShare === null ? '—' : pct(q.hostWaitShare)}; service within 10% of the server's latency: ${mark(serviceWithin(q, 0.1))}`,
  ];
}
