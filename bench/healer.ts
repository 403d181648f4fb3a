/**
 * `npm run bench:healer`: whether the healer can be wrong, measured. Ten seeds × 2,000 rounds of
 * the embedded default, each on a fresh database: the healer's false positives (scored controls
 * its blocklist stopped) with their 95% interval over the benign rounds played, the patterns that
 * blocked a control and were retired, what its instant blocks were (exact, near, same-payload
 * repeats or new variants), and one run frozen after round 1,000 whose held-out phase uses payloads
 * and carrier bodies the healer never saw. Writes bench/healer-results.json.
 *
 * The scored controls are written apart from the attacker's parts, so a pattern of the attacker's
 * own wording ("draft a short polite reply") never meets one. To see what such patterns do to text
 * nobody guarded or scored, each seed's final blocklist (active patterns) is also run over the
 * benign rows of the development corpus (corpora/dev, both halves; counts only).
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
import { immunityFromRun } from '../src/healer/immunity-export.js';
import { LiteralMatcher } from '../src/healer/literal-matcher.js';
import { rate, type Rate } from '../src/stats/wilson.js';
import { Store } from '../src/store/store.js';
import { normalizeText } from '../src/util/normalize.js';
import { readDevCorpus } from './dev-corpus.js';

const QUICK = process.env.HIVE_BENCH_QUICK === '1';
const SEEDS = QUICK ? [1, 2, 3] : [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const ROUNDS = QUICK ? 500 : 2_000;
const FREEZE_AFTER = ROUNDS / 2;
const here = dirname(fileURLToPath(import.meta.url));

async function play(dir: string, seed: number, freezeHealerAfter?: number): Promise<{ report: RunReport; devBlocked: number }> {
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
    return { report: buildRunReport(store, runId), devBlocked: blockedByBlocklist(immunityFromRun(store, runId).patterns) };
  } finally {
    store.close();
  }
}

/** The benign rows of the development corpus: text the healer was never guarded or scored on. */
const DEV_BENIGN = readDevCorpus().rows.filter((r) => r.label === 'benign').map((r) => r.text);

/** How many of DEV_BENIGN the run's final blocklist (its active patterns) stops, as the healer screens. */
function blockedByBlocklist(patterns: ReadonlyArray<{ pattern: string; status: string }>): number {
  const matcher = new LiteralMatcher();
  patterns.forEach((p, i) => {
    if (p.status === 'active') matcher.add(p.pattern, i);
  });
  return DEV_BENIGN.filter((t) => matcher.find(normalizeText(t), undefined, true).length > 0).length;
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
  /** Benign rows of the development corpus its final blocklist stops. */
  devBenignBlocked: number;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hive-bench-healer-'));
  try {
    const perSeed: SeedFigures[] = [];
    for (const seed of SEEDS) {
      const { report: r, devBlocked } = await play(dir, seed);
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
        devBenignBlocked: devBlocked,
      });
      process.stdout.write(`seed ${seed}: ${plural(r.healer.falsePositiveBlocks, 'healer false positive')} of ${r.totals.counts.benign} benign rounds, ${plural(r.healer.patternsRetired, 'pattern')} retired\n`);
    }
    const sum = (k: keyof SeedFigures) => perSeed.reduce((n, s) => n + ((s[k] as number | null) ?? 0), 0);
    const healerFp = rate(sum('healerFalsePositives'), sum('benign'));
    const devFp = rate(sum('devBenignBlocked'), DEV_BENIGN.length * SEEDS.length);
    const frozen = (await play(dir, SEEDS[0] as number, FREEZE_AFTER)).report;
    const f = frozen.healer.immunity.frozen;
    const result = {
      seeds: SEEDS,
      rounds: ROUNDS,
      healerFalsePositives: { k: healerFp.k, n: healerFp.n, rate: healerFp.rate, ci: [healerFp.ci.low, healerFp.ci.high] },
      patternsRetired: sum('patternsRetired'),
      devBenignBlocked: { k: devFp.k, n: devFp.n, texts: DEV_BENIGN.length, rate: devFp.rate, ci: [devFp.ci.low, devFp.ci.high] },
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
        `  (unit: a benign round; ${sum('benignTexts')} distinct texts within seeds, summed; a control recurs across seeds, each time against that seed's own blocklist)`,
        `final blocklists on the ${DEV_BENIGN.length} benign texts of the development corpus (never guarded or scored): ${devFp.k} blocked over ${SEEDS.length} seeds, ${pct(devFp)} (unit: a text and a seed)`,
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
