/**
 * One embedded wargame in a process of its own, so its peak RSS is that run's alone:
 * `node dist-bench/bench/embedded-child.js <rounds>` prints one JSON line. The default cast and
 * attacker, the healer on, every round written to a fresh SQLite database (one transaction per
 * round, WAL, synchronous=NORMAL), exactly what `hive wargame --rounds N` does minus the printing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_PATHS } from '../src/config/paths.js';
import { startWargame } from '../src/engine/start-wargame.js';

export interface EmbeddedResult {
  rounds: number;
  /** From loading the cast to the database closed. */
  wallMs: number;
  roundsPerSec: number;
  /** CPU time of this process (user + system). */
  cpuMs: number;
  peakRssMB: number;
  status: string;
  breaches: number;
  instantBlocks: number;
}

const rounds = Number(process.argv[2] ?? 10_000);
const dir = mkdtempSync(join(tmpdir(), 'hive-bench-embedded-'));
try {
  // Where the peak comes from, for the curious: HIVE_BENCH_MEMLOG=1 prints the heap at the highest RSS seen.
  let worst = { rss: 0, at: '' };
  const sampler = process.env.HIVE_BENCH_MEMLOG
    ? setInterval(() => {
        const m = process.memoryUsage();
        if (m.rss > worst.rss) worst = { rss: m.rss, at: `rss ${m.rss >> 20} heapTotal ${m.heapTotal >> 20} heapUsed ${m.heapUsed >> 20} external ${m.external >> 20}` };
      }, 50)
    : undefined;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const { result } = await startWargame({
    rounds,
    castPath: DEFAULT_PATHS.cast,
    attackersPath: DEFAULT_PATHS.attackers,
    scenariosDir: DEFAULT_PATHS.scenarios,
    dbPath: join(dir, 'hive.db'),
    batchSize: 50,
    seed: 42,
    concurrency: 4,
    benignRatio: 0.2,
    heal: true,
    env: {},
  });
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const out: EmbeddedResult = {
    rounds,
    wallMs: Math.round(wallMs),
    roundsPerSec: Math.round(rounds / (wallMs / 1000)),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    status: result.status,
    breaches: result.totals.BREACHED,
    instantBlocks: result.totals.INSTANT_BLOCKED,
  };
  if (sampler) {
    clearInterval(sampler);
    process.stderr.write(`${worst.at}\n`);
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
