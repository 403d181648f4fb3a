import type { CliContext } from './context.js';

/** Why a run is asked to stop: Ctrl-C (or SIGTERM), or stdout closed under it (`hive wargame | head`). */
export type InterruptCause = 'signal' | 'stdout-closed';

/**
 * Ctrl-C once: no new round starts, the rounds in flight finish and are stored (resumable).
 * Ctrl-C twice: the calls in flight are cancelled too. A closed stdout stops the run like the
 * first Ctrl-C: nobody reads what it prints any more. `release` hands SIGINT back.
 */
export function interruptSignals(ctx: CliContext, say: (text: string) => void = ctx.err, resumable = true): { stop: AbortSignal; abort: AbortSignal; release: () => void } {
  // Only a wargame resumes: an eval or a replay keeps what it stored, and is run again.
  const after = resumable ? 'resumable' : 'the rounds so far stay stored';
  const stop = new AbortController();
  const abort = new AbortController();
  const handler = (cause: InterruptCause = 'signal'): void => {
    if (cause === 'stdout-closed') {
      if (stop.signal.aborted) return;
      // A failed stdout (ctx.stdoutFailure) is named once, as hive ends (src/cli/main.ts).
      if (ctx.stdoutFailure === undefined) ctx.err(`hive: stdout was closed: finishing the rounds in flight, then stopping (${after}).`);
      stop.abort();
    } else if (!stop.signal.aborted) {
      say('stopping: finishing the rounds in flight (Ctrl-C again to abort them)…');
      stop.abort();
    } else abort.abort();
  };
  ctx.onInterrupt?.(handler);
  // Closed before the run could start: it stops before its first round.
  if (ctx.stdoutClosed) handler('stdout-closed');
  return { stop: stop.signal, abort: abort.signal, release: () => ctx.onInterrupt?.(undefined) };
}
