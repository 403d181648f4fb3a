import cliProgress from 'cli-progress';
import type { WargameEvent } from '../engine/events.js';
import { pct } from '../report/numbers.js';
import { batchHeader, batchLine, paintDefence } from '../report/render/batch-lines.js';
import { neutralize } from '../report/render/sanitize.js';
import { figures, type OutcomeCounts } from '../stats/outcomes.js';
import type { CliContext } from './context.js';

/**
 * What a long run shows while it plays. On a terminal (and without --quiet): a progress bar with
 * rounds done, the defence and false-positive rates so far, breaches and ETA, with the batch
 * rows printed above it as batches finish. Anywhere else (CI logs, pipes): the batch rows alone,
 * one plain line each, no control sequences. Colours follow ctx.color, which honours NO_COLOR.
 */
export class RunProgress {
  private bars: cliProgress.MultiBar | undefined;
  private bar: cliProgress.SingleBar | undefined;
  private headerPrinted = false;

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
        this.ctx.err(`hive: note: ${neutralize(e.text)}`);
        break;
      case 'run_started':
        this.start(e.roundsPlanned, e.roundsAlreadyDone);
        break;
      case 'round_done':
        this.bar?.update(e.roundsDone, this.payload(e.totals));
        break;
      case 'batch_done':
        if (this.opts.quiet) break;
        if (!this.headerPrinted) {
          this.line(batchHeader());
          this.headerPrinted = true;
        }
        this.line(batchLine(e.batch, this.ctx.color));
        break;
      case 'run_ended':
        this.stop();
        break;
      default:
        break;
    }
  }

  private start(total: number, done: number): void {
    if (!this.interactive || this.bars) return;
    this.bars = new cliProgress.MultiBar({
      stream: this.ctx.terminal,
      format: `{bar} {value}/{total} rounds | defence {defence} | FP {fpr} | {breaches} | ETA {eta_formatted}`,
      barCompleteChar: '█',
      barIncompleteChar: '░',
      barsize: 24,
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
