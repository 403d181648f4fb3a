import type { Command } from 'commander';
import { loadAttackerPool, loadCast } from '../../config/load.js';
import { DEFAULT_PATHS } from '../../config/paths.js';
import { DEFAULT_PREFLIGHT_TIMEOUT_MS, preflight } from '../../models/preflight.js';
import { neutralize } from '../../report/render/sanitize.js';
import { terminalTable } from '../../report/render/table.js';
import type { CliContext } from '../context.js';
import { say } from '../output.js';
import { intOption } from '../options.js';

interface DoctorFlags {
  cast: string;
  attackers: string;
  timeout: number;
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
      const cast = loadCast(flags.cast);
      const pool = loadAttackerPool(flags.attackers);
      const report = await preflight({ cast, pool, env: ctx.env, timeoutMs: Math.max(1, flags.timeout) });
      // Config values and server messages are untrusted text: neutralised before they reach a terminal.
      const rows = report.rows.map((r) => [r.role, r.name, r.provider, r.model, r.host || '—', r.reachable, r.present, r.key, r.fix ?? ''].map((c) => neutralize(c)));
      ctx.out(terminalTable(['role', 'name', 'provider', 'model', 'host', 'reachable', 'model present', 'api key', 'fix'], rows, { width: ctx.width }));
      if (report.problems.length === 0) {
        say(ctx, `all ${report.rows.length} model(s) ready.`);
        return;
      }
      say(ctx, `${report.problems.length} problem(s):`);
      for (const p of report.problems) say(ctx, `  ${p.role} ${neutralize(p.name)}: ${neutralize(p.problem ?? '')}; fix: ${neutralize(p.fix ?? '')}`);
      ctx.exitCode = 1;
    });
}
