/**
 * `npm run bench:healer`: whether the healer can be wrong, measured. Ten seeds × 2,000 rounds of
 * the embedded default, each on a fresh database: the healer's false positives (scored controls
 * its blocklist stopped) with their 95% interval over the benign rounds played, the patterns that
 * blocked a control and were retired, what its instant blocks were (exact, near, same-payload
 * repeats or new variants), and one run frozen after round 1,000 whose held-out phase uses payloads
 * and carrier bodies the healer never saw. Writes bench/healer-results.json.
 *
 * Environment: HIVE_BENCH_QUICK=1 (3 seeds × 500 rounds).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PATHS } from '../src/config/paths.js';
import { startWargame } from '../src/engine/start-wargame.js';
import { buildRunReport } from '../src/report/build.js';
import type { RunReport } from '../src/report/types.js';
import { rate, type Rate } from '../src/stats/wilson.js';
import { Store } from '../src/store/store.js';

const QUICK = process.env.HIVE_BENCH_QUICK === '1';
const SEEDS = QUICK ? [1, 2, 3] : [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const ROUNDS = QUICK ? 500 : 2_000;
const FREEZE_AFTER = ROUNDS / 2;
const here = dirname(fileURLToPath(import.meta.url));

async function play(dir: string, seed: number, freezeHealerAfter?: number): Promise<RunReport> {
  const dbPath = join(dir, `seed-${seed}${freezeHealerAfter ? '-frozen' : ''}.db`);
  const { runId } = await startWargame({
    rounds: ROUNDS,
    castPath: DEFAULT_PATHS.cast,
    attackersPath: DEFAULT_PATHS.attackers,
    scenariosDir: DEFAULT_PATHS.scenarios,
    dbPath,
    batchSize: 100,
    seed,
    concurrency: 4,
    benignRatio: 0.2,
    heal: true,
    ...(freezeHealerAfter ? { freezeHealerAfter } : {}),
  });
  const store = Store.open(dbPath, { mustExist: true });
  try {
    return buildRunReport(store, runId);
  } finally {
    store.close();
  }
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const pct = (r: Rate) => (r.rate === null ? '—' : `${(r.rate * 100).toFixed(2)}% [${(r.ci.low * 100).toFixed(2)}–${(r.ci.high * 100).toFixed(2)}]`);

interface SeedFigures {
  seed: number;
  benign: number;
  benignTexts: number | null;
  healerFalsePositives: number;
  patternsRetired: number;
  patternsLearned: number;
  falsePositiveRate: number | null;
  defenceRate: number | null;
  instantBlocks: number;
  exact: number;
  near: number;
  samePayload: number;
  novel: number;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hive-bench-healer-'));
  try {
    const perSeed: SeedFigures[] = [];
    for (const seed of SEEDS) {
      const r = await play(dir, seed);
      const rep = r.healer.immunity.repeats;
      perSeed.push({
        seed,
        benign: r.totals.counts.benign,
        benignTexts: r.totals.distinctBenignTexts,
        healerFalsePositives: r.healer.falsePositiveBlocks,
        patternsRetired: r.healer.patternsRetired,
        patternsLearned: r.healer.patternsLearned,
        falsePositiveRate: r.totals.falsePositiveRate.rate,
        defenceRate: r.totals.defenceRate.rate,
        instantBlocks: rep.instantBlocks,
        exact: rep.exact,
        near: rep.near,
        samePayload: rep.samePayload,
        novel: rep.novel,
      });
      process.stdout.write(`seed ${seed}: ${plural(r.healer.falsePositiveBlocks, 'healer false positive')} of ${r.totals.counts.benign} benign rounds, ${plural(r.healer.patternsRetired, 'pattern')} retired\n`);
    }
    const sum = (k: keyof SeedFigures) => perSeed.reduce((n, s) => n + ((s[k] as number | null) ?? 0), 0);
    const healerFp = rate(sum('healerFalsePositives'), sum('benign'));
    const frozen = await play(dir, SEEDS[0] as number, FREEZE_AFTER);
    const f = frozen.healer.immunity.frozen;
    const result = {
      seeds: SEEDS,
      rounds: ROUNDS,
      healerFalsePositives: { k: healerFp.k, n: healerFp.n, rate: healerFp.rate, ci: [healerFp.ci.low, healerFp.ci.high] },
      patternsRetired: sum('patternsRetired'),
      repeats: { instantBlocks: sum('instantBlocks'), exact: sum('exact'), near: sum('near'), samePayload: sum('samePayload'), novel: sum('novel') },
      perSeed,
      frozen: f
        ? { seed: SEEDS[0], afterRound: f.afterRound, defenceRate: f.defenceRate.rate, defenceCi: [f.defenceRate.ci.low, f.defenceRate.ci.high], validAttacks: f.validAttacks, healerBlocked: f.healerBlocked, patternsLearned: f.patternsLearned, wholeRunDefence: frozen.totals.defenceRate.rate }
        : null,
    };
    writeFileSync(join(here, '..', '..', 'bench', 'healer-results.json'), `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(
      [
        '',
        `healer false positives over ${SEEDS.length} seeds × ${ROUNDS} rounds: ${healerFp.k} of ${healerFp.n} benign rounds, ${pct(healerFp)}; ${plural(result.patternsRetired, 'pattern')} retired`,
        `  (unit: a benign round; ${sum('benignTexts')} distinct texts summed over seeds, each seed's texts distinct; a control recurs across seeds, each time against that seed's own blocklist)`,
        `instant blocks: ${result.repeats.instantBlocks} = ${result.repeats.exact} exact + ${result.repeats.near} near + ${result.repeats.samePayload} same payload + ${result.repeats.novel} new variants`,
        f ? `frozen after round ${f.afterRound} (seed ${SEEDS[0]}): held-out phase defence ${pct(f.defenceRate)} over ${f.validAttacks} attacks, ${plural(f.healerBlocked, 'instant block')}, ${plural(f.patternsLearned, 'pattern')} learned` : '',
        'written to bench/healer-results.json',
      ].join('\n') + '\n',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
