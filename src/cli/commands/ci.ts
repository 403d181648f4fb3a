import { Option, type Command } from 'commander';
import { UsageError } from '../../errors.js';
import { DEFAULT_CI_ROUNDS } from '../../config/defaults.js';
import { DEFAULT_PATHS } from '../../config/paths.js';
import { neutralize } from '../../report/render/sanitize.js';
import type { GateResult } from '../../report/compute/types.js';
import { notResumable } from '../../run-stops.js';
import type { CliContext } from '../context.js';
import { dbOption, floatOption, intOption, playModeOptions, runIdArgument, type PlayModeFlags } from '../options.js';
import { checkWritable, render, say } from '../output.js';

interface CiFlags extends PlayModeFlags {
  cast: string;
  attackers?: string;
  replay?: string;
  corpus?: string;
  rounds?: number;
  seed: number;
  batch: number;
  benignRatio: number;
  concurrency: number;
  scenarios: string;
  heal?: boolean;
  minDefence?: number;
  maxFpr?: number;
  maxErrorRate?: number;
  minMultiTurnDefence?: number;
  minIterativeDefence?: number;
  /** The American spellings (--min-defense…), read as the same gates (DEFENCE_GATES). */
  minDefense?: number;
  minMultiTurnDefense?: number;
  minIterativeDefense?: number;
  baseline?: string;
  maxDrop?: number;
  alpha: number;
  gates?: string;
  junit?: string;
  summary?: string;
  db: string;
  quiet?: boolean;
}

/** A GitHub Actions workflow command; its message escapes %, CR and LF as the runner expects. */
function githubError(g: GateResult): string {
  const esc = (s: string) => neutralize(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  return `::error title=${esc(`hive gate ${g.name}`).replace(/[:,]/g, (c) => (c === ':' ? '%3A' : '%2C'))}::${esc(g.detail)}`;
}

/**
 * The gates written "defence", each read under its American spelling too (docs/ci.md): one
 * definition of the flag, its alias and its help.
 */
const DEFENCE_GATES = [
  { key: 'minDefence', alias: 'minDefense', flag: '--min-defence', american: '--min-defense', help: 'gate: overall defence rate at least R (0–1)' },
  {
    key: 'minMultiTurnDefence',
    alias: 'minMultiTurnDefense',
    flag: '--min-multi-turn-defence',
    american: '--min-multi-turn-defense',
    help: "gate: conversations' defence rate, blocks at the payload turn or later, at least R (0–1; needs --multi-turn)",
  },
  {
    key: 'minIterativeDefence',
    alias: 'minIterativeDefense',
    flag: '--min-iterative-defence',
    american: '--min-iterative-defense',
    help: "gate: iterative rounds' defence rate after every attempt at least R (0–1; needs --refinements)",
  },
] as const;

type DefenceGateKey = (typeof DEFENCE_GATES)[number]['key'];

/** A defence gate's value under either spelling; UsageError when both are given. */
function defenceGate(flags: CiFlags, key: DefenceGateKey): number | undefined {
  const g = DEFENCE_GATES.find((d) => d.key === key) as (typeof DEFENCE_GATES)[number];
  if (flags[g.key] !== undefined && flags[g.alias] !== undefined) throw new UsageError(`${g.flag} and ${g.american} are the same gate: pass one.`);
  return flags[g.key] ?? flags[g.alias];
}

/** A run of hive ci is not resumed (its gates would never be checked): it is run again. */
const AGAIN = notResumable('wargame', 'ci') as string;

export function registerCi(program: Command, ctx: CliContext): void {
  const command = program
    .command('ci')
    .description('play a run and check it against quality gates: exit 0 all pass, 1 a gate failed, 2 bad usage or config')
    .requiredOption('--cast <file>', 'defender cast under test (YAML); its gates: key holds per-category gates')
    .option('--attackers <file>', 'wargame against this attacker pool (default: the embedded attacker)')
    .option('--replay <run>', 'judge the stored inputs of this run instead (paired with it)')
    .option('--corpus <file>', 'judge a labelled corpus (JSONL or CSV) instead, as "hive eval" does')
    .option('-n, --rounds <n>', `wargame rounds (default ${DEFAULT_CI_ROUNDS})`, intOption('--rounds'))
    .option('--seed <n>', 'seed of the wargame plan', intOption('--seed'), 42)
    .option('--batch <n>', 'rounds per batch row', intOption('--batch'), 50)
    .option('--benign-ratio <r>', 'share of wargame rounds that are benign controls', floatOption('--benign-ratio'), 0.2)
    .option('--concurrency <n>', 'rounds in flight', intOption('--concurrency'), 4)
    .option('--scenarios <dir>', 'scenario folder', DEFAULT_PATHS.scenarios)
    .option('--heal', 'healer on (default for a wargame; a replay follows its source; a corpus has it off)')
    .option('--no-heal', 'healer off');
  for (const g of DEFENCE_GATES) {
    command.option(`${g.flag} <r>`, g.help, floatOption(g.flag)).addOption(new Option(`${g.american} <r>`, `the same as ${g.flag}`).argParser(floatOption(g.american)).hideHelp());
  }
  playModeOptions(command)
    .option('--max-fpr <r>', 'gate: overall false-positive rate at most R (0–1)', floatOption('--max-fpr'))
    .option('--max-error-rate <r>', 'gate: errored rounds (attack and benign) at most R of all rounds (0–1; on by default at 0.05)', floatOption('--max-error-rate'))
    .option('--baseline <run|file>', 'compare with a stored run (paired when they share inputs) or a "hive report --format json" file')
    .option('--max-drop <r>', 'gate: defence may fall at most R below the baseline (0–1, default 0); paired drops must also be significant', floatOption('--max-drop'))
    .option('--alpha <r>', "significance level of the paired test for --max-drop", floatOption('--alpha'), 0.05)
    .option('--gates <file>', 'gates file (YAML: overall and per-category min_defence / max_fpr), on top of the cast\'s')
    .option('--junit <file>', 'write JUnit XML, one test case per gate')
    .option('--summary <file>', 'append a Markdown summary to this file (e.g. $GITHUB_STEP_SUMMARY, which every step of a job shares)')
    .addOption(dbOption())
    .option('-q, --quiet', 'no batch lines while the run plays')
    .action(async (flags: CiFlags) => {
      const gate = (key: DefenceGateKey): number | undefined => defenceGate(flags, key);
      // Every file the command will write, before the run: a bad path costs no run.
      checkWritable(flags.db, '--db');
      if (flags.junit !== undefined) checkWritable(flags.junit, '--junit');
      if (flags.summary !== undefined) checkWritable(flags.summary, '--summary');
      const [{ CI_FORMATS }, { chooseFormat }, { runCi }, { endedEarly, runCommand }] = await Promise.all([
        import('../../report/render/formats.js'),
        import('../../report/render/registry.js'),
        import('../../workflows/ci.js'),
        import('../run-command.js'),
      ]);
      await runCommand(ctx, {
        quiet: Boolean(flags.quiet),
        again: AGAIN,
        onEvent: (e, print) => {
          if (e.type === 'run_started') print(`hive ci: run ${e.runId}, ${e.roundsPlanned} rounds, cast ${neutralize(flags.cast)}, db ${neutralize(flags.db)}`);
        },
        play: (controls) =>
          runCi({
            castPath: flags.cast,
            attackersPath: flags.attackers,
            replayRun: flags.replay !== undefined ? runIdArgument(flags.replay, '--replay') : undefined,
            corpusPath: flags.corpus,
            defaultAttackersPath: DEFAULT_PATHS.attackers,
            rounds: flags.rounds,
            seed: flags.seed,
            batchSize: flags.batch,
            benignRatio: flags.benignRatio,
            concurrency: flags.concurrency,
            scenariosDir: flags.scenarios,
            dbPath: flags.db,
            heal: flags.heal,
            minDefence: gate('minDefence'),
            maxFpr: flags.maxFpr,
            maxErrorRate: flags.maxErrorRate,
            gatesPath: flags.gates,
            baseline: flags.baseline,
            maxDrop: flags.maxDrop,
            alpha: flags.alpha,
            multiTurn: flags.multiTurn,
            maxTurns: flags.maxTurns,
            refinements: flags.refinements,
            minMultiTurnDefence: gate('minMultiTurnDefence'),
            minIterativeDefence: gate('minIterativeDefence'),
            env: ctx.env,
            ...controls,
          }),
        end: (ci) => {
          const failed = ci.gates.filter((g) => !g.passed);
          for (const g of ci.gates) say(ctx, `${g.passed ? 'PASS' : 'FAIL'} ${g.name}: ${neutralize(g.detail, { max: 400 })}`);
          if (ctx.env.GITHUB_ACTIONS === 'true') for (const g of failed) ctx.out(githubError(g));
          if (ci.status !== 'completed') say(ctx, `${endedEarly(`run ${ci.runId}`, ci.result)}: the gates saw only the rounds played; ${AGAIN}.`);
          say(
            ctx,
            failed.length === 0
              ? `hive ci: all ${ci.gates.length} gates passed (run ${ci.runId}).`
              : `hive ci: ${failed.length} of ${ci.gates.length} gates failed (run ${ci.runId}): ${failed.map((g) => g.name).join(', ')}`,
          );
          if (flags.junit) {
            render(ctx, chooseFormat(CI_FORMATS, 'junit'), ci, flags.junit, '--junit');
            say(ctx, `JUnit written to ${neutralize(flags.junit)}`);
          }
          if (flags.summary) {
            render(ctx, chooseFormat(CI_FORMATS, 'md'), ci, flags.summary, '--summary', true);
            say(ctx, `summary appended to ${neutralize(flags.summary)}`);
          }
        },
        failed: (ci) => !ci.passed,
      });
    });
}
