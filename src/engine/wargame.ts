import { randomBytes } from 'node:crypto';
import { setImmediate } from 'node:timers/promises';
import { isCategoryId, type CategoryId, type RoundCategory } from '../categories.js';
import { benignControls } from '../config/scenario-split.js';
import type { Scenario } from '../config/schemas.js';
import type { Consensus } from '../defense/consensus.js';
import { judge, type Strategy } from '../defense/swarm.js';
import type { Attacker, AttackText, Defender, Outcome, Probe, Verdict } from '../domain.js';
import { errorMessage } from '../errors.js';
import type { DruidProposal, Healer, HealerEvent, HealerMatch } from '../healer/healer.js';
import { addOutcome, emptyCounts, type OutcomeCounts } from '../stats/outcomes.js';
import type { RoundRecord, RunStatus } from '../store/records.js';
import { capText, MAX_STORED_TEXT, type Store } from '../store/store.js';
import { deriveSeed } from '../util/random.js';
import type { Budget } from './budget.js';
import type { EventSink } from './events.js';
import { BatchHealth, DEFAULT_QUORUM_LOSS_AFTER, isQuorumError, quorumLostReason } from './health.js';
import { antibodyTokens, askDruids, druidsOf } from './immunity.js';
import type { PlannedRound } from './plan.js';

export interface WargameSetup {
  runId: number;
  seed: number;
  plan: readonly PlannedRound[];
  scenarios: ReadonlyMap<CategoryId, Scenario>;
  attackers: ReadonlyMap<string, Attacker>;
  defenders: readonly Defender[];
  consensus: Consensus;
  strategy: Strategy;
  healer?: Healer | undefined;
  /** Rounds of history an adaptive attacker or the healer may see: round r sees rounds <= r - lag. */
  lag: number;
  store: Pick<Store, 'recordRound' | 'recordBatch'>;
  concurrency: number;
  emit?: EventSink;
  /** Graceful stop: no new round starts; rounds in flight finish and are recorded. */
  stop?: AbortSignal;
  /** Hard stop: calls in flight are cancelled; their rounds are not recorded. */
  abort?: AbortSignal;
  /** Rounds already recorded (resume), with their outcomes: they are not run again. */
  previous?: ReadonlyArray<PreviousRound>;
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
  votes?: ReadonlyArray<{ defender: string; verdict: Verdict; error?: string | null | undefined }> | undefined;
}

export interface WargameResult {
  status: RunStatus;
  reason: string | null;
  totals: OutcomeCounts;
  roundsDone: number;
}

/** Why a run stopped before its plan was done, other than a stop signal. */
type Halt = { status: Extract<RunStatus, 'budget_exhausted' | 'quorum_lost'>; reason: string };

/** How many recent blocked attempts an adaptive attacker is shown. */
export const ADAPTIVE_MEMORY = 5;

interface Judged {
  plan: PlannedRound;
  record: Omit<RoundRecord, 'healerEvents'>;
  match: HealerMatch | undefined;
  /** Druid phrases for a breach, applied when the round is finalised (src/engine/immunity.ts says why). */
  proposals?: DruidProposal[];
}

/**
 * Runs the plan. Rounds are judged concurrently but finalised (healer learning, storage, events)
 * strictly in round order, and round r only sees history up to round r - lag, so the outcome of
 * every round is the same at any concurrency.
 */
export async function runWargame(s: WargameSetup): Promise<WargameResult> {
  const emit = s.emit ?? (() => {});
  const done = new Set((s.previous ?? []).map((p) => p.round));
  const todo = s.plan.filter((p) => !done.has(p.round));
  const totals = emptyCounts();
  const batchCounts = new Map<number, OutcomeCounts>();
  const batchSize = new Map<number, number>();
  const batchFirst = new Map<number, number>();
  const batchLast = new Map<number, number>();
  const batchOf = new Map<number, number>();
  for (const p of s.plan) {
    batchOf.set(p.round, p.batch);
    batchSize.set(p.batch, (batchSize.get(p.batch) ?? 0) + 1);
    batchFirst.set(p.batch, Math.min(batchFirst.get(p.batch) ?? p.round, p.round));
    batchLast.set(p.batch, Math.max(batchLast.get(p.batch) ?? p.round, p.round));
  }
  const countIn = (batch: number): OutcomeCounts => {
    let c = batchCounts.get(batch);
    if (!c) batchCounts.set(batch, (c = emptyCounts()));
    return c;
  };
  const batchDone = new Map<number, number>();
  for (const p of s.previous ?? []) {
    addOutcome(totals, p.kind, p.outcome);
    const b = batchOf.get(p.round);
    if (b === undefined) continue;
    addOutcome(countIn(b), p.kind, p.outcome);
    batchDone.set(b, (batchDone.get(b) ?? 0) + 1);
  }

  emit({ type: 'run_started', runId: s.runId, roundsPlanned: s.plan.length, roundsAlreadyDone: done.size });

  // History is finalised in order; `finalisedThrough` is the highest round r such that every
  // planned round <= r is finalised (or was done before this session).
  const order = todo.map((p) => p.round);
  let finalisedIndex = 0; // index into `order` of the next round to finalise
  const finalisedThrough = (): number => (finalisedIndex === 0 ? (order[0] ?? 1) - 1 : (order[finalisedIndex - 1] as number));
  const needsNothing = !s.healer && ![...s.attackers.values()].some((a) => a.adaptive);
  const waiters: Array<{ round: number; resolve: () => void }> = [];
  const waitForHistory = (round: number): Promise<void> | undefined => {
    const needed = round - s.lag;
    if (needed <= finalisedThrough() || needsNothing) return undefined;
    return new Promise((resolve) => waiters.push({ round: needed, resolve }));
  };
  const blockedByCategory = new Map<RoundCategory, Array<{ round: number; text: string }>>();
  // Only adaptive attackers are shown blocked attempts; without one, no text is kept around.
  const adaptive = [...s.attackers.values()].some((a) => a.adaptive);
  const rememberBlocked = (category: RoundCategory, round: number, text: string): void => {
    if (!adaptive) return;
    const list = blockedByCategory.get(category) ?? [];
    list.push({ round, text });
    if (list.length > ADAPTIVE_MEMORY + s.lag) list.shift();
    blockedByCategory.set(category, list);
  };
  const health = new BatchHealth(
    s.defenders.map((d) => d.name),
    s.degradedShare,
  );
  // A resumed run picks up an adaptive attacker's memory and the health of the batch in progress.
  for (const p of [...(s.previous ?? [])].sort((a, b) => a.round - b.round)) {
    if (p.kind === 'attack' && p.category !== undefined && p.text !== undefined && (p.outcome === 'DEFENDED' || p.outcome === 'INSTANT_BLOCKED')) {
      rememberBlocked(p.category, p.round, p.text);
    }
    const b = batchOf.get(p.round);
    if (p.votes && b !== undefined) health.add(b, p.votes);
  }

  const ready = new Map<number, Judged>();
  let fatal: unknown;
  let roundsDone = done.size;
  /** Why the run stops early (budget, quorum); rounds in flight still finish unless the quorum is lost. */
  let halt: Halt | undefined;
  // ERROR rounds are held back, in order, until a round the swarm answered shows the outage is
  // over. When the quorum is lost they are dropped instead of stored, so a resume redoes them and
  // an outage never leaves a trail of error rounds. They change no history (no healer lesson, no
  // blocked attempt), so later rounds need not wait for them.
  const held: Judged[] = [];
  const lossAfter = Math.max(1, s.quorumLossAfter ?? DEFAULT_QUORUM_LOSS_AFTER);
  const quorumLost = (): boolean => halt?.status === 'quorum_lost';

  const finalise = (j: Judged): void => {
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

  const commit = (j: Judged): void => {
    const healerEvents: HealerEvent[] = [];
    const { record, plan } = j;
    if (s.healer && j.match) healerEvents.push(...s.healer.recordHit(j.match, plan.round, plan.kind === 'benign'));
    if (s.healer && record.outcome === 'BREACHED') {
      // An uncategorised eval row teaches patterns that belong to no category.
      healerEvents.push(...s.healer.learn({ round: plan.round, category: isCategoryId(plan.category) ? plan.category : null, text: record.text }, j.proposals));
    }
    if (plan.kind === 'attack' && (record.outcome === 'DEFENDED' || record.outcome === 'INSTANT_BLOCKED')) {
      rememberBlocked(plan.category, plan.round, record.text);
    }
    // Assigned onto the record, not spread into a new one: see playRound.
    const full: RoundRecord = Object.assign(record, { healerEvents });
    s.store.recordRound(s.runId, full);
    roundsDone += 1;
    health.add(plan.batch, record.votes);
    if (s.budget) {
      s.budget.charge(full);
      const spent = s.budget.exhausted();
      if (spent) halt ??= { status: 'budget_exhausted', reason: spent };
    }
    addOutcome(totals, plan.kind, record.outcome);
    addOutcome(countIn(plan.batch), plan.kind, record.outcome);
    emit({ type: 'round_done', runId: s.runId, record: full, totals, roundsDone });
    if (record.outcome === 'BREACHED') emit({ type: 'breach', runId: s.runId, round: plan.round, category: plan.category, attacker: plan.attacker });
    for (const event of healerEvents) emit({ type: 'healer', runId: s.runId, event });
    const inBatch = (batchDone.get(plan.batch) ?? 0) + 1;
    batchDone.set(plan.batch, inBatch);
    if (inBatch === batchSize.get(plan.batch)) {
      const defenders = health.finish(plan.batch);
      const batch = { batch: plan.batch, firstRound: batchFirst.get(plan.batch) as number, lastRound: batchLast.get(plan.batch) as number, counts: countIn(plan.batch), defenders };
      s.store.recordBatch(s.runId, batch);
      emit({ type: 'batch_done', runId: s.runId, batch });
      for (const h of defenders) if (h.degraded) emit({ type: 'defender_degraded', runId: s.runId, batch: plan.batch, health: h });
    }
  };

  const drain = (): void => {
    while (finalisedIndex < order.length) {
      // After a lost quorum nothing more is stored: the rounds after the dropped ones would leave a gap.
      if (quorumLost()) break;
      const next = ready.get(order[finalisedIndex] as number);
      if (!next) break;
      ready.delete(next.plan.round);
      try {
        finalise(next);
      } catch (err) {
        fatal ??= err;
        return;
      }
      finalisedIndex += 1;
    }
    const through = finalisedThrough();
    for (let i = waiters.length - 1; i >= 0; i--) {
      const w = waiters[i] as { round: number; resolve: () => void };
      if (w.round <= through) {
        waiters.splice(i, 1);
        w.resolve();
      }
    }
  };

  const recentBlocked = (category: RoundCategory, round: number): string[] =>
    (blockedByCategory.get(category) ?? [])
      .filter((b) => b.round <= round - s.lag)
      .slice(-ADAPTIVE_MEMORY)
      .map((b) => b.text);

  let stopped = false;
  // A pool of `concurrency` workers taking rounds in plan order (what p-limit did, without a
  // queued closure and promise per planned round: a 100,000-round plan cost 130 MB that way).
  let cursor = 0;
  const playNext = async (plan: PlannedRound): Promise<boolean> => {
    // In-process models (embedded) answer without any I/O, so a run would otherwise be one long
    // chain of promise callbacks that never lets the event loop turn: Ctrl-C, timers and
    // output would all wait for the end of the run. One turn per round costs microseconds.
    await setImmediate();
    if (!halt && s.budget) {
      // The time budget runs out between rounds too, not only when one is stored.
      const spent = s.budget.exhausted();
      if (spent) halt = { status: 'budget_exhausted', reason: spent };
    }
    if (stopped || halt || fatal !== undefined || s.stop?.aborted || s.abort?.aborted) {
      stopped = true;
      return false;
    }
    const wait = waitForHistory(plan.round);
    if (wait) await wait;
    if (fatal !== undefined || s.abort?.aborted || quorumLost()) return false;
    const judged = await playRound(s, plan, recentBlocked(plan.category, plan.round));
    if (s.abort?.aborted) return false;
    ready.set(plan.round, judged);
    drain();
    return true;
  };
  const worker = async (): Promise<void> => {
    while (cursor < todo.length) if (!(await playNext(todo[cursor++] as PlannedRound))) return;
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, s.concurrency), todo.length) }, worker));
  // Rounds judged after a gap (an aborted earlier round) cannot be finalised in order: drop them,
  // a resume redoes them.
  ready.clear();
  for (const w of waiters.splice(0)) w.resolve();
  // Every planned round is judged: ERROR rounds still held are real and are stored. A run that
  // stops early drops them instead, and a resume tries them again.
  if (fatal === undefined && !halt && held.length > 0 && roundsDone + held.length === s.plan.length) {
    try {
      for (const h of held.splice(0)) commit(h);
    } catch (err) {
      fatal = err;
    }
  }

  const complete = roundsDone === s.plan.length;
  // (Set inside callbacks, which the compiler's narrowing does not follow.)
  const stoppedBy = halt as Halt | undefined;
  const status: RunStatus = fatal !== undefined ? 'failed' : complete ? 'completed' : (stoppedBy?.status ?? 'interrupted');
  const reason = fatal !== undefined ? errorMessage(fatal) : complete ? null : (stoppedBy?.reason ?? 'stopped before the plan was complete');
  emit({ type: 'run_ended', runId: s.runId, status, reason, totals });
  if (fatal !== undefined) throw fatal;
  return { status, reason, totals, roundsDone };
}

async function playRound(s: WargameSetup, plan: PlannedRound, recentBlocked: string[]): Promise<Judged> {
  const started = performance.now();
  const scenario = isCategoryId(plan.category) ? s.scenarios.get(plan.category) : undefined;
  let attack: AttackText;
  try {
    attack = await inputFor(s, plan, scenario, recentBlocked);
  } catch (err) {
    return {
      plan,
      match: undefined,
      record: baseRecord(plan, emptyAttack(''), 'ERROR', 'error', started, `attacker: ${errorMessage(err)}`),
    };
  }
  if (attack.text.length > MAX_STORED_TEXT) {
    // Judged as it is stored, its first MAX_STORED_TEXT characters: a replay of the stored text
    // judges what this round judged, and a 10 MB answer never becomes a 10 MB prompt for every
    // defender. The length the attacker wrote is kept with the round.
    attack = { ...attack, text: capText(attack.text, MAX_STORED_TEXT), fullLength: attack.text.length } as Capped;
  }
  if (attack.refused) {
    return { plan, match: undefined, record: baseRecord(plan, attack, 'ATTACKER_REFUSED', 'attacker', started, null) };
  }
  const match = s.healer?.screen(attack.text, plan.round);
  if (match) {
    const outcome: Outcome = plan.kind === 'attack' ? 'INSTANT_BLOCKED' : 'FALSE_POSITIVE';
    return { plan, match, record: Object.assign(baseRecord(plan, attack, outcome, 'healer', started, null), { patternId: match.patternId }) };
  }
  const probe: Probe = { round: plan.round, kind: plan.kind, category: plan.category, text: attack.text };
  // The antibodies most similar to this input, not the latest: the prompt stays bounded and relevant.
  const antibodies = s.healer ? s.healer.antibodies(plan.round, attack.text) : [];
  const { votes, decision, aborted, skipped } = await judge(s.defenders, s.consensus, s.strategy, probe, { antibodies, nonce: randomBytes(9).toString('base64url') }, s.abort);
  let outcome: Outcome;
  if (decision.decision === 'error') outcome = 'ERROR';
  else if (plan.kind === 'attack') outcome = decision.decision === 'block' ? 'DEFENDED' : 'BREACHED';
  else outcome = decision.decision === 'block' ? 'FALSE_POSITIVE' : 'TRUE_NEGATIVE';
  const error = decision.decision === 'error' ? `quorum not met: ${decision.block + decision.allow} of ${s.defenders.length} defenders answered, ${s.consensus.quorum} needed` : null;
  const druids = outcome === 'BREACHED' && s.healer?.learning(plan.round) ? druidsOf(s.defenders) : [];
  const breach = { round: plan.round, category: isCategoryId(plan.category) ? plan.category : null, text: attack.text };
  const proposals = druids.length > 0 && s.healer ? await askDruids(druids, breach, s.healer.config.patterns_per_breach, s.abort) : undefined;
  const record = baseRecord(plan, attack, outcome, decision.decision === 'error' ? 'error' : 'consensus', started, error);
  return {
    plan,
    match: undefined,
    // Object.assign onto the record, never `{ ...record, votes }`: V8 (Node 20) gives every object
    // made by spreading and then adding keys a hidden class of its own, in the old generation; a
    // few of those per round were most of what a 100,000-round run left for the GC.
    record: Object.assign(record, {
      votes,
      votesBlock: decision.block,
      votesAllow: decision.allow,
      votesAbstain: decision.abstain,
      score: decision.score,
      antibodies: antibodies.length,
      antibodyTokens: antibodyTokens(antibodies),
      callsAborted: aborted,
      callsSkipped: skipped,
    }),
    ...(proposals ? { proposals } : {}),
  };
}

function emptyAttack(text: string): AttackText {
  return { text, refused: false, attempts: 0, strategy: '', latencyMs: 0, promptTokens: 0, completionTokens: 0 };
}

async function inputFor(s: WargameSetup, plan: PlannedRound, scenario: Scenario | undefined, recentBlocked: string[]): Promise<AttackText> {
  if (plan.attackerError !== undefined) throw new Error(plan.attackerError);
  if (plan.text !== undefined) return Object.assign(emptyAttack(plan.text), { refused: plan.refused ?? false, strategy: plan.strategy ?? plan.source ?? 'fixed' });
  if (!scenario) throw new Error(`no scenario for category ${plan.category}`);
  if (plan.kind === 'benign') {
    const controls = benignControls(scenario);
    return Object.assign(emptyAttack(controls[(plan.benignIndex ?? 0) % controls.length] as string), { strategy: `benign#${plan.benignIndex ?? 0}` });
  }
  const attacker = s.attackers.get(plan.attacker);
  if (!attacker) throw new Error(`no attacker named ${plan.attacker}`);
  return attacker.generate(
    { round: plan.round, category: scenario.id, scenario, seed: deriveSeed(s.seed, plan.round, 'attack'), recentBlocked },
    s.abort,
  );
}

/** An attack cut to the stored length, with the length it had. */
type Capped = AttackText & { fullLength?: number };

function baseRecord(
  plan: PlannedRound,
  attack: Capped,
  outcome: Outcome,
  decidedBy: RoundRecord['decidedBy'],
  started: number,
  error: string | null,
): Omit<RoundRecord, 'healerEvents'> {
  return {
    round: plan.round,
    batch: plan.batch,
    kind: plan.kind,
    category: plan.category,
    attacker: plan.attacker,
    text: attack.text,
    refused: attack.refused,
    strategy: attack.strategy || null,
    attempts: attack.attempts,
    attackPromptTokens: attack.promptTokens,
    attackCompletionTokens: attack.completionTokens,
    attackLatencyMs: attack.latencyMs,
    source: plan.source ?? null,
    outcome,
    decidedBy,
    patternId: null,
    votes: [],
    votesBlock: 0,
    votesAllow: 0,
    votesAbstain: 0,
    score: null,
    latencyMs: performance.now() - started,
    error,
    ...(attack.fullLength !== undefined ? { textLength: attack.fullLength } : {}),
  };
}
