/**
 * The kill switch: `--max-tokens`, `--max-minutes` and `--max-cost` stop a run gracefully (no new
 * round starts, rounds in flight finish and are stored) with status `budget_exhausted` and a
 * reason naming the budget. Tokens and cost count the whole run, rounds stored before a resume
 * included, so a budget means "this run may spend at most this much"; minutes count this session
 * only, because the gaps between sessions are not spent on anything.
 *
 * A budget is checked between rounds, so the rounds in flight when it runs out still finish: a
 * run may overshoot by at most `concurrency` rounds. That is the price of never losing a round.
 */
import type { AttackerPool, Cast } from '../config/schemas.js';
import { UsageError } from '../errors.js';
import type { RoundRecord } from '../store/records.js';

export interface BudgetLimits {
  maxTokens?: number | undefined;
  maxMinutes?: number | undefined;
  /** US dollars. */
  maxCost?: number | undefined;
}

/** USD per million tokens, as in the config files' `price`. */
export interface Price {
  input: number;
  output: number;
}

/** Tokens one model spent, keyed by role and name (an attacker and a defender may share a name). */
/** The pool's protected assistant, priced and counted beside the attackers. */
const ASSISTANT = 'assistant';

export interface ModelUsage {
  role: 'attacker' | 'defender';
  name: string;
  promptTokens: number;
  completionTokens: number;
}

/** What the engine needs of a budget: charge every stored round, ask whether to stop. */
export interface Budget {
  charge(record: RoundRecord): void;
  /** Why the run must stop now, or undefined while there is budget left. */
  exhausted(): string | undefined;
}

export function hasLimits(l: BudgetLimits | undefined): l is BudgetLimits {
  return l !== undefined && (l.maxTokens !== undefined || l.maxMinutes !== undefined || l.maxCost !== undefined);
}

/** Checks the numbers a user typed; one line per mistake. */
export function checkLimits(l: BudgetLimits): void {
  const positive = (flag: string, v: number | undefined, integer: boolean): void => {
    if (v === undefined) return;
    if (!Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v))) {
      throw new UsageError(`${flag} must be ${integer ? 'a whole number' : 'a number'} above 0 (got ${String(v)}).`);
    }
  };
  positive('--max-tokens', l.maxTokens, true);
  positive('--max-minutes', l.maxMinutes, false);
  positive('--max-cost', l.maxCost, false);
}

type PricedEntry = { name: string; provider: string; price?: Price | undefined };

/**
 * Prices for every model of the run. Embedded models spend nothing and a local Ollama costs no
 * money per token, so both are free unless priced; an OpenAI-compatible endpoint usually bills,
 * so `--max-cost` refuses to start when one has no price rather than count it as free and let
 * the kill switch overshoot silently.
 */
export function pricesFor(cast: Cast, pool: AttackerPool, needPrices: boolean): Map<string, Price> {
  const prices = new Map<string, Price>();
  const missing: string[] = [];
  const add = (role: ModelUsage['role'], e: PricedEntry): void => {
    if (e.price) prices.set(key(role, e.name), e.price);
    else if (needPrices && e.provider === 'openai') missing.push(`${role} ${e.name}`);
  };
  for (const d of cast.defenders) add('defender', d as PricedEntry);
  for (const a of pool.attackers) add('attacker', a as PricedEntry);
  if (pool.assistant) add('attacker', { ...(pool.assistant as Omit<PricedEntry, 'name'>), name: ASSISTANT });
  if (missing.length > 0) {
    throw new UsageError(
      `--max-cost needs a price for every paid model; ${missing.join(', ')} ha${missing.length === 1 ? 's' : 've'} none: add "price: { input: USD, output: USD }" (per million tokens) to the entry.`,
    );
  }
  return prices;
}

function key(role: ModelUsage['role'], name: string): string {
  return `${role}\u0000${name}`;
}

export class BudgetMeter implements Budget {
  private tokens = 0;
  private cost = 0;
  private readonly startedAt: number;

  constructor(
    private readonly limits: BudgetLimits,
    private readonly prices: ReadonlyMap<string, Price>,
    /** What the run spent before this session (resume). */
    spent: readonly ModelUsage[] = [],
    private readonly now: () => number = Date.now,
  ) {
    this.startedAt = now();
    for (const u of spent) this.add(u.role, u.name, u.promptTokens, u.completionTokens);
  }

  charge(r: RoundRecord): void {
    if (r.attackPromptTokens > 0 || r.attackCompletionTokens > 0) this.add('attacker', r.attacker, r.attackPromptTokens, r.attackCompletionTokens);
    // A conversation or iterative round: every judged turn's votes (its `votes` are the deciding
    // turn's, also among them) and the assistant's replies.
    if (r.turns) {
      for (const t of r.turns) {
        for (const v of t.votes) this.add('defender', v.defender, v.promptTokens, v.completionTokens);
        if (t.role === 'assistant') this.add('attacker', ASSISTANT, t.promptTokens, t.completionTokens);
      }
    } else for (const v of r.votes) this.add('defender', v.defender, v.promptTokens, v.completionTokens);
  }

  get spent(): { tokens: number; cost: number; minutes: number } {
    return { tokens: this.tokens, cost: this.cost, minutes: (this.now() - this.startedAt) / 60_000 };
  }

  exhausted(): string | undefined {
    const { maxTokens, maxMinutes, maxCost } = this.limits;
    const s = this.spent;
    if (maxTokens !== undefined && s.tokens >= maxTokens) return `token budget spent: ${s.tokens} of ${maxTokens} tokens (--max-tokens)`;
    if (maxCost !== undefined && s.cost >= maxCost) return `cost budget spent: $${s.cost.toFixed(4)} of $${maxCost} (--max-cost)`;
    if (maxMinutes !== undefined && s.minutes >= maxMinutes) {
      // Both at one precision: "0.050 of 0.050 minutes", never "0.050 of 0.05".
      const given = (String(maxMinutes).split('.')[1] ?? '').length;
      const digits = Math.min(6, Math.max(maxMinutes < 1 ? 3 : 1, given));
      return `time budget spent: ${s.minutes.toFixed(digits)} of ${maxMinutes.toFixed(digits)} minutes (--max-minutes)`;
    }
    return undefined;
  }

  private add(role: ModelUsage['role'], name: string, prompt: number, completion: number): void {
    this.tokens += prompt + completion;
    const p = this.prices.get(key(role, name));
    if (p) this.cost += (prompt * p.input + completion * p.output) / 1_000_000;
  }
}

/** The run's budget, or undefined when no limit was asked for. `spent` is what stored rounds already used. */
export function createBudget(limits: BudgetLimits | undefined, cast: Cast, pool: AttackerPool, spent: readonly ModelUsage[] = []): BudgetMeter | undefined {
  if (!hasLimits(limits)) return undefined;
  checkLimits(limits);
  return new BudgetMeter(limits, pricesFor(cast, pool, limits.maxCost !== undefined), spent);
}
