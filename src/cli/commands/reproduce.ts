import type { Command } from 'commander';
import { DEFAULT_PATHS } from '../../config/paths.js';
import { neutralize } from '../../report/render/sanitize.js';
import { REPRODUCE_FORMAT_IDS } from '../../report/render/format-ids.js';
import type { CliContext } from '../context.js';
import { resumeCommand } from '../run-end.js';
import { dbOption, intOption } from '../options.js';
import { checkWritable, render, say } from '../output.js';

interface ReproduceFlags {
  cast?: string;
  attackers?: string;
  embedded?: boolean;
  rounds?: number;
  seed: number;
  concurrency: number;
  batch: number;
  scenarios: string;
  format: string;
  db: string;
  quiet?: boolean;
}

export function registerReproduce(program: Command, ctx: CliContext): void {
  program
    .command('reproduce')
    .argument('[preset]', 'a published run: v6.0, v6.1, v6.2, v6.3, v6.4, v6.6, consensus-98.2 (none: list them)')
    .description('run a published configuration for its published rounds and set the measured numbers beside the published ones')
    .option('--cast <file>', "defender cast instead of the preset's (substituted models)")
    .option('--attackers <file>', "attacker pool instead of the preset's")
    .option('--embedded', 'dry run: the embedded cast and attackers with the preset\'s rounds (no model server needed)')
    .option('-n, --rounds <n>', 'attack rounds instead of the published number (shorter dry runs)', intOption('--rounds'))
    .option('--seed <n>', 'seed of the plan', intOption('--seed'), 42)
    .option('--concurrency <n>', 'rounds in flight', intOption('--concurrency'), 4)
    .option('--batch <n>', 'rounds per batch row', intOption('--batch'), 50)
    .option('--scenarios <dir>', 'scenario folder', DEFAULT_PATHS.scenarios)
    .option('-f, --format <format>', REPRODUCE_FORMAT_IDS.join(' | '), 'table')
    .addOption(dbOption())
    .option('-q, --quiet', 'no batch lines while the run plays')
    .action(async (presetId: string | undefined, flags: ReproduceFlags) => {
      const [{ findPreset, loadPresets }, { REPRODUCE_FORMATS }, { chooseFormat }, { renderPresetList }, { reproducePreset }, { runCommand }] = await Promise.all([
        import('../../config/presets.js'),
        import('../../report/render/formats.js'),
        import('../../report/render/registry.js'),
        import('../../report/render/reproduce.js'),
        import('../../workflows/reproduce.js'),
        import('../run-command.js'),
      ]);
      const format = chooseFormat(REPRODUCE_FORMATS, flags.format);
      const json = format.id === 'json';
      if (presetId === undefined) {
        ctx.out(renderPresetList(loadPresets(), ctx.width));
        say(ctx, 'run one with "hive reproduce <preset>" (add --embedded for a dry run without model servers).');
        return;
      }
      const preset = findPreset(presetId);
      checkWritable(flags.db, '--db');
      await runCommand(ctx, {
        quiet: Boolean(flags.quiet) || json,
        dataOnStdout: json,
        onEvent: (e, print) => {
          if (e.type === 'run_started' && !json) print(`reproduce ${preset.id}: run ${e.runId}, ${e.roundsPlanned} rounds, db ${neutralize(flags.db)}`);
        },
        play: (controls) =>
          reproducePreset({
            preset,
            castPath: flags.cast,
            attackersPath: flags.attackers,
            embedded: Boolean(flags.embedded),
            rounds: flags.rounds,
            seed: flags.seed,
            concurrency: flags.concurrency,
            batchSize: flags.batch,
            scenariosDir: flags.scenarios,
            dbPath: flags.db,
            env: ctx.env,
            ...controls,
          }),
        // The run is a wargame: a resume completes it, and "hive report" shows it.
        resume: ({ runId }) => resumeCommand(runId, flags.db),
        end: (r) => {
          // A blank line between the batch rows and the table.
          if (format.id === 'table') ctx.out('');
          render(ctx, format, r);
        },
      });
    });
}
