import type { Command } from 'commander';
import { DEFAULT_PREFLIGHT_TIMEOUT_MS } from '../../config/defaults.js';
import { DEFAULT_PATHS } from '../../config/paths.js';
import type { PreflightProblem, PreflightRow } from '../../models/preflight.js';
import { plural } from '../../report/numbers.js';
import { neutralize } from '../../report/render/sanitize.js';
import type { CliContext } from '../context.js';
import { intOption } from '../options.js';
import { say } from '../output.js';

interface DoctorFlags {
  cast: string;
  attackers: string;
  timeout: number;
}

/** How one model stands on its host: "defender guardian (llama3.1:8b): pulled, key set"; an embedded one is just named. */
function modelState(r: PreflightRow): string {
  const who = `${r.role} ${r.name}${r.model !== r.name ? ` (${r.model})` : ''}`;
  if (r.provider === 'embedded') return who;
  const present = r.present === 'ok' ? (r.provider === 'ollama' ? 'pulled' : 'listed') : r.present;
  return `${who}: ${present}${r.key === '—' ? '' : `, key ${r.key}`}`;
}

/** One row per host: every model it serves in the cast and the pool, and whether it answered. */
function hostRows(rows: readonly PreflightRow[]): string[][] {
  const hosts = new Map<string, PreflightRow[]>();
  for (const r of rows) {
    const key = r.host || '(in-process)';
    hosts.set(key, [...(hosts.get(key) ?? []), r]);
  }
  return [...hosts].map(([host, on]) => {
    const first = on[0] as PreflightRow;
    return [host, first.provider, first.provider === 'embedded' ? 'in-process' : first.reachable, on.map(modelState).join('; ')].map((c) => neutralize(c));
  });
}

/** The same problem on several models (a host that is down) is one line, naming them all. */
function groupedProblems(problems: readonly PreflightProblem[]): Array<{ problem: string; fix: string; who: string[] }> {
  const groups = new Map<string, { problem: string; fix: string; who: string[] }>();
  for (const p of problems) {
    const key = `${p.problem}\u0000${p.fix}`;
    const g = groups.get(key) ?? { problem: p.problem, fix: p.fix, who: [] };
    const who = `${p.role} ${p.name}`;
    if (!g.who.includes(who)) g.who.push(who);
    groups.set(key, g);
  }
  return [...groups.values()];
}

/** `hive doctor`: can every model of a cast and a pool be called? Exit 1 when anything is missing. */
export function registerDoctor(program: Command, ctx: CliContext): void {
  program
    .command('doctor')
    .description('check that every host is reachable, every model is pulled or listed and every api_key_env is set')
    .option('--cast <file>', 'defender cast (YAML)', DEFAULT_PATHS.cast)
    .option('--attackers <file>', 'attacker pool (YAML)', DEFAULT_PATHS.attackers)
    .option('--timeout <ms>', 'per-host check timeout', intOption('--timeout'), DEFAULT_PREFLIGHT_TIMEOUT_MS)
    .action(async (flags: DoctorFlags) => {
      const [{ loadAttackerPool, loadCast }, { preflight }, { terminalTable }] = await Promise.all([import('../../config/load.js'), import('../../models/preflight.js'), import('../../report/render/table.js')]);
      const cast = loadCast(flags.cast);
      const pool = loadAttackerPool(flags.attackers);
      const report = await preflight({ cast, pool, env: ctx.env, timeoutMs: Math.max(1, flags.timeout) });
      // Config values and server messages are untrusted text: neutralised before they reach a terminal.
      ctx.out(terminalTable(['host', 'provider', 'reachable', 'models'], hostRows(report.rows), { width: ctx.width }));
      const problems = groupedProblems(report.problems);
      if (problems.length === 0) {
        say(ctx, `ready: ${plural(report.rows.length, 'model')} on ${plural(new Set(report.rows.map((r) => r.host)).size, 'host')}, nothing missing.`);
        return;
      }
      say(ctx, `${plural(problems.length, 'problem')}:`);
      for (const p of problems) {
        say(ctx, `  ${neutralize(p.who.join(', '))}: ${neutralize(p.problem)}`);
        say(ctx, `    fix: ${neutralize(p.fix)}`);
      }
      ctx.exitCode = 1;
    });
}
