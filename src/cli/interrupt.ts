import type { CliContext } from './context.js';

/**
 * Ctrl-C once: no new round starts, the rounds in flight finish and are stored (resumable).
 * Ctrl-C twice: the calls in flight are cancelled too. `release` hands SIGINT back.
 */
export function interruptSignals(ctx: CliContext, say: (text: string) => void = ctx.err): { stop: AbortSignal; abort: AbortSignal; release: () => void } {
  const stop = new AbortController();
  const abort = new AbortController();
  ctx.onInterrupt?.(() => {
    if (!stop.signal.aborted) {
      say('stopping: finishing the rounds in flight (Ctrl-C again to abort them)…');
      stop.abort();
    } else abort.abort();
  });
  return { stop: stop.signal, abort: abort.signal, release: () => ctx.onInterrupt?.(undefined) };
}
