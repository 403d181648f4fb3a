import type { RoundCategory } from '../categories.js';
import { isCategoryId } from '../categories.js';
import type { HealerEvent, Outcome, Probe, Verdict } from '../domain.js';
import { errorMessage } from '../errors.js';
import { addOutcome, emptyCounts, type OutcomeCounts } from '../stats/outcomes.js';
import type { RoundRecord } from '../store/records.js';
import type { RunStatus } from '../domain.js';
import type { Store } from '../store/store.js';
import { sha256 } from '../util/hash.js';
import { AdaptiveMemory } from './adaptive-memory.js';
import { BatchTracker } from './batch-tracker.js';
import type { Budget } from './budget.js';
import type { EventSink } from './events.js';
import { BatchHealth, DEFAULT_QUORUM_LOSS_AFTER, isQuorumError, quorumLostReason } from './health.js';
import { runOrdered } from './ordered-pool.js';
import { RoundWriter } from './round-writer.js';
import type { Plan, PlannedRound } from './plan.js';
import { playRound, type JudgedRound, type RoundPlayers } from './round.js';

export interface WargameSetup extends RoundPlayers {
  runId: number;
  plan: Plan;
  /** Rounds of history an adaptive attacker or the healer may see: round r sees rounds <= r - lag. */
  lag: number;
  store: Pick<Store, 'recordRounds' | 'recordBatch'>;
  concurrency: number;
  emit?: EventSink | undefined;
  /** Graceful stop: no new round starts; rounds in flight finish and are recorded. */
  stop?: AbortSignal | undefined;
  /** Rounds already recorded (resume), with their outcomes: they are not run again. */
  previous?: ReadonlyArray<PreviousRound> | undefined;
  /** The kill switch (--max-tokens, --max-minutes, --max-cost): checked as rounds are stored. */
  budget?: Budget | undefined;
  /** Stop as `quorum_lost` after this many quorum-error rounds in a row (default 5). */
  quorumLossAfter?: number | undefined;
  /** A defender abstaining on more than this share of a batch is degraded (default 0.2). */
  degradedShare?: number | undefined;
}

/**
 * A round stored before this session. Blocked attack texts refill an adaptive attacker's memory;
 * votes (only needed for the batch in progress) refill that batch's defender health.
 */
export interface PreviousRound {
  round: number;
  kind: Probe['kind'];
  outcome: Outcome;
  category?: RoundCategory | undefined;
  text?: string | undefined;
  /** SHA-256 of its stored input: the batch's defence rate counts texts, not rounds. */
  sha256?: string | undefined;
  votes?: ReadonlyArray<{ defender: string; verdict: Verdict; error?: string | null | undefined }> | undefined;
}

export interface WargameResult {
  status: RunStatus;
  reason: string | null;
  totals: OutcomeCounts;
  roundsDone: number;
}

/**
 * How many rounds past the last one stored may start when no round reads history (no lag rule):
 * wide enough that no round waits in practice, narrow enough that the rounds held for in-order
 * storing stay bounded whatever one slow round does.
 */
export function runAheadWindow(concurrency: number): number {
  return Math.max(64, 4 * concurrency);
}

/** Why a run stopped before its plan was done, other than a stop signal. */
type Halt = { status: Extract<RunStatus, 'budget_exhausted' | 'quorum_lost'>; reason: string };

const isBlocked = (kind: Probe['kind'], outcome: Outcome): boolean => kind === 'attack' && (outcome === 'DEFENDED' || outcome === 'INSTANT_BLOCKED');

/** The plan's rounds not in `done`, as a view: a million-round plan is not copied. */
function notDone(plan: Plan, done: ReadonlySet<number>): Plan {
  if (done.size === 0) return plan;
  const indices: number[] = [];
  for (let i = 0; i < plan.length; i++) if (!done.has((plan.at(i) as PlannedRound).round)) indices.push(i);
  return { length: indices.length, at: (k) => (k >= 0 && k < indices.length ? plan.at(indices[k] as number) : undefined) };
}

/**
 * Runs the plan. Rounds are judged concurrently but finalised (healer learning, storage, events)
 * strictly in round order, and round r only sees history up to round r - lag, so the outcome of
 * every round is the same at any concurrency.
 */
export async function runWargame(s: WargameSetup): Promise<WargameResult> {
  const emit = s.emit ?? (() => {});
  const previous = s.previous ?? [];
  const done = new Set(previous.map((p) => p.round));
  const todo = notDone(s.plan, done);
  const totals = emptyCounts();
  const batches = new BatchTracker(s.plan);
  const health = new BatchHealth(
    s.defenders.map((d) => d.name),
    s.degradedShare,
  );
  const adaptive = [...s.attackers.values()].some((a) => a.adaptive);
  const memory = new AdaptiveMemory(s.lag, adaptive);
  // A resumed run picks up its totals, batch counts, an adaptive attacker's memory and the health
  // of the batch in progress.
  for (const p of [...previous].sort((a, b) => a.round - b.round)) {
    addOutcome(totals, p.kind, p.outcome);
    batches.add(p.round, p.kind, p.outcome, p.sha256 ?? '');
    if (p.category !== undefined && p.text !== undefined && isBlocked(p.kind, p.outcome)) memory.remember(p.category, p.round, p.text);
    const b = batches.batchOfRound(p.round);
    if (p.votes && b !== undefined) health.add(b, p.votes);
  }

  emit({ type: 'run_started', runId: s.runId, roundsPlanned: s.plan.length, roundsAlreadyDone: done.size });

  let roundsDone = done.size;
  /** Rounds committed (roundsDone counts them once finalised; the two meet after the last commit). */
  let roundsStored = done.size;
  /** Why the run stops early (budget, quorum); rounds in flight still finish unless the quorum is lost. */
  let halt: Halt | undefined;
  const quorumLost = (): boolean => halt?.status === 'quorum_lost';
  // ERROR rounds are held back, in order, until a round the swarm answered shows the outage is
  // over. When the quorum is lost they are dropped instead of stored, so a resume redoes them and
  // an outage never leaves a trail of error rounds. They change no history (no healer lesson, no
  // blocked attempt), so later rounds need not wait for them.
  const held: JudgedRound[] = [];
  const lossAfter = Math.max(1, s.quorumLossAfter ?? DEFAULT_QUORUM_LOSS_AFTER);
  // Rounds are committed in groups (round-writer.ts); their events go out once they are stored.
  const writer = new RoundWriter(s.store, s.runId);
  const writeFailed = (): boolean => writer.failure !== undefined;

  const commit = (j: JudgedRound): void => {
    const healerEvents: HealerEvent[] = [];
    const { record, plan } = j;
    if (s.healer && j.match) healerEvents.push(...s.healer.recordHit(j.match, plan.round, plan.kind === 'benign'));
    if (s.healer && record.outcome === 'BREACHED') {
      // An uncategorised eval row teaches patterns that belong to no category.
      healerEvents.push(...s.healer.learn({ round: plan.round, category: isCategoryId(plan.category) ? plan.category : null, text: record.text }, j.proposals));
    }
    if (isBlocked(plan.kind, record.outcome)) memory.remember(plan.category, plan.round, record.text);
    // Assigned onto the record, not spread into a new one: see playRound.
    const full: RoundRecord = Object.assign(record, { healerEvents });
    // Hashed once: the stored row and the batch's count of distinct texts both need it.
    const textSha256 = sha256(record.text);
    roundsDone += 1;
    health.add(plan.batch, record.votes);
    if (s.budget) {
      s.budget.charge(full);
      const spent = s.budget.exhausted();
      if (spent) halt ??= { status: 'budget_exhausted', reason: spent };
    }
    addOutcome(totals, plan.kind, record.outcome);
    const completed = batches.add(plan.round, plan.kind, record.outcome, textSha256);
    // The figures as of this round: its events go out after its commit, when later rounds may have been counted.
    const asOf = { totals: { ...totals }, roundsDone };
    writer.add(full, textSha256, () => {
      roundsStored += 1;
      emit({ type: 'round_done', runId: s.runId, record: full, totals: asOf.totals, roundsDone: asOf.roundsDone });
      if (record.outcome === 'BREACHED') emit({ type: 'breach', runId: s.runId, round: plan.round, category: plan.category, attacker: plan.attacker });
      for (const event of healerEvents) emit({ type: 'healer', runId: s.runId, event });
    });
    if (completed) {
      const defenders = health.finish(completed.batch);
      const batch = { ...completed, defenders };
      // A batch's row follows its rounds.
      writer.flush();
      s.store.recordBatch(s.runId, batch);
      emit({ type: 'batch_done', runId: s.runId, batch });
      for (const h of defenders) if (h.degraded) emit({ type: 'defender_degraded', runId: s.runId, batch: completed.batch, health: h });
    }
  };

  const finalise = (j: JudgedRound): void => {
    if (j.record.outcome === 'ERROR') {
      held.push(j);
      const quorumErrors = held.map((h) => h.record).filter(isQuorumError);
      if (quorumErrors.length >= lossAfter) {
        halt = { status: 'quorum_lost', reason: quorumLostReason(quorumErrors, s.defenders.length, s.consensus.quorum) };
        held.length = 0;
      }
      return;
    }
    for (const h of held.splice(0)) commit(h);
    commit(j);
  };

  const pool = await runOrdered({
    items: todo,
    position: (p) => p.round,
    concurrency: s.concurrency,
    // Without a healer or an adaptive attacker no round reads history, so none needs to wait for
    // it; a wide window still bounds how far rounds run ahead of a slow one (the results held
    // for in-order storing, and how far a budget or a stop is overshot).
    lag: !s.healer && !adaptive ? runAheadWindow(s.concurrency) : s.lag,
    mayStart: () => {
      // The time budget runs out between rounds too, not only when one is stored.
      if (!halt && s.budget) {
        const spent = s.budget.exhausted();
        if (spent) halt = { status: 'budget_exhausted', reason: spent };
      }
      return !halt && !s.stop?.aborted && !s.abort?.aborted && !writeFailed();
    },
    // After a lost quorum nothing more is stored: the rounds after the dropped ones would leave a gap.
    mayFinalise: () => !s.abort?.aborted && !quorumLost() && !writeFailed(),
    work: (plan) => playRound(s, plan, memory.recent(plan.category, plan.round)),
    finalise: (_plan, judged) => finalise(judged),
  });
  let fatal = pool.error;
  // Every planned round is judged: ERROR rounds still held are real and are stored. A run that
  // stops early drops them instead, and a resume tries them again.
  if (fatal === undefined && !halt && !writeFailed() && held.length > 0 && roundsDone + held.length === s.plan.length) {
    try {
      for (const h of held.splice(0)) commit(h);
    } catch (err) {
      fatal = err;
    }
  }
  // Whatever stopped the run, the rounds it finalised are stored (a commit that failed stops it).
  if (writer.failure) fatal ??= writer.failure.error;
  else {
    try {
      writer.flush();
    } catch (err) {
      fatal ??= err;
    }
  }
  // A failed commit took its group with it: what the run reports as stored is what was committed.
  if (fatal !== undefined) roundsDone = roundsStored;

  const complete = roundsDone === s.plan.length;
  // (Set inside callbacks, which the compiler's narrowing does not follow.)
  const stoppedBy = halt as Halt | undefined;
  const status: RunStatus = fatal !== undefined ? 'failed' : complete ? 'completed' : (stoppedBy?.status ?? 'interrupted');
  const reason = fatal !== undefined ? errorMessage(fatal) : complete ? null : (stoppedBy?.reason ?? 'stopped before the plan was complete');
  emit({ type: 'run_ended', runId: s.runId, status, reason, totals });
  if (fatal !== undefined) throw fatal;
  return { status, reason, totals, roundsDone };
}
