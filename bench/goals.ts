/**
 * The table of issue 16: each goal, what this run measured (a ratio taken in this one run where
 * the goal is one), and whether it is met. bench/run.ts prints it first and puts it in results.json.
 */
export interface GoalInputs {
  startup: { nodeMs: number; categoriesMs: number; ratio: number };
  embedded10k: { rounds: number; wallMs: number; roundsPerSec: number };
  rss100k: { rounds: number; peakRssMB: number };
  rss1m: { rounds: number; peakRssMB: number } | null;
  parallel16: { rounds: number; wallMs: number; idealMs: number; ratio: number };
  cascade: { savedShare: number; wallRatio: number; firstWaveSplitShare: number; identical: boolean };
  eval: { rows: number; wallMs: number; idealMs: number; ratio: number };
}

export interface Goal {
  figure: string;
  measured: string;
  goal: string;
  met: boolean | null;
}

const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

export function goals(g: GoalInputs): Goal[] {
  return [
    {
      figure: '`hive categories` vs bare `node -e 0`',
      measured: `${g.startup.categoriesMs} ms vs ${g.startup.nodeMs} ms (${g.startup.ratio.toFixed(2)}×)`,
      goal: '≤ 2×',
      met: g.startup.ratio <= 2,
    },
    {
      figure: `embedded default, ${g.embedded10k.rounds.toLocaleString('en')} rounds, whole process`,
      measured: `${s(g.embedded10k.wallMs)} (${g.embedded10k.roundsPerSec.toLocaleString('en')} rounds/s)`,
      goal: '≥ 2,500 rounds/s',
      met: g.embedded10k.roundsPerSec >= 2500,
    },
    {
      figure: `peak RSS at ${g.rss100k.rounds.toLocaleString('en')} rounds`,
      measured: `${g.rss100k.peakRssMB} MB`,
      goal: '≤ 200 MB',
      met: g.rss100k.peakRssMB <= 200,
    },
    {
      figure: g.rss1m ? `peak RSS at ${g.rss1m.rounds.toLocaleString('en')} rounds` : 'peak RSS at 1,000,000 rounds',
      measured: g.rss1m ? `${g.rss1m.peakRssMB} MB` : 'not run (HIVE_BENCH_MILLION=0)',
      goal: '≤ 250 MB',
      met: g.rss1m ? g.rss1m.peakRssMB <= 250 : null,
    },
    {
      figure: `${g.parallel16.rounds} rounds, six loopback defenders, concurrency 16, parallel`,
      measured: `${s(g.parallel16.wallMs)} vs ideal ${s(g.parallel16.idealMs)} (${g.parallel16.ratio.toFixed(3)}×)`,
      goal: '≤ 1.05×',
      met: g.parallel16.ratio <= 1.05,
    },
    {
      figure: `cascade (first wave split on ${pct(g.cascade.firstWaveSplitShare)} of rounds)`,
      measured: `${pct(g.cascade.savedShare)} fewer calls, wall ${g.cascade.wallRatio.toFixed(3)}× parallel, decisions ${g.cascade.identical ? 'identical' : 'DIFFERENT'}`,
      goal: '≥ 40% fewer, ≤ 1.10× wall, split ≥ 30%',
      met: g.cascade.savedShare >= 0.4 && g.cascade.wallRatio <= 1.1 && g.cascade.identical && g.cascade.firstWaveSplitShare >= 0.3,
    },
    {
      figure: `${g.eval.rows} single-defender calls, \`hive eval\`, concurrency 16`,
      measured: `${s(g.eval.wallMs)} vs ideal ${s(g.eval.idealMs)} (${g.eval.ratio.toFixed(3)}×)`,
      goal: '≤ 1.05×',
      met: g.eval.ratio <= 1.05,
    },
  ];
}

/** The goals as text rows for bench/run.ts's table helper. */
export function goalRows(list: readonly Goal[]): string[][] {
  return [['figure', 'measured', 'goal', ''], ...list.map((x) => [x.figure, x.measured, x.goal, x.met === null ? '—' : x.met ? 'ok' : 'MISSED'])];
}
