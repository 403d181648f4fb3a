import type { CliContext } from './context.js';

/** Why a run is asked to stop: a signal (Ctrl-C is SIGINT), or stdout closed under it (`hive wargame | head`). */
export type InterruptCause = 'SIGINT' | 'SIGTERM' | 'SIGHUP' | 'stdout-closed';

/**
 * What the first signal's line says a second does. main.ts counts signals of any kind, so any
 * second signal aborts; Ctrl-C is named only when Ctrl-C is what came (a SIGHUP means the terminal
 * is gone, a SIGTERM comes from a process manager: neither user pressed Ctrl-C).
 */
function againHint(signal: Exclude<InterruptCause, 'stdout-closed'>): string {
  return signal === 'SIGINT' ? 'Ctrl-C again to abort them' : `${signal} received; a second signal aborts them`;
}

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
  const handler = (cause: InterruptCause = 'SIGINT'): void => {
    if (cause === 'stdout-closed') {
      if (stop.signal.aborted) return;
      // A failed stdout (ctx.stdoutFailure) is named once, as hive ends (src/cli/main.ts).
      if (ctx.stdoutFailure === undefined) ctx.err(`hive: stdout was closed: finishing the rounds in flight, then stopping (${after}).`);
      stop.abort();
    } else if (!stop.signal.aborted) {
      say(`stopping: finishing the rounds in flight (${againHint(cause)})…`);
      stop.abort();
    } else abort.abort();
  };
  ctx.onInterrupt?.(handler);
  // Closed before the run could start: it stops before its first round.
  if (ctx.stdoutClosed) handler('stdout-closed');
  return { stop: stop.signal, abort: abort.signal, release: () => ctx.onInterrupt?.(undefined) };
}
