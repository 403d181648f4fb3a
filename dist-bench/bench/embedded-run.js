import v8 from 'node:v8';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
const h = createHash('sha256');
import { DEFAULT_PATHS } from '../src/config/paths.js';
import { startWargame } from '../src/engine/session.js';
const rounds = Number(process.argv[2] ?? 10000);
const dir = mkdtempSync(join(tmpdir(), 'hive-bench-'));
const t0 = performance.now();
const { result } = await startWargame({
    rounds, castPath: DEFAULT_PATHS.cast, attackersPath: DEFAULT_PATHS.attackers, scenariosDir: DEFAULT_PATHS.scenarios,
    dbPath: join(dir, 'hive.db'), batchSize: 50, seed: 42, concurrency: 4, benignRatio: 0.2, heal: true,
    emit: (e) => {
        if (e.type === 'round_done' && process.env.SNAPAT && process.env.SNAPAT.split(',').includes(String(e.record.round))) {
            globalThis.gc?.();
            console.error(v8.writeHeapSnapshot(`/tmp/i7-${e.record.round}.heapsnapshot`));
        }
        if (e.type === 'round_done' && e.record.round % 5000 === 0) {
            const m = process.memoryUsage();
            console.error(e.record.round, Math.round(performance.now() - t0), 'rss', m.rss >> 20, 'heap', m.heapUsed >> 20, 'total', m.heapTotal >> 20, v8.getHeapSpaceStatistics().map((x) => `${x.space_name.replace('_space', '')}:${x.space_size >> 20}`).join(' '), 'ext', m.external >> 20, 'ab', m.arrayBuffers >> 20);
        }
        if (e.type === 'run_ended' && process.env.SNAP) {
            globalThis.gc?.();
            console.error(v8.writeHeapSnapshot(process.env.SNAP));
        }
        if (e.type === 'round_done')
            (process.env.DUMP ? (x) => process.stderr.write(x) : (x) => h.update(x))(`${e.record.round}|${e.record.outcome}|${e.record.patternId}|${e.record.votes.map((v) => v.verdict + v.defender).join(',')}|${e.record.antibodies}\n`);
    },
});
const ms = performance.now() - t0;
console.log(JSON.stringify({ rounds, ms, rps: rounds / (ms / 1000), rssMB: process.resourceUsage().maxRSS / 1024, status: result.status, totals: result.totals, digest: h.digest('hex').slice(0, 16) }));
rmSync(dir, { recursive: true, force: true });
//# sourceMappingURL=embedded-run.js.map