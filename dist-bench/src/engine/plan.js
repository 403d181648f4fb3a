import { deriveSeed, Rng } from '../util/random.js';
export const BENIGN_ATTACKER = 'benign';
/**
 * The whole plan, drawn from the seed before the first round: categories in shuffled cycles (so
 * every category appears every |categories| rounds), exactly round(ratio × N) benign rounds at
 * random positions, attackers by weight.
 */
export function drawPlan(o) {
    const rng = new Rng(deriveSeed(o.seed, 'plan'));
    const categories = [];
    while (categories.length < o.rounds)
        categories.push(...rng.shuffle(o.categories));
    const benignRounds = Math.round(o.benignRatio * o.rounds);
    const benign = new Set(rng.shuffle(Array.from({ length: o.rounds }, (_, i) => i)).slice(0, benignRounds));
    const weights = o.attackers.map((a) => a.weight);
    const plan = [];
    for (let i = 0; i < o.rounds; i++) {
        const category = categories[i];
        // Plain literals, not `{ ...base, kind }`: V8 (Node 20) gives every object made by spreading
        // and then adding keys its own hidden class, 200 bytes each; a 100,000-round plan held 20 MB of them.
        const round = i + 1;
        const batch = Math.floor(i / o.batchSize) + 1;
        if (benign.has(i)) {
            plan.push({ round, batch, category, kind: 'benign', attacker: BENIGN_ATTACKER, benignIndex: rng.int(0, Math.max(0, o.benignCount(category) - 1)) });
        }
        else {
            const attacker = o.attackers[rng.weightedIndex(weights)];
            plan.push({ round, batch, category, kind: 'attack', attacker: attacker?.name ?? 'none' });
        }
    }
    return plan;
}
//# sourceMappingURL=plan.js.map