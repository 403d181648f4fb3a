/**
 * Where an LLM run's wall time goes beyond its ideal critical path (section 1): built from what
 * the bench sees from outside hive, so nothing is timed in src/'s hot path.
 *
 * - the model server's log of every call (swarm-server.ts `onCall`: the call's key, model, start
 *   and end, epoch ms), tied to a round by the attack's `(ref …)` tag or the benign text's hash;
 * - the engine's events (`run_started`, each `round_done` when the round is stored, `run_ended`);
 * - the store's `recordRounds` timed by a wrapper the bench puts on it for the run (run.ts).
 *
 * Workers take rounds in plan order and a worker takes its next round when its round's work ends
 * (ordered-pool.ts), so the bench replays that hand-off: each round goes to the worker free
 * earliest, free at the last answer of its previous round. A round's wait before its first call
 * is then the lag rule's part (until round r − lag was stored, when that came later than the free
 * worker) and the hand-off's part (the rest: the event-loop turn, building the prompt, the HTTP
 * request's way to the server).
 */
import { hash32 } from './swarm-server.js';

/** One model call as the server saw it. */
export interface CallMark {
  key: string;
  model: string;
  /** Epoch ms (performance.timeOrigin + performance.now()) when the request arrived and when it was answered. */
  start: number;
  end: number;
  attacker: boolean;
}

/** One round as the bench saw it: its text (for its key) and when its `round_done` came. */
export interface RoundMark {
  round: number;
  text: string;
  doneAt: number;
}

export interface GapBreakdown {
  /** Rounds whose calls were found in the server's log (the rest called no model: instant blocks). */
  roundsMatched: number;
  /** startWargame() called → `run_started` (cast, preflight, plan, store), and → the first model call. */
  toRunStartedMs: number;
  toFirstCallMs: number;
  /** Summed over rounds: waiting for the lag rule, and the rest of the wait before a round's first call. */
  lagWaitMs: number;
  roundsLagBound: number;
  handOffMs: number;
  /** Summed over rounds that called the attacker: its answer → the first defender call's arrival (reading the attack, screening, the swarm's prompts). */
  attackToSwarmMs: number;
  /** Summed over rounds: from the first defender call's arrival to the last one's (slot waits and dispatch). */
  dispatchSkewMs: number;
  /** Summed over rounds: last answer → stored, split into waiting for earlier rounds to be stored and its own finalising. */
  inOrderWaitMs: number;
  finaliseMs: number;
  /** recordRounds (one SQLite transaction per group of rounds): total and largest. */
  commitMs: number;
  commitMaxMs: number;
  /** The last round's last answer → `run_ended`, and the time the run had fewer rounds in flight than workers at its end. */
  endMs: number;
  tailMs: number;
}

const REF = / \(ref ([0-9a-z]+)\)$/;

/** The key a call or round is known by: the attack's ref tag, or the benign text's hash. */
export function callKey(text: string): string {
  const m = REF.exec(text);
  return m ? `ref ${m[1]}` : `text ${hash32(text)}`;
}

/**
 * Each round's calls. A key can belong to several rounds (a benign control dealt again, an
 * attack text repeated): its calls go to those rounds in the order they were stored, each round
 * taking the calls answered before it was stored.
 */
function roundCalls(calls: readonly CallMark[], rounds: readonly RoundMark[]): Map<number, CallMark[]> {
  const byKey = new Map<string, CallMark[]>();
  for (const c of [...calls].sort((a, b) => a.end - b.end)) {
    const list = byKey.get(c.key);
    if (list) list.push(c);
    else byKey.set(c.key, [c]);
  }
  const out = new Map<number, CallMark[]>();
  for (const r of [...rounds].sort((a, b) => a.doneAt - b.doneAt)) {
    const list = byKey.get(callKey(r.text));
    if (!list) continue;
    let n = 0;
    while (n < list.length && (list[n] as CallMark).end <= r.doneAt) n++;
    if (n > 0) out.set(r.round, list.splice(0, n));
  }
  return out;
}

export function gapBreakdown(o: {
  calls: readonly CallMark[];
  rounds: readonly RoundMark[];
  concurrency: number;
  lag: number;
  startedAt: number;
  runStartedAt: number;
  runEndedAt: number;
  commitMs: readonly number[];
}): GapBreakdown {
  const rounds = [...o.rounds].sort((a, b) => a.round - b.round);
  const callsOf = roundCalls(o.calls, rounds);
  const doneAt = new Map(rounds.map((r) => [r.round, r.doneAt]));
  const free = Array.from({ length: o.concurrency }, () => o.runStartedAt);
  const b: GapBreakdown = {
    roundsMatched: 0,
    toRunStartedMs: o.runStartedAt - o.startedAt,
    toFirstCallMs: Math.min(...o.calls.map((c) => c.start)) - o.startedAt,
    lagWaitMs: 0,
    roundsLagBound: 0,
    handOffMs: 0,
    attackToSwarmMs: 0,
    dispatchSkewMs: 0,
    inOrderWaitMs: 0,
    finaliseMs: 0,
    commitMs: o.commitMs.reduce((s, x) => s + x, 0),
    commitMaxMs: Math.max(0, ...o.commitMs),
    endMs: 0,
    tailMs: 0,
  };
  let prevDone = o.runStartedAt;
  let lastAnswer = o.runStartedAt;
  let lastStart = o.runStartedAt;
  for (const r of rounds) {
    const calls = callsOf.get(r.round);
    let w = 0;
    for (let k = 1; k < free.length; k++) if ((free[k] as number) < (free[w] as number)) w = k;
    const freeAt = free[w] as number;
    if (calls === undefined || calls.length === 0) {
      free[w] = Math.max(freeAt, r.doneAt);
      prevDone = r.doneAt;
      continue;
    }
    b.roundsMatched++;
    const first = Math.min(...calls.map((c) => c.start));
    const answered = Math.max(...calls.map((c) => c.end));
    const defenderStarts = calls.filter((c) => !c.attacker).map((c) => c.start);
    const attackerEnds = calls.filter((c) => c.attacker).map((c) => c.end);
    if (defenderStarts.length > 0) b.dispatchSkewMs += Math.max(...defenderStarts) - Math.min(...defenderStarts);
    if (defenderStarts.length > 0 && attackerEnds.length > 0) b.attackToSwarmMs += Math.max(0, Math.min(...defenderStarts) - Math.max(...attackerEnds));
    const history = doneAt.get(r.round - o.lag) ?? -Infinity;
    const lagUntil = Math.min(first, history);
    if (lagUntil > freeAt) {
      b.lagWaitMs += lagUntil - freeAt;
      b.roundsLagBound++;
    }
    b.handOffMs += Math.max(0, first - Math.max(freeAt, lagUntil));
    b.inOrderWaitMs += Math.max(0, prevDone - answered);
    b.finaliseMs += r.doneAt - Math.max(answered, prevDone);
    free[w] = answered;
    prevDone = r.doneAt;
    lastAnswer = Math.max(lastAnswer, answered);
    lastStart = Math.max(lastStart, first);
  }
  b.endMs = o.runEndedAt - lastAnswer;
  b.tailMs = o.runEndedAt - lastStart;
  for (const k of Object.keys(b) as (keyof GapBreakdown)[]) b[k] = Math.round(b[k]);
  return b;
}
