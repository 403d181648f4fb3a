import type { Command } from 'commander';
import { ATLAS_VERSION } from '../../categories.js';
import { DEFAULT_PATHS } from '../../config/paths.js';
import { cachedScenarioFolder } from '../../config/scenario-files.js';
import type { CliContext } from '../context.js';

export function registerCategories(program: Command, ctx: CliContext): void {
  program
    .command('categories')
    .description('list the 13 attack categories with their OWASP LLM Top 10 (2025) and MITRE ATLAS ids')
    .option('--scenarios <dir>', 'scenario folder', DEFAULT_PATHS.scenarios)
    .action(async (opts: { scenarios: string }) => {
      // A folder read before comes from the cache without loading the YAML parser or the schemas.
      const scenarios = cachedScenarioFolder(opts.scenarios).folder ?? (await import('../../config/scenarios.js')).loadScenarios(opts.scenarios);
      const { terminalTable } = await import('../../report/render/table.js');
      const rows = [...scenarios.categories.values()].map((s) => [s.id, s.title, s.owasp.join(', '), s.atlas.join(', ')]);
      ctx.out(terminalTable(['id', 'title', 'OWASP', `ATLAS ${ATLAS_VERSION}`], rows, { width: ctx.width }));
    });
}
