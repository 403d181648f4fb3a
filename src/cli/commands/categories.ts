import type { Command } from 'commander';
import { ATLAS_VERSION } from '../../categories.js';
import { loadScenarios } from '../../config/scenarios.js';
import { DEFAULT_PATHS } from '../../config/paths.js';
import { terminalTable } from '../../report/render/table.js';
import type { CliContext } from '../context.js';

export function registerCategories(program: Command, ctx: CliContext): void {
  program
    .command('categories')
    .description('list the 13 attack categories with their OWASP LLM Top 10 (2025) and MITRE ATLAS ids')
    .option('--scenarios <dir>', 'scenario folder', DEFAULT_PATHS.scenarios)
    .action((opts: { scenarios: string }) => {
      const scenarios = loadScenarios(opts.scenarios);
      const rows = [...scenarios.categories.values()].map((s) => [s.id, s.title, s.owasp.join(', '), s.atlas.join(', ')]);
      ctx.out(terminalTable(['id', 'title', 'OWASP', `ATLAS ${ATLAS_VERSION}`], rows, { width: ctx.width }));
    });
}
