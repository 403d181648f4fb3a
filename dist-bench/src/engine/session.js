import { CATEGORY_IDS, isCategoryId } from '../categories.js';
import { loadAttackerPool, loadCast, loadScenarios } from '../config/load.js';
import { benignControls, benignTrainingSplit } from '../config/scenario-split.js';
import { thresholdConsensus } from '../defense/consensus.js';
import { ConfigError, UsageError } from '../errors.js';
import { buildHealer, planHealer } from './healer-setup.js';
import { buildAttacker, buildDefender, modelRecord } from '../models/factory.js';
import { needsPreflight, preflight, preflightError } from '../models/preflight.js';
import { createBudget } from './budget.js';
import { drawPlan } from './plan.js';
import { playStoredRun } from './stored-run.js';
export function checkNumber(name, value, min, max, integer = true) {
    if (!Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || value > max) {
        throw new UsageError(`${name} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max} (got ${String(value)}).`);
    }
    return value;
}
export function parseCategories(values) {
    if (!values || values.length === 0)
        return [...CATEGORY_IDS];
    const out = [];
    for (const v of values.flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean)) {
        if (!isCategoryId(v))
            throw new UsageError(`unknown category "${v}"; run "hive categories" for the 13 valid ids.`);
        if (!out.includes(v))
            out.push(v);
    }
    return out;
}
/** Guard corpus for the healer: every benign text of every scenario. */
export function benignGuard(scenarios) {
    return [...scenarios.values()].flatMap((s) => [...benignControls(s), ...benignTrainingSplit(s)]);
}
export function buildAttackers(pool, ctx) {
    return new Map(pool.attackers.map((entry) => [entry.name, buildAttacker(entry, ctx)]));
}
/** Loads everything, records the run, plays it. Never prints: all news goes through `emit`. */
export async function startWargame(o) {
    checkNumber('--rounds', o.rounds, 1, 10_000_000);
    checkNumber('--batch', o.batchSize, 1, 1_000_000);
    checkNumber('--concurrency', o.concurrency, 1, 1024);
    checkNumber('--benign-ratio', o.benignRatio, 0, 1, false);
    checkNumber('--seed', o.seed, -(2 ** 31), 2 ** 31 - 1);
    const categories = parseCategories(o.categories);
    const cast = loadCast(o.castPath);
    const pool = loadAttackerPool(o.attackersPath);
    const scenarios = loadScenarios(o.scenariosDir);
    const ctx = { scenarios, env: o.env ?? process.env };
    const defenders = cast.defenders.map((d) => buildDefender(d, ctx));
    const attackers = buildAttackers(pool, ctx);
    if (o.benignRatio < 1 && attackers.size === 0)
        throw new ConfigError(`attacker pool ${o.attackersPath} has no attackers.`);
    // A run whose first call would fail (host down, model not pulled, key unset) is refused before it is created.
    let ready;
    if (needsPreflight({ cast, pool })) {
        ready = await preflight({ cast, pool, env: ctx.env, signal: o.abort });
        if (ready.problems.length > 0)
            throw preflightError(ready, `hive doctor --cast ${o.castPath} --attackers ${o.attackersPath}`);
    }
    const plan = drawPlan({
        seed: o.seed,
        rounds: o.rounds,
        batchSize: o.batchSize,
        categories,
        attackers: pool.attackers.map((a) => ({ name: a.name, weight: a.weight })),
        benignRatio: o.benignRatio,
        benignCount: (c) => benignControls(scenarios.get(c)).length,
    });
    const heal = o.heal && cast.healer.enabled;
    const healerPlan = planHealer(o, heal);
    const config = {
        options: {
            rounds: o.rounds,
            batchSize: o.batchSize,
            seed: o.seed,
            benignRatio: o.benignRatio,
            heal,
            categories,
            scenariosDir: o.scenariosDir,
            immunity: [...(o.immunity ?? [])],
            vaccines: [...(o.vaccines ?? [])],
            freezeHealerAfter: o.freezeHealerAfter ?? null,
        },
        cast,
        attackers: pool,
    };
    const built = heal ? buildHealer(cast.healer, benignGuard(scenarios), healerPlan) : undefined;
    const healer = built?.healer;
    return playStoredRun({
        dbPath: o.dbPath,
        manifest: {
            kind: 'wargame',
            seed: o.seed,
            castName: cast.name,
            attackersName: pool.name,
            roundsPlanned: o.rounds,
            batchSize: o.batchSize,
            replayOf: null,
            config,
            plan: plan.map((p) => [p.kind === 'attack' ? 'A' : 'B', p.category, p.attacker]),
            models: [...cast.defenders.map((d) => modelRecord('defender', d)), ...pool.attackers.map((a) => modelRecord('attacker', a))],
        },
        onCreated: (store, runId) => {
            for (const d of ready?.digests ?? [])
                store.setModelDigest(runId, d.role, d.name, d.digest);
            // Immunity and vaccines loaded before round 1: round-0 healer events of this run.
            if (built && built.events.length > 0) {
                store.recordHealerEvents(runId, built.events);
                for (const event of built.events)
                    o.emit?.({ type: 'healer', runId, event });
            }
        },
        setup: {
            seed: o.seed,
            plan,
            scenarios,
            attackers,
            defenders,
            consensus: thresholdConsensus(cast.consensus),
            strategy: cast.consensus.strategy,
            healer,
            lag: cast.healer.lag,
            concurrency: o.concurrency,
            budget: createBudget(o.budget, cast, pool),
            ...(o.emit ? { emit: o.emit } : {}),
            ...(o.stop ? { stop: o.stop } : {}),
            ...(o.abort ? { abort: o.abort } : {}),
        },
    });
}
//# sourceMappingURL=session.js.map