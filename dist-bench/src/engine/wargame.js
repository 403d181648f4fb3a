import { randomBytes } from 'node:crypto';
import { setImmediate } from 'node:timers/promises';
import { isCategoryId } from '../categories.js';
import { benignControls } from '../config/scenario-split.js';
import { judge } from '../defense/swarm.js';
import { errorMessage } from '../errors.js';
import { addOutcome, emptyCounts } from '../stats/outcomes.js';
import { capText, MAX_STORED_TEXT } from '../store/store.js';
import { deriveSeed } from '../util/random.js';
import { BatchHealth, DEFAULT_QUORUM_LOSS_AFTER, isQuorumError, quorumLostReason } from './health.js';
import { antibodyTokens, askDruids, druidsOf } from './immunity.js';
/** How many recent blocked attempts an adaptive attacker is shown. */
export const ADAPTIVE_MEMORY = 5;
/**
 * Runs the plan. Rounds are judged concurrently but finalised (healer learning, storage, events)
 * strictly in round order, and round r only sees history up to round r - lag, so the outcome of
 * every round is the same at any concurrency.
 */
export async function runWargame(s) {
    const emit = s.emit ?? (() => { });
    const done = new Set((s.previous ?? []).map((p) => p.round));
    const todo = s.plan.filter((p) => !done.has(p.round));
    const totals = emptyCounts();
    const batchCounts = new Map();
    const batchSize = new Map();
    const batchFirst = new Map();
    const batchLast = new Map();
    const batchOf = new Map();
    for (const p of s.plan) {
        batchOf.set(p.round, p.batch);
        batchSize.set(p.batch, (batchSize.get(p.batch) ?? 0) + 1);
        batchFirst.set(p.batch, Math.min(batchFirst.get(p.batch) ?? p.round, p.round));
        batchLast.set(p.batch, Math.max(batchLast.get(p.batch) ?? p.round, p.round));
    }
    const countIn = (batch) => {
        let c = batchCounts.get(batch);
        if (!c)
            batchCounts.set(batch, (c = emptyCounts()));
        return c;
    };
    const batchDone = new Map();
    for (const p of s.previous ?? []) {
        addOutcome(totals, p.kind, p.outcome);
        const b = batchOf.get(p.round);
        if (b === undefined)
            continue;
        addOutcome(countIn(b), p.kind, p.outcome);
        batchDone.set(b, (batchDone.get(b) ?? 0) + 1);
    }
    emit({ type: 'run_started', runId: s.runId, roundsPlanned: s.plan.length, roundsAlreadyDone: done.size });
    // History is finalised in order; `finalisedThrough` is the highest round r such that every
    // planned round <= r is finalised (or was done before this session).
    const order = todo.map((p) => p.round);
    let finalisedIndex = 0; // index into `order` of the next round to finalise
    const finalisedThrough = () => (finalisedIndex === 0 ? (order[0] ?? 1) - 1 : order[finalisedIndex - 1]);
    const needsNothing = !s.healer && ![...s.attackers.values()].some((a) => a.adaptive);
    const waiters = [];
    const waitForHistory = (round) => {
        const needed = round - s.lag;
        if (needed <= finalisedThrough() || needsNothing)
            return undefined;
        return new Promise((resolve) => waiters.push({ round: needed, resolve }));
    };
    const blockedByCategory = new Map();
    const rememberBlocked = (category, round, text) => {
        const list = blockedByCategory.get(category) ?? [];
        list.push({ round, text });
        if (list.length > ADAPTIVE_MEMORY + s.lag)
            list.shift();
        blockedByCategory.set(category, list);
    };
    const health = new BatchHealth(s.defenders.map((d) => d.name), s.degradedShare);
    // A resumed run picks up an adaptive attacker's memory and the health of the batch in progress.
    for (const p of [...(s.previous ?? [])].sort((a, b) => a.round - b.round)) {
        if (p.kind === 'attack' && p.category !== undefined && p.text !== undefined && (p.outcome === 'DEFENDED' || p.outcome === 'INSTANT_BLOCKED')) {
            rememberBlocked(p.category, p.round, p.text);
        }
        const b = batchOf.get(p.round);
        if (p.votes && b !== undefined)
            health.add(b, p.votes);
    }
    const ready = new Map();
    let fatal;
    let roundsDone = done.size;
    /** Why the run stops early (budget, quorum); rounds in flight still finish unless the quorum is lost. */
    let halt;
    // ERROR rounds are held back, in order, until a round the swarm answered shows the outage is
    // over. When the quorum is lost they are dropped instead of stored, so a resume redoes them and
    // an outage never leaves a trail of error rounds. They change no history (no healer lesson, no
    // blocked attempt), so later rounds need not wait for them.
    const held = [];
    const lossAfter = Math.max(1, s.quorumLossAfter ?? DEFAULT_QUORUM_LOSS_AFTER);
    const quorumLost = () => halt?.status === 'quorum_lost';
    const finalise = (j) => {
        if (j.record.outcome === 'ERROR') {
            held.push(j);
            const quorumErrors = held.map((h) => h.record).filter(isQuorumError);
            if (quorumErrors.length >= lossAfter) {
                halt = { status: 'quorum_lost', reason: quorumLostReason(quorumErrors, s.defenders.length, s.consensus.quorum) };
                held.length = 0;
            }
            return;
        }
        for (const h of held.splice(0))
            commit(h);
        commit(j);
    };
    const commit = (j) => {
        const healerEvents = [];
        const { record, plan } = j;
        if (s.healer && j.match)
            healerEvents.push(...s.healer.recordHit(j.match, plan.round, plan.kind === 'benign'));
        if (s.healer && record.outcome === 'BREACHED') {
            // An uncategorised eval row teaches patterns that belong to no category.
            healerEvents.push(...s.healer.learn({ round: plan.round, category: isCategoryId(plan.category) ? plan.category : null, text: record.text }, j.proposals));
        }
        if (plan.kind === 'attack' && (record.outcome === 'DEFENDED' || record.outcome === 'INSTANT_BLOCKED')) {
            rememberBlocked(plan.category, plan.round, record.text);
        }
        const full = { ...record, healerEvents };
        s.store.recordRound(s.runId, full);
        roundsDone += 1;
        health.add(plan.batch, record.votes);
        if (s.budget) {
            s.budget.charge(full);
            const spent = s.budget.exhausted();
            if (spent)
                halt ??= { status: 'budget_exhausted', reason: spent };
        }
        addOutcome(totals, plan.kind, record.outcome);
        addOutcome(countIn(plan.batch), plan.kind, record.outcome);
        emit({ type: 'round_done', runId: s.runId, record: full, totals, roundsDone });
        if (record.outcome === 'BREACHED')
            emit({ type: 'breach', runId: s.runId, round: plan.round, category: plan.category, attacker: plan.attacker });
        for (const event of healerEvents)
            emit({ type: 'healer', runId: s.runId, event });
        const inBatch = (batchDone.get(plan.batch) ?? 0) + 1;
        batchDone.set(plan.batch, inBatch);
        if (inBatch === batchSize.get(plan.batch)) {
            const defenders = health.finish(plan.batch);
            const batch = { batch: plan.batch, firstRound: batchFirst.get(plan.batch), lastRound: batchLast.get(plan.batch), counts: countIn(plan.batch), defenders };
            s.store.recordBatch(s.runId, batch);
            emit({ type: 'batch_done', runId: s.runId, batch });
            for (const h of defenders)
                if (h.degraded)
                    emit({ type: 'defender_degraded', runId: s.runId, batch: plan.batch, health: h });
        }
    };
    const drain = () => {
        while (finalisedIndex < order.length) {
            // After a lost quorum nothing more is stored: the rounds after the dropped ones would leave a gap.
            if (quorumLost())
                break;
            const next = ready.get(order[finalisedIndex]);
            if (!next)
                break;
            ready.delete(next.plan.round);
            try {
                finalise(next);
            }
            catch (err) {
                fatal ??= err;
                return;
            }
            finalisedIndex += 1;
        }
        const through = finalisedThrough();
        for (let i = waiters.length - 1; i >= 0; i--) {
            const w = waiters[i];
            if (w.round <= through) {
                waiters.splice(i, 1);
                w.resolve();
            }
        }
    };
    const recentBlocked = (category, round) => (blockedByCategory.get(category) ?? [])
        .filter((b) => b.round <= round - s.lag)
        .slice(-ADAPTIVE_MEMORY)
        .map((b) => b.text);
    let stopped = false;
    // A pool of `concurrency` workers taking rounds in plan order (what p-limit did, without a
    // queued closure and promise per planned round: a 100,000-round plan cost 130 MB that way).
    let cursor = 0;
    const playNext = async (plan) => {
        // In-process models (embedded) answer without any I/O, so a run would otherwise be one long
        // chain of promise callbacks that never lets the event loop turn: Ctrl-C, timers and
        // output would all wait for the end of the run. One turn per round costs microseconds.
        await setImmediate();
        if (!halt && s.budget) {
            // The time budget runs out between rounds too, not only when one is stored.
            const spent = s.budget.exhausted();
            if (spent)
                halt = { status: 'budget_exhausted', reason: spent };
        }
        if (stopped || halt || fatal !== undefined || s.stop?.aborted || s.abort?.aborted) {
            stopped = true;
            return false;
        }
        const wait = waitForHistory(plan.round);
        if (wait)
            await wait;
        if (fatal !== undefined || s.abort?.aborted || quorumLost())
            return false;
        const judged = await playRound(s, plan, recentBlocked(plan.category, plan.round));
        if (s.abort?.aborted)
            return false;
        ready.set(plan.round, judged);
        drain();
        return true;
    };
    const worker = async () => {
        while (cursor < todo.length)
            if (!(await playNext(todo[cursor++])))
                return;
    };
    await Promise.all(Array.from({ length: Math.min(Math.max(1, s.concurrency), todo.length) }, worker));
    // Rounds judged after a gap (an aborted earlier round) cannot be finalised in order: drop them,
    // a resume redoes them.
    ready.clear();
    for (const w of waiters.splice(0))
        w.resolve();
    // Every planned round is judged: ERROR rounds still held are real and are stored. A run that
    // stops early drops them instead, and a resume tries them again.
    if (fatal === undefined && !halt && held.length > 0 && roundsDone + held.length === s.plan.length) {
        try {
            for (const h of held.splice(0))
                commit(h);
        }
        catch (err) {
            fatal = err;
        }
    }
    const complete = roundsDone === s.plan.length;
    // (Set inside callbacks, which the compiler's narrowing does not follow.)
    const stoppedBy = halt;
    const status = fatal !== undefined ? 'failed' : complete ? 'completed' : (stoppedBy?.status ?? 'interrupted');
    const reason = fatal !== undefined ? errorMessage(fatal) : complete ? null : (stoppedBy?.reason ?? 'stopped before the plan was complete');
    emit({ type: 'run_ended', runId: s.runId, status, reason, totals });
    if (fatal !== undefined)
        throw fatal;
    return { status, reason, totals, roundsDone };
}
async function playRound(s, plan, recentBlocked) {
    const started = performance.now();
    const scenario = isCategoryId(plan.category) ? s.scenarios.get(plan.category) : undefined;
    let attack;
    try {
        attack = await inputFor(s, plan, scenario, recentBlocked);
    }
    catch (err) {
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
        attack = { ...attack, text: capText(attack.text, MAX_STORED_TEXT), fullLength: attack.text.length };
    }
    if (attack.refused) {
        return { plan, match: undefined, record: baseRecord(plan, attack, 'ATTACKER_REFUSED', 'attacker', started, null) };
    }
    const match = s.healer?.screen(attack.text, plan.round);
    if (match) {
        const outcome = plan.kind === 'attack' ? 'INSTANT_BLOCKED' : 'FALSE_POSITIVE';
        return { plan, match, record: { ...baseRecord(plan, attack, outcome, 'healer', started, null), patternId: match.patternId } };
    }
    const probe = { round: plan.round, kind: plan.kind, category: plan.category, text: attack.text };
    // The antibodies most similar to this input, not the latest: the prompt stays bounded and relevant.
    const antibodies = s.healer ? s.healer.antibodies(plan.round, attack.text) : [];
    const { votes, decision, aborted, skipped } = await judge(s.defenders, s.consensus, s.strategy, probe, { antibodies, nonce: randomBytes(9).toString('base64url') }, s.abort);
    let outcome;
    if (decision.decision === 'error')
        outcome = 'ERROR';
    else if (plan.kind === 'attack')
        outcome = decision.decision === 'block' ? 'DEFENDED' : 'BREACHED';
    else
        outcome = decision.decision === 'block' ? 'FALSE_POSITIVE' : 'TRUE_NEGATIVE';
    const error = decision.decision === 'error' ? `quorum not met: ${decision.block + decision.allow} of ${s.defenders.length} defenders answered, ${s.consensus.quorum} needed` : null;
    const druids = outcome === 'BREACHED' && s.healer?.learning(plan.round) ? druidsOf(s.defenders) : [];
    const breach = { round: plan.round, category: isCategoryId(plan.category) ? plan.category : null, text: attack.text };
    const proposals = druids.length > 0 && s.healer ? await askDruids(druids, breach, s.healer.config.patterns_per_breach, s.abort) : undefined;
    const record = baseRecord(plan, attack, outcome, decision.decision === 'error' ? 'error' : 'consensus', started, error);
    return {
        plan,
        match: undefined,
        record: {
            ...record,
            votes,
            votesBlock: decision.block,
            votesAllow: decision.allow,
            votesAbstain: decision.abstain,
            score: decision.score,
            antibodies: antibodies.length,
            antibodyTokens: antibodyTokens(antibodies),
            callsAborted: aborted,
            callsSkipped: skipped,
        },
        ...(proposals ? { proposals } : {}),
    };
}
function emptyAttack(text) {
    return { text, refused: false, attempts: 0, strategy: '', latencyMs: 0, promptTokens: 0, completionTokens: 0 };
}
async function inputFor(s, plan, scenario, recentBlocked) {
    if (plan.attackerError !== undefined)
        throw new Error(plan.attackerError);
    if (plan.text !== undefined)
        return { ...emptyAttack(plan.text), refused: plan.refused ?? false, strategy: plan.strategy ?? plan.source ?? 'fixed' };
    if (!scenario)
        throw new Error(`no scenario for category ${plan.category}`);
    if (plan.kind === 'benign') {
        const controls = benignControls(scenario);
        return { ...emptyAttack(controls[(plan.benignIndex ?? 0) % controls.length]), strategy: `benign#${plan.benignIndex ?? 0}` };
    }
    const attacker = s.attackers.get(plan.attacker);
    if (!attacker)
        throw new Error(`no attacker named ${plan.attacker}`);
    return attacker.generate({ round: plan.round, category: scenario.id, scenario, seed: deriveSeed(s.seed, plan.round, 'attack'), recentBlocked }, s.abort);
}
function baseRecord(plan, attack, outcome, decidedBy, started, error) {
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
//# sourceMappingURL=wargame.js.map