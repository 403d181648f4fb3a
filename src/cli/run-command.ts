/**
 * What every command that plays rounds shares (wargame and its --resume, eval, replay, reproduce,
 * ci): the progress display, Ctrl-C, the engine's events, the close once the run is over and the
 * exit code. A command says what it prints; this says when, where, and how the run ended.
 */
import type { EventSink, WargameEvent } from '../engine/events.js';
import { degradedLine } from '../engine/health.js';
import { wrapText } from '../report/render/layout.js';
import { neutralize } from '../report/render/sanitize.js';
import type { RunStatus } from '../domain.js';
import type { CliContext } from './context.js';
import { interruptSignals } from './interrupt.js';
import { RunProgress } from './progress.js';
import { exitCodeFor, resumeAdvice } from './run-end.js';

/** What a played run hands back: its id and how it ended. */
export interface PlayedRun {
  runId: number;
  result: { status: RunStatus; reason: string | null };
}

/** The controls a run is started with: events to the display, Ctrl-C once (stop) and twice (abort). */
export interface RunControls {
  emit: EventSink;
  stop: AbortSignal;
  abort: AbortSignal;
}

export interface RunCommand<R extends PlayedRun> {
  /** No batch rows while it plays: --quiet, or stdout carries data (JSON). */
  quiet: boolean;
  /** Stdout carries data (JSON): warnings go to stderr even where there is no progress bar. */
  dataOnStdout?: boolean;
  /** The command's own lines for an event (its header once the run has an id), printed where the batch rows go. */
  onEvent?: (event: WargameEvent, print: (line: string) => void) => void;
  /** Starts the run with the controls wired to this terminal. */
  play: (controls: RunControls) => Promise<R>;
  /** Prints what closes the command (final tables, how it ended, what next), after the progress bar is gone. */
  end: (run: R) => void;
  /** Whether the command failed although its run did not (a ci gate): exit 1 then. */
  failed?: (run: R) => boolean;
  /** The command that continues the run when it stopped early (`hive wargame --resume N`), for runs that can be resumed. */
  resume?: (run: R) => string;
  /** For runs that cannot be resumed: that, and how to run them again (src/engine/resume.ts `notResumable`). */
  again?: string;
}

/**
 * Plays a run command. Exit code (ctx.exitCode): src/cli/run-end.ts `exitCodeFor` of the run's
 * status (0, 1, 130), else 1 when `failed` says so. Errors before or while playing propagate (exit
 * 2 for a usage or config error); the bar is removed and Ctrl-C handed back either way.
 */
export async function runCommand<R extends PlayedRun>(ctx: CliContext, c: RunCommand<R>): Promise<R> {
  const progress = new RunProgress(ctx, { quiet: c.quiet });
  // Above the bar on a terminal; otherwise the Ctrl-C notice goes to stderr, so that stdout holds
  // only the run's record (batch rows, tables) and whatever data it carries.
  const notice = (line: string): void => (progress.interactive ? progress.line(line) : ctx.err(line));
  const warn = (line: string): void => (c.dataOnStdout ? notice(line) : progress.line(line));
  const signals = interruptSignals(ctx, notice, c.resume !== undefined);
  const emit = (e: WargameEvent): void => {
    // Wrapped like every other line between the batch rows, so no line is wider than the table.
    if (e.type === 'defender_degraded') for (const line of wrapText(`warning: ${neutralize(degradedLine(e.batch, e.health), { max: 300 })}`, ctx.width)) warn(line);
    c.onEvent?.(e, (text) => {
      for (const line of wrapText(text, ctx.width)) progress.line(line);
    });
    progress.handle(e);
  };
  let run: R;
  try {
    run = await c.play({ emit, stop: signals.stop, abort: signals.abort });
  } finally {
    progress.stop();
    signals.release();
  }
  if (ctx.stdoutClosed) {
    // Nobody reads stdout any more: how the run ended, and how to go on, go to stderr.
    const how = run.result.status === 'completed' ? `run ${run.runId} completed` : endedEarly(`run ${run.runId}`, run.result);
    const resume = run.result.status !== 'completed' ? c.resume?.(run) : undefined;
    const next = resume ? resumeAdvice(run.result.status, resume, run.result.reason) : run.result.status !== 'completed' ? c.again : undefined;
    // A failed stdout (not merely closed) is named in the same line: one line for the whole story.
    const failure = ctx.stdoutFailure === undefined ? '' : `cannot write to standard output: ${ctx.stdoutFailure}; `;
    if (failure) ctx.stdoutFailureSaid = true;
    ctx.err(`hive: ${failure}${how}${next ? `; ${next}` : ''}`);
  } else c.end(run);
  ctx.exitCode = exitCodeFor(run.result.status) || (c.failed?.(run) ? 1 : 0);
  return run;
}

/** "run 3 interrupted: <reason>": how a run that did not complete ended, its reason neutralised. */
export function endedEarly(what: string, result: PlayedRun['result']): string {
  return `${what} ${result.status}${result.reason ? `: ${neutralize(result.reason, { max: 600 })}` : ''}`;
}
