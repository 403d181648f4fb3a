import type { RoundCategory } from '../categories.js';
import type { HealerEvent } from '../domain.js';
import type { OutcomeCounts } from '../stats/outcomes.js';
import type { BatchRecord, RoundRecord } from '../store/records.js';
import type { RunStatus } from '../domain.js';
import type { DefenderBatchHealth } from './health.js';

/** What the engine tells the world. It never prints; the CLI (or any caller) listens. */
export type WargameEvent =
  /** Something the user should know before the run starts (how a scenario folder was read…). */
  | { type: 'notice'; text: string }
  | { type: 'run_started'; runId: number; roundsPlanned: number; roundsAlreadyDone: number }
  | { type: 'round_done'; runId: number; record: RoundRecord; totals: OutcomeCounts; roundsDone: number }
  | { type: 'breach'; runId: number; round: number; category: RoundCategory; attacker: string }
  | { type: 'healer'; runId: number; event: HealerEvent }
  | { type: 'batch_done'; runId: number; batch: BatchRecord }
  /** A defender abstained on more than the set share of a batch (stored with the batch too). */
  | { type: 'defender_degraded'; runId: number; batch: number; health: DefenderBatchHealth }
  | { type: 'run_ended'; runId: number; status: RunStatus; reason: string | null; totals: OutcomeCounts };

export type EventSink = (event: WargameEvent) => void;
