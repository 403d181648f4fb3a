import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import type { CliContext } from '../../src/cli/context.js';
import type { InterruptCause } from '../../src/cli/interrupt.js';
import { runCommand, type PlayedRun, type RunControls } from '../../src/cli/run-command.js';
import { UsageError } from '../../src/errors.js';
import type { WargameEvent } from '../../src/engine/events.js';
import { emptyCounts } from '../../src/stats/outcomes.js';
import type { RunStatus } from '../../src/domain.js';

/** A context that records stdout, stderr and the SIGINT handler a command registers. */
function context(): CliContext & { stdout: string[]; stderr: string[]; handlers: Array<((cause?: InterruptCause) => void) | undefined> } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const handlers: Array<((cause?: InterruptCause) => void) | undefined> = [];
  return {
    stdout,
    stderr,
    handlers,
    out: (t) => stdout.push(t),
    err: (t) => stderr.push(t),
    isTTY: false,
    width: Infinity,
    color: new Chalk({ level: 0 }),
    env: {},
    onInterrupt: (h) => handlers.push(h),
    exitCode: 0,
  };
}

const degraded: WargameEvent = {
  type: 'defender_degraded',
  runId: 1,
  batch: 2,
  health: { defender: 'd1', asked: 10, abstained: 4, degraded: true, lastError: 'timeout \u001b[31mred' },
};

function played(status: RunStatus, events: WargameEvent[] = []): (c: RunControls) => Promise<PlayedRun> {
  return async ({ emit }) => {
    for (const e of events) emit(e);
    return { runId: 1, result: { status, reason: null } };
  };
}

describe('runCommand', () => {
  it('maps every status to one exit code, and a failed check of a completed run to 1', async () => {
    const codes: Array<[RunStatus, boolean, number]> = [
      ['completed', false, 0],
      ['budget_exhausted', false, 0],
      ['interrupted', false, 130],
      ['interrupted', true, 130],
      ['failed', false, 1],
      ['quorum_lost', false, 1],
      ['completed', true, 1],
    ];
    for (const [status, failed, code] of codes) {
      const ctx = context();
      await runCommand(ctx, { quiet: true, play: played(status), end: () => {}, failed: () => failed });
      expect([status, failed, ctx.exitCode]).toEqual([status, failed, code]);
    }
  });

  it('prints a degraded defender once, neutralised, beside the batch rows; on stderr when stdout carries data', async () => {
    const rows = context();
    await runCommand(rows, { quiet: false, play: played('completed', [degraded]), end: () => {} });
    expect(rows.stdout).toEqual(['warning: batch 2: defender d1 is degraded: abstained on 4 of 10 votes (40%); last error: timeout \\x1b[31mred']);
    expect(rows.stderr).toEqual([]);

    const data = context();
    await runCommand(data, { quiet: true, dataOnStdout: true, play: played('completed', [degraded]), end: () => {} });
    expect(data.stdout).toEqual([]);
    expect(data.stderr).toHaveLength(1);
  });

  it("prints the command's own lines for events, then its close, in order", async () => {
    const ctx = context();
    const started: WargameEvent = { type: 'run_started', runId: 1, roundsPlanned: 10, roundsAlreadyDone: 0 };
    const ended: WargameEvent = { type: 'run_ended', runId: 1, status: 'completed', reason: null, totals: emptyCounts() };
    await runCommand(ctx, {
      quiet: false,
      onEvent: (e, print) => print(`event ${e.type}`),
      play: played('completed', [started, ended]),
      end: (run) => ctx.out(`end of run ${run.runId}`),
    });
    expect(ctx.stdout).toEqual(['event run_started', 'event run_ended', 'end of run 1']);
  });

  it('stops on the first Ctrl-C with the notice on stderr, aborts on the second, and hands SIGINT back', async () => {
    const ctx = context();
    const seen: boolean[] = [];
    await runCommand(ctx, {
      quiet: true,
      play: async ({ stop, abort }) => {
        ctx.handlers.at(-1)?.();
        seen.push(stop.aborted, abort.aborted);
        ctx.handlers.at(-1)?.();
        seen.push(abort.aborted);
        return { runId: 1, result: { status: 'interrupted', reason: null } };
      },
      end: () => {},
    });
    expect(seen).toEqual([true, false, true]);
    expect(ctx.stderr).toEqual(['stopping: finishing the rounds in flight (Ctrl-C again to abort them)…']);
    expect(ctx.handlers.at(-1)).toBeUndefined();
    expect(ctx.exitCode).toBe(130);
  });

  for (const signal of ['SIGHUP', 'SIGTERM'] as const) {
    it(`on a first ${signal} says that a second signal aborts, not Ctrl-C`, async () => {
      const ctx = context();
      await runCommand(ctx, {
        quiet: true,
        play: async () => {
          ctx.handlers.at(-1)?.(signal);
          return { runId: 1, result: { status: 'interrupted', reason: null } };
        },
        end: () => {},
      });
      expect(ctx.stderr).toEqual([`stopping: finishing the rounds in flight (${signal} received; a second signal aborts them)…`]);
    });
  }

  it('lets an error through without closing, and still hands SIGINT back', async () => {
    const ctx = context();
    let closed = false;
    const run = runCommand(ctx, {
      quiet: true,
      play: async () => {
        throw new UsageError('--rounds must be at least 1');
      },
      end: () => {
        closed = true;
      },
    });
    await expect(run).rejects.toThrow(UsageError);
    expect(closed).toBe(false);
    expect(ctx.handlers.at(-1)).toBeUndefined();
    expect(ctx.exitCode).toBe(0);
  });

  it('wraps a degraded-defender warning to the width the batch rows fit', async () => {
    const ctx = { ...context(), width: 80 };
    const long: WargameEvent = { ...degraded, health: { ...degraded.health, defender: 'a-defender-with-a-long-name', lastError: `${'the server at http://gpu-box-7.example.org:11434 did not answer within 120000 ms; '.repeat(2)}` } } as WargameEvent;
    await runCommand(ctx, { quiet: false, play: played('completed', [long]), end: () => {} });
    const warning = [...ctx.stdout, ...ctx.stderr].filter((l) => !/^\s*$/.test(l));
    expect(warning.join(' ')).toContain('warning: batch 2: defender a-defender-with-a-long-name is degraded');
    expect(warning.length).toBeGreaterThan(1);
    for (const line of warning) expect(line.length).toBeLessThanOrEqual(80);
  });
});
