import type { Command } from 'commander';
import { DEFAULT_PATHS } from '../../config/paths.js';
import type { HealerEvent } from '../../domain.js';
import type { ResumeInfo } from '../../engine/resume.js';
import { UsageError } from '../../errors.js';
import { neutralize } from '../../report/render/sanitize.js';
import { plural } from '../../util/words.js';
import type { CliContext } from '../context.js';
import { checkWritable, say } from '../output.js';
import { collect, dbOption, floatOption, intOption, playModeOptions, type PlayModeFlags } from '../options.js';
import { resumeAdvice, resumeCommand } from '../run-end.js';

interface WargameFlags extends PlayModeFlags {
  rounds: number;
  cast: string;
  attackers: string;
  scenarios: string;
  batch: number;
  seed: number;
  concurrency: number;
  benignRatio: number;
  heal: boolean;
  db: string;
  category?: string[];
  quiet?: boolean;
  immunity?: string[];
  vaccine?: string[];
  freezeHealerAfter?: number;
  resume?: number;
  maxTokens?: number;
  maxMinutes?: number;
  maxCost?: number;
}

/** Options that shape a run's plan or swarm: a resumed run takes them from its stored config. */
const FIXED_BY_RESUME: ReadonlyArray<[keyof WargameFlags, string]> = [
  ['rounds', '--rounds'],
  ['cast', '--cast'],
  ['attackers', '--attackers'],
  ['scenarios', '--scenarios'],
  ['batch', '--batch'],
  ['seed', '--seed'],
  ['benignRatio', '--benign-ratio'],
  ['heal', '--no-heal'],
  ['category', '--category'],
  ['immunity', '--immunity'],
  ['vaccine', '--vaccine'],
  ['freezeHealerAfter', '--freeze-healer-after'],
  ['multiTurn', '--multi-turn'],
  ['maxTurns', '--max-turns'],
  ['refinements', '--refinements'],
];

export const DEFAULT_SEED = 42;

export function registerWargame(program: Command, ctx: CliContext): void {
  const command = program
    .command('wargame')
    .description('attackers write attacks, the swarm votes, the healer learns; every round goes to SQLite')
    .option('-n, --rounds <n>', 'rounds to play', intOption('--rounds'), 500)
    .option('--cast <file>', 'defender cast (YAML)', DEFAULT_PATHS.cast)
    .option('--attackers <file>', 'attacker pool (YAML)', DEFAULT_PATHS.attackers)
    .option('--scenarios <dir>', 'scenario folder', DEFAULT_PATHS.scenarios)
    .option('--batch <n>', 'rounds per batch row', intOption('--batch'), 50)
    .option('--seed <n>', 'seed for the plan and embedded attackers', intOption('--seed'), DEFAULT_SEED)
    .option('--concurrency <n>', 'rounds in flight', intOption('--concurrency'), 4)
    .option('--benign-ratio <r>', 'share of rounds that are benign controls', floatOption('--benign-ratio'), 0.2)
    .option('--no-heal', 'turn the auto-healer off')
    .option('--category <id>', 'only this category (repeatable)', collect)
    .option('--immunity <file>', 'start pre-immunised from an immunity file (repeatable; see "hive immunity")', collect)
    .option('--vaccine <file>', 'load a vaccine of indicator phrases, e.g. scenarios/vaccines/starter.yaml (repeatable)', collect)
    .option('--freeze-healer-after <n>', 'the healer stops learning after round N: later rounds are a held-out phase', intOption('--freeze-healer-after'));
  playModeOptions(command)
    .addOption(dbOption())
    .option('--resume <run>', 'continue an unfinished run (see "hive runs") with its stored plan and config', intOption('--resume'))
    .option('--max-tokens <n>', 'stop gracefully once the run has used this many tokens (resumable)', intOption('--max-tokens'))
    .option('--max-minutes <m>', 'stop gracefully after this many minutes of this session (resumable)', floatOption('--max-minutes'))
    .option('--max-cost <usd>', 'stop gracefully once the run has cost this many US dollars, from each model\'s price (resumable)', floatOption('--max-cost'))
    .option('-q, --quiet', 'print only the final tables')
    .action(async (flags: WargameFlags, cmd: Command) => {
      if (flags.resume !== undefined) {
        const fixed = FIXED_BY_RESUME.filter(([key]) => cmd.getOptionValueSource(key) === 'cli').map(([, flag]) => flag);
        if (fixed.length > 0) throw new UsageError(`${fixed.join(', ')} cannot be combined with --resume: a resumed run keeps the plan and config it was started with.`);
      }
      checkWritable(flags.db, '--db');
      // Loaded here, not at start-up: `hive --help` and the other commands never pay for the engine.
      const [{ resumeWargame }, { startWargame }, { preloadSummary }, { runEndTables }, { endedEarly, runCommand }, { storedReport }] = await Promise.all([
        import('../../engine/resume.js'),
        import('../../engine/start-wargame.js'),
        import('../../report/render/healer.js'),
        import('../../report/render/table.js'),
        import('../run-command.js'),
        import('../stored.js'),
      ]);
      const preloaded: HealerEvent[] = [];
      const budget = { maxTokens: flags.maxTokens, maxMinutes: flags.maxMinutes, maxCost: flags.maxCost };
      const onReady = (info: ResumeInfo): void => {
        const attackers = info.attackersName === null ? '' : `, attackers ${neutralize(info.attackersName)}`;
        say(
          ctx,
          `run ${info.runId} resumed (was ${info.previousStatus}): ${info.stored.length} of ${info.roundsPlanned} rounds already stored; seed ${info.seed}, cast ${neutralize(info.castName)}${attackers}, db ${flags.db}`,
        );
      };
      await runCommand(ctx, {
        quiet: Boolean(flags.quiet),
        onEvent: (e, print) => {
          if (e.type === 'healer' && e.event.round === 0) preloaded.push(e.event);
          if (e.type === 'run_started' && flags.resume === undefined) {
            print(`run ${e.runId}: ${e.roundsPlanned} rounds, seed ${flags.seed}, cast ${flags.cast}, attackers ${flags.attackers}, db ${flags.db}`);
            const loaded = preloadSummary(preloaded);
            if (loaded) print(loaded);
          }
        },
        play: (controls) =>
          flags.resume !== undefined
            ? resumeWargame({ runId: flags.resume, dbPath: flags.db, concurrency: flags.concurrency, budget, env: ctx.env, onReady, ...controls })
            : startWargame({
                budget,
                rounds: flags.rounds,
                castPath: flags.cast,
                attackersPath: flags.attackers,
                scenariosDir: flags.scenarios,
                dbPath: flags.db,
                batchSize: flags.batch,
                seed: flags.seed,
                concurrency: flags.concurrency,
                benignRatio: flags.benignRatio,
                heal: flags.heal,
                categories: flags.category,
                immunity: flags.immunity,
                vaccines: flags.vaccine,
                freezeHealerAfter: flags.freezeHealerAfter,
                multiTurn: flags.multiTurn,
                maxTurns: flags.maxTurns,
                refinements: flags.refinements,
                env: ctx.env,
                ...controls,
              }),
        resume: ({ runId }) => resumeCommand(runId, flags.db),
        end: ({ runId, result }) => {
          const report = storedReport(flags.db, runId);
          ctx.out('');
          ctx.out(runEndTables(report, ctx.width));
          if (result.status === 'completed') {
            say(ctx, `run ${runId} completed: ${plural(result.roundsDone, 'round')} stored in ${flags.db}`);
          } else {
            say(ctx, `${endedEarly(`run ${runId}`, result)}; ${result.roundsDone} of ${report.run.roundsPlanned} rounds stored.`);
            say(ctx, resumeAdvice(result.status, resumeCommand(runId, flags.db), result.reason));
          }
        },
      });
    });
}
