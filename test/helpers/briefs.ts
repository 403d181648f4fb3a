/**
 * The embedded attacker's briefs for the attack rounds of a drawn plan, built as the engine builds
 * them (src/engine/round.ts): one place for the tests of the single-turn and multi-turn attackers.
 */
import { CATEGORY_IDS, type CategoryId } from '../../src/categories.js';
import type { ScenarioFolder } from '../../src/config/scenarios.js';
import { drawPlan } from '../../src/engine/plan.js';
import { deriveSeed } from '../../src/util/random.js';

export function planBriefs(folder: ScenarioFolder, o: { seed: number; rounds: number; benignRatio: number; freezeAfter?: number | undefined }) {
  const plan = drawPlan({ seed: o.seed, rounds: o.rounds, batchSize: 50, categories: CATEGORY_IDS, attackers: [{ name: 'embedded', weight: 1 }], benignRatio: o.benignRatio, benignCount: () => 40 });
  return [...plan]
    .filter((p) => p.kind === 'attack')
    .map((p) => {
      const category = p.category as CategoryId;
      return {
        round: p.round,
        category,
        scenario: folder.categories.get(category)!,
        seed: deriveSeed(o.seed, p.round, 'attack'),
        ordinal: p.ordinal ?? 0,
        deckSeed: deriveSeed(o.seed, category, 'deck'),
        heldOut: o.freezeAfter !== undefined && p.round > o.freezeAfter,
      };
    });
}
