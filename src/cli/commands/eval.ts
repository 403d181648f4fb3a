import type { Command } from 'commander';
import type { Corpus } from '../../config/corpus.js';
import { DEFAULT_PATHS } from '../../config/paths.js';
import { ConfigError } from '../../errors.js';
import { plural } from '../../report/numbers.js';
import { neutralize } from '../../report/render/sanitize.js';
import { notResumable } from '../../run-stops.js';
import type { CliContext } from '../context.js';
import { checkWritable, say } from '../output.js';
import { dbOption, intOption } from '../options.js';

interface EvalFlags {
  corpus: string;
  cast: string;
  scenarios: string;
  heal: boolean;
  strict: boolean;
  textColumn: string;
  labelColumn: string;
  db: string;
  concurrency: number;
  batch: number;
  quiet?: boolean;
  thresholdFrom?: number;
}

/** How many unreadable rows are listed one by one before the rest are only counted. */
const LISTED_PROBLEMS = 20;

function listProblems(ctx: CliContext, corpus: Corpus): void {
  const n = corpus.problems.length;
  if (n === 0) return;
  ctx.err(`corpus ${neutralize(corpus.file)}: ${plural(n, 'row')} could not be read${n > LISTED_PROBLEMS ? ` (first ${LISTED_PROBLEMS} listed)` : ''}:`);
  for (const p of corpus.problems.slice(0, LISTED_PROBLEMS)) ctx.err(`  line ${p.line}: ${neutralize(p.reason, { max: 160 })}`);
  if (n > LISTED_PROBLEMS) ctx.err(`  … and ${n - LISTED_PROBLEMS} more`);
}

/** An eval run is not resumed: it is run again. */
const AGAIN = notResumable('eval', 'eval') as string;

export function registerEval(program: Command, ctx: CliContext): void {
  program
    .command('eval')
    .description('put a labelled corpus (JSONL or CSV: text, label, optional category and source) through a cast; stored as an eval run')
    .requiredOption('--corpus <file>', 'labelled inputs: .jsonl (one object per line) or .csv (header row)')
    .option('--cast <file>', 'defender cast (YAML)', DEFAULT_PATHS.cast)
    .option('--scenarios <dir>', 'scenario folder (embedded defenders and the healer\'s benign guard use it)', DEFAULT_PATHS.scenarios)
    .option('--heal', 'let the healer learn from the corpus as it goes (off by default: it learns from the rows it is measured on)', false)
    .option('--strict', 'stop (exit 2) when any row cannot be read, instead of leaving it out', false)
    .option('--text-column <name>', 'column or key holding the input text', 'text')
    .option('--label-column <name>', 'column or key holding the label (attack/benign, 1/0, true/false)', 'label')
    .option('--threshold-from <run>', "report TPR and FPR at that earlier run's 1%-FPR score threshold (same cast): out-of-sample figures", intOption('--threshold-from'))
    .option('--batch <n>', 'rows per batch row', intOption('--batch'), 500)
    .option('--concurrency <n>', 'rows in flight', intOption('--concurrency'), 4)
    .addOption(dbOption())
    .option('-q, --quiet', 'print only the final tables')
    .action(async (flags: EvalFlags) => {
      checkWritable(flags.db, '--db');
      const [{ readCorpus }, { startEval }, { renderReportTable }, { endedEarly, runCommand }, { storedReport }] = await Promise.all([
        import('../../config/corpus.js'),
        import('../../engine/start-eval.js'),
        import('../../report/render/table.js'),
        import('../run-command.js'),
        import('../stored.js'),
      ]);
      const corpus = readCorpus(flags.corpus, { text: flags.textColumn, label: flags.labelColumn });
      const first = corpus.problems[0];
      // A user error is one line: under --strict the first bad row is named and the rest counted,
      // before any listing (the listing is for the runs that go on without them).
      if (flags.strict && first) {
        const more = corpus.problems.length - 1;
        throw new ConfigError(
          `corpus ${flags.corpus}:${first.line}: ${neutralize(first.reason, { max: 160 })}${more > 0 ? ` (and ${plural(more, 'more unreadable row')})` : ''}; fix the rows or run without --strict to leave them out.`,
        );
      }
      if (corpus.rows.length === 0) {
        throw new ConfigError(
          `corpus ${flags.corpus} has no readable rows${first ? ` (line ${first.line}: ${neutralize(first.reason, { max: 160 })})` : ''}; check --text-column and --label-column.`,
        );
      }
      listProblems(ctx, corpus);
      const attacks = corpus.rows.filter((r) => r.kind === 'attack').length;
      await runCommand(ctx, {
        quiet: Boolean(flags.quiet),
        again: AGAIN,
        onEvent: (e, print) => {
          if (e.type !== 'run_started') return;
          print(
            `eval run ${e.runId}: ${plural(corpus.rows.length, 'row')} (${plural(attacks, 'attack')}, ${corpus.rows.length - attacks} benign) from ${neutralize(flags.corpus)}, ` +
              `cast ${neutralize(flags.cast)}, healer ${flags.heal ? 'on' : 'off'}, db ${neutralize(flags.db)}`,
          );
        },
        play: (controls) =>
          startEval({
            corpus,
            castPath: flags.cast,
            scenariosDir: flags.scenarios,
            dbPath: flags.db,
            batchSize: flags.batch,
            concurrency: flags.concurrency,
            heal: flags.heal,
            thresholdFrom: flags.thresholdFrom,
            env: ctx.env,
            ...controls,
          }),
        end: ({ runId, result }) => {
          ctx.out('');
          // The batch rows were printed while it played, unless --quiet kept them back.
          ctx.out(renderReportTable(storedReport(flags.db, runId), { color: ctx.color.level > 0, width: ctx.width, batches: Boolean(flags.quiet) }));
          if (result.status === 'completed') {
            say(ctx, `eval run ${runId} completed: ${plural(result.roundsDone, 'row')} stored in ${neutralize(flags.db)}; "hive report ${runId} --format json|csv|md" for the rest.`);
          } else {
            say(ctx, `${endedEarly(`eval run ${runId}`, result)}; ${plural(result.roundsDone, 'row')} stored; ${AGAIN}.`);
          }
        },
      });
    });
}
