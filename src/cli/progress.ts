import cliProgress from 'cli-progress';
import type { WargameEvent } from '../engine/events.js';
import { pct } from '../report/numbers.js';
import { BatchRows, paintDefence } from '../report/render/batch-lines.js';
import { droppedNote, wrapText } from '../report/render/layout.js';
import { neutralize } from '../report/render/sanitize.js';
import { figures, type OutcomeCounts } from '../stats/outcomes.js';
import type { CliContext } from './context.js';

/** Columns the bar's text takes besides the bar itself, at most (" 10000/10000 | defence 100.0% | …"). */
function barTextWidth(total: number): number {
  const digits = String(total).length;
  // " value/total", " | defence ", rate, " | FP ", rate, " | ", "N breaches", " | ETA ", eta
  return 1 + (2 * digits + 1) + 11 + 6 + 6 + 6 + 3 + (digits + 9) + 7 + 6;
}

/**
 * What a long run shows while it plays. On a terminal (and without --quiet): a progress bar with
 * rounds done, the defence and false-positive rates so far, breaches and ETA, with the batch
 * rows printed above it as batches finish; the bar and the rows fit the terminal's width
 * (ctx.width), so the bar's redraws never tear a row. Anywhere else (CI logs, pipes): the batch
 * rows alone, one plain line each, no control sequences. Colours follow ctx.color, which honours
 * NO_COLOR, and are painted after padding, so columns line up with colour on or off.
 */
export class RunProgress {
  private bars: cliProgress.MultiBar | undefined;
  private bar: cliProgress.SingleBar | undefined;
  private rows: BatchRows | undefined;

  constructor(
    private readonly ctx: CliContext,
    private readonly opts: { quiet: boolean },
  ) {}

  /** Whether a bar is drawn (a terminal to draw on, and not --quiet). */
  get interactive(): boolean {
    return !this.opts.quiet && this.ctx.isTTY && this.ctx.terminal !== undefined;
  }

  /** Prints a line above the bar, or plainly when there is none. */
  line(text: string): void {
    if (this.bars) this.bars.log(`${text}\n`);
    else this.ctx.out(text);
  }

  /** Feeds an engine event; call `stop` when the run is over, whatever happened. */
  handle(e: WargameEvent): void {
    switch (e.type) {
      case 'notice':
        // Above the bar when there is one: a line written beside it would be torn by its redraws.
        // Wrapped to the terminal's width (a note can run to several hundred characters).
        for (const l of wrapText(`hive: note: ${neutralize(e.text)}`, this.ctx.width)) {
          if (this.bars) this.line(l);
          else this.ctx.err(l);
        }
        break;
      case 'run_started':
        this.planned = e.roundsPlanned;
        this.start(e.roundsPlanned, e.roundsAlreadyDone);
        break;
      case 'round_done':
        this.bar?.update(e.roundsDone, this.payload(e.totals));
        break;
      case 'batch_done':
        if (this.opts.quiet) break;
        if (!this.rows) {
          this.rows = new BatchRows(Math.max(this.planned, e.batch.lastRound), this.ctx.width, this.ctx.color);
          // Rows stream in, so the columns this width leaves out are named under the heading, not after the last row.
          for (const l of [...this.rows.header(), ...droppedNote(this.rows.dropped, this.ctx.width)]) this.line(l);
        }
        this.line(this.rows.row(e.batch));
        break;
      case 'run_ended':
        this.stop();
        break;
      default:
        break;
    }
  }

  private planned = 0;

  private start(total: number, done: number): void {
    if (!this.interactive || this.bars) return;
    // The bar takes what the text leaves of the width, 10 to 24 columns, so the line never wraps.
    const room = Number.isFinite(this.ctx.width) ? this.ctx.width - 1 - barTextWidth(total) : 24;
    this.bars = new cliProgress.MultiBar({
      stream: this.ctx.terminal,
      format: `{bar} {value}/{total} | defence {defence} | FP {fpr} | {breaches} | ETA {eta_formatted}`,
      barCompleteChar: '█',
      barIncompleteChar: '░',
      barsize: Math.max(10, Math.min(24, room)),
      fps: 8,
      etaBuffer: 200,
      clearOnComplete: true,
      hideCursor: false,
      // main.ts owns SIGINT (graceful stop, then resume); the bar is stopped when the run ends.
      gracefulExit: false,
    });
    this.bar = this.bars.create(total, done, this.payload(undefined));
  }

  private payload(totals: OutcomeCounts | undefined): { defence: string; fpr: string; breaches: string } {
    if (!totals) return { defence: '—', fpr: '—', breaches: '0 breaches' };
    const f = figures(totals);
    const c = this.ctx.color;
    const defence = paintDefence(f.defence.rate, pct(f.defence.rate), c);
    const breaches = `${totals.BREACHED} breach${totals.BREACHED === 1 ? '' : 'es'}`;
    return { defence, fpr: pct(f.falsePositive.rate), breaches: totals.BREACHED > 0 ? c.red(breaches) : breaches };
  }

  /** Removes the bar (after flushing the lines waiting to be printed above it). */
  stop(): void {
    if (!this.bars) return;
    this.bars.update();
    this.bars.stop();
    this.bars = undefined;
    this.bar = undefined;
  }
}
