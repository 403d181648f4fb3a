import { UsageError } from '../errors.js';
export function hasLimits(l) {
    return l !== undefined && (l.maxTokens !== undefined || l.maxMinutes !== undefined || l.maxCost !== undefined);
}
/** Checks the numbers a user typed; one line per mistake. */
export function checkLimits(l) {
    const positive = (flag, v, integer) => {
        if (v === undefined)
            return;
        if (!Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v))) {
            throw new UsageError(`${flag} must be ${integer ? 'a whole number' : 'a number'} above 0 (got ${String(v)}).`);
        }
    };
    positive('--max-tokens', l.maxTokens, true);
    positive('--max-minutes', l.maxMinutes, false);
    positive('--max-cost', l.maxCost, false);
}
/**
 * Prices for every model of the run. Embedded models spend nothing and a local Ollama costs no
 * money per token, so both are free unless priced; an OpenAI-compatible endpoint usually bills,
 * so `--max-cost` refuses to start when one has no price rather than count it as free and let
 * the kill switch overshoot silently.
 */
export function pricesFor(cast, pool, needPrices) {
    const prices = new Map();
    const missing = [];
    const add = (role, e) => {
        if (e.price)
            prices.set(key(role, e.name), e.price);
        else if (needPrices && e.provider === 'openai')
            missing.push(`${role} ${e.name}`);
    };
    for (const d of cast.defenders)
        add('defender', d);
    for (const a of pool.attackers)
        add('attacker', a);
    if (missing.length > 0) {
        throw new UsageError(`--max-cost needs a price for every paid model; ${missing.join(', ')} ha${missing.length === 1 ? 's' : 've'} none: add "price: { input: USD, output: USD }" (per million tokens) to the entry.`);
    }
    return prices;
}
function key(role, name) {
    return `${role}\u0000${name}`;
}
export class BudgetMeter {
    limits;
    prices;
    now;
    tokens = 0;
    cost = 0;
    startedAt;
    constructor(limits, prices, 
    /** What the run spent before this session (resume). */
    spent = [], now = Date.now) {
        this.limits = limits;
        this.prices = prices;
        this.now = now;
        this.startedAt = now();
        for (const u of spent)
            this.add(u.role, u.name, u.promptTokens, u.completionTokens);
    }
    charge(r) {
        if (r.attackPromptTokens > 0 || r.attackCompletionTokens > 0)
            this.add('attacker', r.attacker, r.attackPromptTokens, r.attackCompletionTokens);
        for (const v of r.votes)
            this.add('defender', v.defender, v.promptTokens, v.completionTokens);
    }
    get spent() {
        return { tokens: this.tokens, cost: this.cost, minutes: (this.now() - this.startedAt) / 60_000 };
    }
    exhausted() {
        const { maxTokens, maxMinutes, maxCost } = this.limits;
        const s = this.spent;
        if (maxTokens !== undefined && s.tokens >= maxTokens)
            return `token budget spent: ${s.tokens} of ${maxTokens} tokens (--max-tokens)`;
        if (maxCost !== undefined && s.cost >= maxCost)
            return `cost budget spent: $${s.cost.toFixed(4)} of $${maxCost} (--max-cost)`;
        if (maxMinutes !== undefined && s.minutes >= maxMinutes) {
            return `time budget spent: ${s.minutes.toFixed(maxMinutes < 1 ? 3 : 1)} of ${maxMinutes} minutes (--max-minutes)`;
        }
        return undefined;
    }
    add(role, name, prompt, completion) {
        this.tokens += prompt + completion;
        const p = this.prices.get(key(role, name));
        if (p)
            this.cost += (prompt * p.input + completion * p.output) / 1_000_000;
    }
}
/** The run's budget, or undefined when no limit was asked for. `spent` is what stored rounds already used. */
export function createBudget(limits, cast, pool, spent = []) {
    if (!hasLimits(limits))
        return undefined;
    checkLimits(limits);
    return new BudgetMeter(limits, pricesFor(cast, pool, limits.maxCost !== undefined), spent);
}
//# sourceMappingURL=budget.js.map