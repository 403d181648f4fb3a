import type { RoundCategory } from '../categories.js';

/** How many recent blocked attempts an adaptive attacker is shown. */
export const ADAPTIVE_MEMORY = 5;

/**
 * What an adaptive attacker is shown: the latest blocked attempts of the round's category, as of
 * the lag rule (round r sees attempts of rounds <= r - lag). Only the attempts a round could still
 * be shown are kept. A disabled memory (no adaptive attacker) keeps nothing.
 */
export class AdaptiveMemory {
  private readonly blocked = new Map<RoundCategory, Array<{ round: number; text: string }>>();

  constructor(
    private readonly lag: number,
    private readonly enabled: boolean,
  ) {}

  /** How many of a category's latest blocked attempts the memory needs (a resume reads this many back). */
  get depth(): number {
    return this.enabled ? ADAPTIVE_MEMORY + this.lag : 0;
  }

  /** Call in round order with every blocked attack (DEFENDED or INSTANT_BLOCKED). */
  remember(category: RoundCategory, round: number, text: string): void {
    if (!this.enabled) return;
    const list = this.blocked.get(category) ?? [];
    list.push({ round, text });
    if (list.length > this.depth) list.shift();
    this.blocked.set(category, list);
  }

  /** The attempts round `round` of `category` is shown, oldest first. */
  recent(category: RoundCategory, round: number): string[] {
    return (this.blocked.get(category) ?? [])
      .filter((b) => b.round <= round - this.lag)
      .slice(-ADAPTIVE_MEMORY)
      .map((b) => b.text);
  }
}
