import type { Command } from 'commander';
import Table from 'cli-table3';
import { ATLAS_VERSION } from '../../categories.js';
import { loadScenarios } from '../../config/scenarios.js';
import { DEFAULT_PATHS } from '../../config/paths.js';
import type { CliContext } from '../context.js';

export function registerCategories(program: Command, ctx: CliContext): void {
  program
    .command('categories')
    .description('list the 13 attack categories with their OWASP LLM Top 10 (2025) and MITRE ATLAS ids')
    .option('--scenarios <dir>', 'scenario folder', DEFAULT_PATHS.scenarios)
    .action((opts: { scenarios: string }) => {
      const scenarios = loadScenarios(opts.scenarios);
      const t = new Table({ head: ['id', 'title', 'OWASP', `ATLAS ${ATLAS_VERSION}`], style: { head: [], border: [] } });
      for (const s of scenarios.categories.values()) t.push([s.id, s.title, s.owasp.join(', '), s.atlas.join(', ')]);
      ctx.out(t.toString());
    });
}
