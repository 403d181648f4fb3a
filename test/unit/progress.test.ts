import { PassThrough } from 'node:stream';
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import type { CliContext } from '../../src/cli/context.js';
import { RunProgress } from '../../src/cli/progress.js';
import type { WargameEvent } from '../../src/engine/events.js';
import { addOutcome, emptyCounts, figures } from '../../src/stats/outcomes.js';
import type { RoundRecord } from '../../src/store/records.js';

/** A terminal that records what is drawn on it. */
function fakeTerminal(): { stream: PassThrough & { isTTY: boolean; columns: number }; text: () => string } {
  const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 120 });
  const chunks: string[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  return { stream, text: () => chunks.join('') };
}

function context(opts: { tty: boolean; colorLevel: 0 | 1; terminal?: NodeJS.WritableStream }): CliContext & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    out: (t) => lines.push(t),
    err: (t) => lines.push(t),
    isTTY: opts.tty,
    ...(opts.terminal ? { terminal: opts.terminal } : {}),
    width: opts.tty ? 120 : Infinity,
    color: new Chalk({ level: opts.colorLevel }),
    env: {},
    exitCode: 0,
  };
}

/** A 20-round run in two batches: 15 attacks (one breach), 5 benign. */
function events(): WargameEvent[] {
  const totals = emptyCounts();
  const batch = emptyCounts();
  const out: WargameEvent[] = [{ type: 'run_started', runId: 1, roundsPlanned: 20, roundsAlreadyDone: 0 }];
  for (let r = 1; r <= 20; r++) {
    const kind = r % 4 === 0 ? 'benign' : 'attack';
    const outcome = kind === 'benign' ? 'TRUE_NEGATIVE' : r === 7 ? 'BREACHED' : 'DEFENDED';
    addOutcome(totals, kind, outcome);
    addOutcome(batch, kind, outcome);
    out.push({ type: 'round_done', runId: 1, record: { round: r, kind, outcome } as RoundRecord, totals: { ...totals }, roundsDone: r });
    if (r % 10 === 0) {
      out.push({ type: 'batch_done', runId: 1, batch: { batch: r / 10, firstRound: r - 9, lastRound: r, counts: { ...batch }, defenceRate: figures(batch).defence } });
      Object.assign(batch, emptyCounts());
    }
  }
  out.push({ type: 'run_ended', runId: 1, status: 'completed', reason: null, totals });
  return out;
}

const SGR_COLOUR = /\u001b\[(3[0-9]|9[0-9])m/;

describe('run progress', () => {
  it('draws a bar with rounds, rates and ETA on a terminal, batch rows printed above it', () => {
    const term = fakeTerminal();
    const ctx = context({ tty: true, colorLevel: 1, terminal: term.stream });
    const p = new RunProgress(ctx, { quiet: false });
    expect(p.interactive).toBe(true);
    for (const e of events()) p.handle(e);
    const drawn = term.text();
    expect(drawn).toMatch(/20\/20 \| defence .*93\.3%.* \| FP 0\.0% \| .*1 breach.* \| ETA/);
    expect(drawn).toMatch(/batch\s+rounds\s+attacks/);
    expect(drawn).toMatch(/\n\s+1\s+1-10\s/);
    expect(drawn).toMatch(/\n\s+2\s+11-20\s/);
    expect(drawn).toMatch(SGR_COLOUR);
    // Nothing went through plain output: it would tear the bar.
    expect(ctx.lines).toEqual([]);
  });

  it('prints one plain line per batch when stdout is not a terminal: no bar, no control sequences', () => {
    const ctx = context({ tty: false, colorLevel: 0 });
    const p = new RunProgress(ctx, { quiet: false });
    expect(p.interactive).toBe(false);
    for (const e of events()) p.handle(e);
    // The heading, its rule, one row per batch.
    expect(ctx.lines).toHaveLength(4);
    expect(ctx.lines[0]).toMatch(/^batch\s+rounds/);
    expect(ctx.lines[1]).toMatch(/^─+ +─+/);
    expect(ctx.lines[2]).toMatch(/^\s+1\s+1-10\s+8\s+7\s+0\s+1\s+0\s+87\.5% \[/);
    expect(ctx.lines.join('\n')).not.toContain('\u001b');
  });

  it('draws without colours under NO_COLOR (a colour level of 0)', () => {
    const term = fakeTerminal();
    const p = new RunProgress(context({ tty: true, colorLevel: 0, terminal: term.stream }), { quiet: false });
    for (const e of events()) p.handle(e);
    expect(term.text()).toContain('20/20 | defence');
    expect(term.text()).not.toMatch(SGR_COLOUR);
  });

  it('is silent under --quiet, terminal or not', () => {
    const term = fakeTerminal();
    const tty = context({ tty: true, colorLevel: 1, terminal: term.stream });
    const plain = context({ tty: false, colorLevel: 0 });
    for (const ctx of [tty, plain]) {
      const p = new RunProgress(ctx, { quiet: true });
      for (const e of events()) p.handle(e);
      expect(ctx.lines).toEqual([]);
    }
    expect(term.text()).toBe('');
  });

  it('stops cleanly when the run ends early (stop is idempotent)', () => {
    const term = fakeTerminal();
    const p = new RunProgress(context({ tty: true, colorLevel: 0, terminal: term.stream }), { quiet: false });
    p.handle({ type: 'run_started', runId: 1, roundsPlanned: 100, roundsAlreadyDone: 40 });
    p.line('stopping: finishing the rounds in flight');
    p.stop();
    p.stop();
    expect(term.text()).toContain('stopping: finishing the rounds in flight');
  });
});
