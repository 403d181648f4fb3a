/**
 * `npm run bench`: what hive adds on top of the models' own latency, what a cascade saves, and
 * how far the embedded default goes. One run, one table, and bench/results.json to compare two
 * commits. See bench/README.md for what each figure means.
 *
 * Environment: HIVE_BENCH_LATENCY_MS (simulated model latency, default 100),
 * HIVE_BENCH_QUICK=1 (smaller sizes, for trying the bench itself).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CategoryId } from '../src/categories.js';
import { loadScenarios } from '../src/config/scenarios.js';
import { DEFAULT_PATHS, PACKAGE_ROOT } from '../src/config/paths.js';
import type { Scenario } from '../src/config/schemas.js';
import type { Strategy } from '../src/defense/swarm.js';
import { startWargame } from '../src/engine/start-wargame.js';
import type { Outcome } from '../src/domain.js';
import { TOOL_VERSION } from '../src/version.js';
import type { EmbeddedResult } from './embedded-child.js';
import { gapBreakdown, type GapBreakdown, type RoundMark } from './gap.js';
import { epochMs, gapRows, GAP_NOTES, withCommitTimes } from './gap-run.js';
import { goalRows, goals } from './goals.js';
import { benchEval, benchStartup, benchWargameProcess, type EvalRun } from './processes.js';
import { benchQueue, queueSection, serviceWithin, type QueueResult } from './queue.js';
import { benchScreening, type ScreeningPoint } from './screening.js';
import { mark, pct, table } from './text-table.js';
import { forkServer, type ServerHandle } from './server-handle.js';
import { BENCH_ATTACKER_MODEL, BENCH_DEFENDER_MODELS } from './swarm-server.js';

const QUICK = process.env.HIVE_BENCH_QUICK === '1';
/** Development aid: `llm` runs only the wargame section. */
const ONLY = process.env.HIVE_BENCH_ONLY;
const LATENCY_MS = Number(process.env.HIVE_BENCH_LATENCY_MS ?? 200);
const LLM_ROUNDS = QUICK ? 64 : 640;
const CONCURRENCIES = [4, 16];
const EMBEDDED_ROUNDS = QUICK ? 2_000 : 10_000;
const EMBEDDED_BIG = QUICK ? 10_000 : 100_000;
/** The flat-memory figure: HIVE_BENCH_MILLION=0 leaves it out (it takes the longest of all). */
const EMBEDDED_HUGE = process.env.HIVE_BENCH_MILLION === '0' ? 0 : QUICK ? 50_000 : 1_000_000;
const QUEUE_ROUNDS = QUICK ? 20 : 60;
const LAG = 16;
const here = dirname(fileURLToPath(import.meta.url));

interface RoundShape {
  round: number;
  outcome: Outcome;
  /** Model calls one after another: attacker attempts, then one swarm wave (parallel). */
  depth: number;
  /** Defender calls started: answered plus cancelled in flight. */
  calls: number;
  aborted: number;
  skipped: number;
  /** The cascade's first wave (the first three defenders in cast order) did not agree. */
  firstWaveSplit: boolean;
}

interface LlmRun {
  strategy: Strategy;
  concurrency: number;
  rounds: number;
  wallMs: number;
  idealMs: number;
  ratio: number;
  defenderCalls: number;
  callsPerRound: number;
  shapes: RoundShape[];
  serverAborted: number;
  serverDefenderCalls: number;
  serverMaxInFlight: number;
  /** Where the wall time beyond the ideal went (gap.ts). */
  gap: GapBreakdown;
}

/**
 * The ideal critical path: every model call takes exactly the simulated latency and hive adds
 * nothing. `concurrency` workers take rounds in plan order; a round takes its sequential calls ×
 * latency; and (the healer being on) round r cannot start before round r − lag is finalised,
 * finalisation being in order. This is the schedule the engine aims at, with zero overhead.
 */
export function idealMs(shapes: readonly RoundShape[], concurrency: number, latencyMs: number, lag = LAG): number {
  const free = Array.from({ length: concurrency }, () => 0);
  const finalised: number[] = [];
  for (let i = 0; i < shapes.length; i++) {
    let w = 0;
    for (let k = 1; k < free.length; k++) if ((free[k] as number) < (free[w] as number)) w = k;
    const start = Math.max(free[w] as number, i >= lag ? (finalised[i - lag] as number) : 0);
    const end = start + (shapes[i] as RoundShape).depth * latencyMs;
    free[w] = end;
    finalised.push(Math.max(end, i > 0 ? (finalised[i - 1] as number) : 0));
  }
  return finalised[finalised.length - 1] ?? 0;
}

function castYaml(url: string, strategy: Strategy): string {
  const names = ['auditor', 'trace_forensics', 'guardian', 'sentinel', 'supply_chain', 'social_specialist'];
  const lines = BENCH_DEFENDER_MODELS.map(
    (model, i) => `  - { name: ${names[i]}, role: ${names[i]}, provider: ollama, model: "${model}", host: "${url}", max_concurrency: 128, keep_alive: "30m" }`,
  );
  return `name: bench-six-${strategy}
description: Six LLM defenders on the bench's loopback Ollama, block at >= 3 of 6 (the v6.4 shape).
consensus: { threshold: 3, quorum: 3, on_abstain: allow, strategy: ${strategy} }
healer: { enabled: true, antibodies: 8, patterns_per_breach: 3, lag: ${LAG} }
defenders:
${lines.join('\n')}
`;
}

async function llmRun(dir: string, url: string, server: ServerHandle, strategy: Strategy, concurrency: number): Promise<LlmRun> {
  const cast = join(dir, `cast-${strategy}.yaml`);
  writeFileSync(cast, castYaml(url, strategy));
  const pool = join(dir, 'attackers.yaml');
  writeFileSync(pool, `name: bench\nattackers:\n  - { name: redteam, provider: ollama, model: "${BENCH_ATTACKER_MODEL}", host: "${url}", max_concurrency: 128, keep_alive: "30m" }\n`);
  await server.reset();
  const shapes: RoundShape[] = [];
  let started = 0;
  let ended = 0;
  const marks: RoundMark[] = [];
  const epoch = { called: epochMs(), started: 0, ended: 0 };
  const { commitMs } = await withCommitTimes(() => startWargame({
    rounds: LLM_ROUNDS,
    castPath: cast,
    attackersPath: pool,
    scenariosDir: DEFAULT_PATHS.scenarios,
    dbPath: join(dir, `llm-${strategy}-${concurrency}.db`),
    batchSize: 50,
    seed: 42,
    concurrency,
    benignRatio: 0.2,
    heal: true,
    env: {},
    emit: (e) => {
      if (e.type === 'run_started') {
        started = performance.now();
        epoch.started = epochMs();
      } else if (e.type === 'run_ended') {
        ended = performance.now();
        epoch.ended = epochMs();
      } else if (e.type === 'round_done') {
        const r = e.record;
        marks.push({ round: r.round, text: r.text, doneAt: epochMs() });
        const aborted = r.callsAborted ?? 0;
        shapes.push({
          round: r.round,
          outcome: r.outcome,
          depth: r.attempts + (r.votes.length + aborted > 0 ? 1 : 0),
          calls: r.votes.length + aborted,
          aborted,
          skipped: r.callsSkipped ?? 0,
          firstWaveSplit: new Set(r.votes.slice(0, 3).map((v) => v.verdict)).size > 1,
        });
      }
    },
  }));
  const wallMs = ended - started;
  const ideal = idealMs(shapes, concurrency, LATENCY_MS);
  const defenderCalls = shapes.reduce((n, s) => n + s.calls, 0);
  const swarmRounds = shapes.filter((s) => s.calls > 0).length;
  const defenderModels = new Set<string>(BENCH_DEFENDER_MODELS);
  const stats = await server.stats();
  const gap = gapBreakdown({
    calls: await server.calls(),
    rounds: marks,
    concurrency,
    lag: LAG,
    startedAt: epoch.called,
    runStartedAt: epoch.started,
    runEndedAt: epoch.ended,
    commitMs,
  });
  return {
    strategy,
    concurrency,
    rounds: shapes.length,
    wallMs: Math.round(wallMs),
    idealMs: Math.round(ideal),
    ratio: Number((wallMs / ideal).toFixed(3)),
    defenderCalls,
    callsPerRound: Number((defenderCalls / Math.max(1, swarmRounds)).toFixed(2)),
    shapes,
    serverAborted: stats.aborted,
    serverDefenderCalls: Object.entries(stats.chatByModel).reduce((n, [m, c]) => n + (defenderModels.has(m) ? c : 0), 0),
    serverMaxInFlight: stats.maxInFlight,
    gap,
  };
}

function child(rounds: number): Promise<EmbeddedResult> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [join(here, 'embedded-child.js'), String(rounds)], { maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`embedded child (${rounds} rounds) failed: ${stderr || err.message}`));
      resolve(JSON.parse(stdout.trim().split('\n').pop() as string) as EmbeddedResult);
    });
  });
}

async function main(): Promise<void> {
  const benchStarted = performance.now();
  const scenarios: ReadonlyMap<CategoryId, Scenario> = loadScenarios(DEFAULT_PATHS.scenarios).categories;
  const dir = mkdtempSync(join(tmpdir(), 'hive-bench-'));
  const log = (s: string): void => void process.stderr.write(`${s}\n`);
  try {
    // The 100k-round run is about memory, not speed: it plays in a process of its own while the
    // latency-bound runs at concurrency 1 and 4 (which mostly wait on the model server) go on.
    log(`bench: embedded default, ${EMBEDDED_BIG.toLocaleString('en')} rounds, in a child process…`);
    const skipEmbedded: EmbeddedResult = { rounds: 0, wallMs: 0, roundsPerSec: 0, cpuMs: 0, peakRssMB: 0, status: 'skipped', breaches: 0, instantBlocks: 0 };
    const big = ONLY === 'llm' ? Promise.resolve(skipEmbedded) : child(EMBEDDED_BIG);
    const cacheDir = join(dir, 'cache');

    const server = await forkServer(LATENCY_MS);
    const runs: LlmRun[] = [];
    let queue: QueueResult | undefined;
    let evalRun: EvalRun | undefined;
    try {
      for (const c of CONCURRENCIES) {
        if (c === 16) {
          log('bench: waiting for the 100k-round child before the timing-sensitive runs…');
          await big;
        }
        log(`bench: ${LLM_ROUNDS}-round wargame, six LLM defenders + LLM attacker, parallel, concurrency ${c}…`);
        runs.push(await llmRun(dir, server.url, server, 'parallel', c));
      }
      log(`bench: the same at concurrency 16 with strategy: cascade…`);
      runs.push(await llmRun(dir, server.url, server, 'cascade', 16));
      log('bench: hive eval, 600 rows through one LLM defender at concurrency 16…');
      evalRun = await benchEval(dir, server.url, LATENCY_MS);
      log(`bench: two LLM defenders sharing one host with max_concurrency 1 (queue wait vs service time)…`);
      queue = await benchQueue(dir, server.url, LATENCY_MS, QUEUE_ROUNDS);
    } finally {
      await server.close();
    }
    const bigResult = await big;
    log('bench: start-up, hive categories and --help against node -e 0 (medians of 7)…');
    const startup = benchStartup(cacheDir);
    log(`bench: embedded default, ${EMBEDDED_ROUNDS.toLocaleString('en')} rounds, in a child process…`);
    const embedded = ONLY === 'llm' ? skipEmbedded : await child(EMBEDDED_ROUNDS);
    log(`bench: the same as a whole process, hive wargame --rounds ${EMBEDDED_ROUNDS}…`);
    const whole = await benchWargameProcess(dir, EMBEDDED_ROUNDS, cacheDir);
    log(EMBEDDED_HUGE > 0 ? `bench: embedded default, ${EMBEDDED_HUGE.toLocaleString('en')} rounds, for its peak RSS…` : 'bench: the 1,000,000-round run is left out (HIVE_BENCH_MILLION=0)');
    const huge = EMBEDDED_HUGE > 0 && ONLY !== 'llm' ? await child(EMBEDDED_HUGE) : null;
    log('bench: screening cost against blocklist size…');
    const screening: ScreeningPoint[] = benchScreening(scenarios);

    const parallel16 = runs.find((r) => r.strategy === 'parallel' && r.concurrency === 16) as LlmRun;
    const cascade16 = runs.find((r) => r.strategy === 'cascade') as LlmRun;
    const sameDecisions =
      parallel16.shapes.length === cascade16.shapes.length && parallel16.shapes.every((s, i) => s.outcome === cascade16.shapes[i]?.outcome);
    const saved = 1 - cascade16.defenderCalls / parallel16.defenderCalls;
    const judged = parallel16.shapes.filter((x) => x.calls > 0);
    const firstWaveSplitShare = judged.filter((x) => x.firstWaveSplit).length / Math.max(1, judged.length);
    const goalList = goals({
      startup,
      embedded10k: whole,
      rss100k: bigResult,
      rss1m: huge,
      parallel16,
      cascade: { savedShare: saved, wallRatio: cascade16.wallMs / parallel16.wallMs, firstWaveSplitShare, identical: sameDecisions },
      eval: evalRun as EvalRun,
    });

    const out: string[] = [];
    out.push(`hive ${TOOL_VERSION} bench — node ${process.version}, ${cpus().length} CPUs, simulated model latency ${LATENCY_MS} ms${QUICK ? ' (QUICK sizes)' : ''}`);
    out.push('');
    out.push('0. the goals of issue 16, each measured in this run');
    out.push(table(goalRows(goalList)));
    out.push(
      `   start-up: categories with an empty scenario cache ${startup.categoriesColdMs} ms, --help ${startup.helpMs} ms; the whole-process run above includes start-up and the closing tables`,
    );
    out.push('');
    out.push(`1. ${LLM_ROUNDS}-round wargame, six LLM defenders (3 of 6) + LLM attacker, healer on (lag ${LAG}), loopback Ollama`);
    out.push(
      table([
        ['strategy', 'concurrency', 'wall s', 'ideal s', 'wall/ideal', 'defender calls', 'calls/round', 'aborted', 'max in flight', 'target'],
        ...runs.map((r) => [
          r.strategy,
          String(r.concurrency),
          (r.wallMs / 1000).toFixed(2),
          (r.idealMs / 1000).toFixed(2),
          r.ratio.toFixed(3),
          String(r.defenderCalls),
          r.callsPerRound.toFixed(2),
          String(r.serverAborted),
          String(r.serverMaxInFlight),
          r.strategy === 'parallel' && r.concurrency === 16 ? `<= 1.05 ${mark(r.ratio <= 1.05)}` : '',
        ]),
      ]),
    );
    out.push(
      `   cascade vs parallel at concurrency 16: ${pct(saved)} fewer defender calls (target >= 40% ${mark(saved >= 0.4)}), decisions ${sameDecisions ? 'identical in every round' : 'DIFFERENT'} (${mark(sameDecisions)}), wall ${(cascade16.wallMs / 1000).toFixed(2)} s vs ${(parallel16.wallMs / 1000).toFixed(2)} s`,
    );
    out.push('', '1a. where the time beyond the ideal goes (s; waits summed over rounds, so they overlap across workers)', table(gapRows(runs)), ...GAP_NOTES);
    if (queue) out.push('', ...queueSection(queue));
    out.push('');
    out.push('2. embedded default cast (five detectors, healer on), every round written to SQLite, each run in its own process');
    out.push(
      table([
        ['rounds', 'wall s', 'rounds/s', 'cpu s', 'peak RSS MB', 'breaches', 'instant blocks', 'target'],
        ...[embedded, bigResult, ...(huge ? [huge] : [])].map((e) => [
          e.rounds.toLocaleString('en'),
          (e.wallMs / 1000).toFixed(1),
          String(e.roundsPerSec),
          (e.cpuMs / 1000).toFixed(1),
          String(e.peakRssMB),
          String(e.breaches),
          String(e.instantBlocks),
          e === embedded ? '' : e === huge ? `RSS <= 250 MB ${mark(e.peakRssMB <= 250)}` : `RSS <= 200 MB ${mark(e.peakRssMB <= 200)}`,
        ]),
      ]),
    );
    out.push(`   (the ${EMBEDDED_BIG.toLocaleString('en')}-round run shared the machine with the concurrency 4 run: its rounds/s is indicative only)`);
    out.push('');
    out.push('3. healer screening cost against blocklist size (normalisation included)');
    out.push(
      table([
        ['patterns', 'µs per screen', 'µs per add', 'texts matched'],
        ...screening.map((p) => [p.patterns.toLocaleString('en'), p.usPerScreen.toFixed(1), p.usPerAdd.toFixed(2), String(p.matches)]),
      ]),
    );
    const totalS = (performance.now() - benchStarted) / 1000;
    out.push('');
    out.push(`bench took ${totalS.toFixed(0)} s (load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
    process.stdout.write(`${out.join('\n')}\n`);

    const results = {
      tool_version: TOOL_VERSION,
      date: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      loadavg_end: loadavg(),
      latency_ms: LATENCY_MS,
      quick: QUICK,
      bench_seconds: Math.round(totalS),
      llm: runs.map(({ shapes, gap, ...r }) => snake({ ...r, gap: snake(gap), roundsByDepth: countBy(shapes.map((s) => s.depth)) })),
      cascade_vs_parallel: {
        concurrency: 16,
        parallel_calls: parallel16.defenderCalls,
        cascade_calls: cascade16.defenderCalls,
        cascade_aborted: cascade16.shapes.reduce((n, s) => n + s.aborted, 0),
        cascade_skipped: cascade16.shapes.reduce((n, s) => n + s.skipped, 0),
        saved_share: Number(saved.toFixed(4)),
        identical_decisions: sameDecisions,
        parallel_wall_ms: parallel16.wallMs,
        cascade_wall_ms: cascade16.wallMs,
      },
      shared_host: queue ? { ...snake(queue), defenders: queue.defenders.map(snake) } : null,
      embedded: [embedded, bigResult, ...(huge ? [huge] : [])].map(snake),
      startup: snake(startup),
      wargame_process: snake(whole),
      eval: evalRun ? snake(evalRun) : null,
      first_wave_split_share: Number(firstWaveSplitShare.toFixed(4)),
      goals: goalList,
      screening: screening.map(snake),
      targets: {
        startup_within_2x_node: startup.ratio <= 2,
        embedded_2500_rounds_per_s: whole.roundsPerSec >= 2500,
        rss_100k_within_200mb: bigResult.peakRssMB <= 200,
        rss_1m_within_250mb: huge ? huge.peakRssMB <= 250 : null,
        concurrency16_within_5pct: parallel16.ratio <= 1.05,
        cascade_saves_40pct: saved >= 0.4,
        cascade_wall_within_10pct: cascade16.wallMs / parallel16.wallMs <= 1.1,
        cascade_first_wave_split_30pct: firstWaveSplitShare >= 0.3,
        identical_decisions: sameDecisions,
        eval_within_5pct: evalRun ? evalRun.ratio <= 1.05 : null,
        service_time_within_10pct: queue ? serviceWithin(queue, 0.1) : null,
      },
    };
    writeFileSync(join(PACKAGE_ROOT, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    log(`bench: results in ${join(PACKAGE_ROOT, 'bench', 'results.json')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** results.json keys are snake_case, like `hive report --format json`. */
function snake(o: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k.replace(/([a-z0-9])([A-Z]+)/g, '$1_$2').toLowerCase(), v]));
}

function countBy(xs: readonly number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[String(x)] = (out[String(x)] ?? 0) + 1;
  return out;
}

await main();
