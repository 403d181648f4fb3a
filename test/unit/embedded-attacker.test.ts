/**
 * The embedded attacker composes attacks from parts (payload, pretext, framing or carrier,
 * obfuscation, language). In a default 500-round plan no attack text repeats and fewer than 5%
 * have a near-duplicate (word 3-shingle Jaccard >= 0.8) among earlier attacks; payloads are dealt
 * without repeats per category; held-out parts appear only in the held-out phase.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { embeddedAttack } from '../../src/attack/embedded-attacker.js';
import { isHeldOutIndex } from '../../src/attack/composer/phase.js';
import { CATEGORY_IDS, type CategoryId } from '../../src/categories.js';
import { loadScenarios, type ScenarioFolder } from '../../src/config/scenarios.js';
import { ATTACK_SLOTS } from '../../src/config/schemas.js';
import { planBriefs } from '../helpers/briefs.js';
import { nearestEarlier } from '../../src/util/shingles.js';

let folder: ScenarioFolder;
beforeAll(() => {
  folder = loadScenarios(join(import.meta.dirname, '..', '..', 'scenarios'));
});

/** The attacks of a default plan (seed, rounds, 20% benign), as the engine would ask for them. */
function planAttacks(seed: number, rounds: number, freezeAfter?: number) {
  return planBriefs(folder, { seed, rounds, benignRatio: 0.2, freezeAfter }).map((brief) => ({
    round: brief.round,
    category: brief.category,
    heldOut: brief.heldOut,
    ...embeddedAttack(brief, folder.attackParts),
  }));
}

describe('the embedded attacker', () => {
  it('gives the same attack for the same brief, and another for another seed', () => {
    const a = planAttacks(42, 120);
    expect(planAttacks(42, 120)).toEqual(a);
    expect(planAttacks(43, 120).map((x) => x.text)).not.toEqual(a.map((x) => x.text));
  });

  it('repeats no attack text in a default 500-round run, and fewer than 5% have a near-duplicate among earlier attacks', () => {
    for (const seed of [42, 7, 1234]) {
      const attacks = planAttacks(seed, 500);
      expect(attacks.length).toBe(400);
      expect(new Set(attacks.map((a) => a.text)).size).toBe(attacks.length);
      const near = nearestEarlier(attacks.map((a) => a.text), 0.8).filter((j) => j >= 0).length;
      expect(near / attacks.length, `seed ${seed}: ${near} near-duplicates`).toBeLessThan(0.05);
    }
  });

  it('deals payloads without repeats within a category until its phase deck is used up', () => {
    const attacks = planAttacks(42, 500);
    for (const id of CATEGORY_IDS) {
      const payloads = attacks.filter((a) => a.category === id && !a.payload.slice(id.length + 1).match(/^[a-z]{2}\d/)).map((a) => a.payload);
      const learn = folder.categories.get(id)!.attack!.payloads.filter((_, i) => !isHeldOutIndex(i)).length;
      expect(new Set(payloads.slice(0, learn)).size, id).toBe(Math.min(payloads.length, learn));
    }
  });

  it('uses held-out payloads, framings and carrier parts only after the freeze, and only them then', () => {
    const attacks = planAttacks(42, 500, 250);
    // Held out by place in the English deck, or in the joint deck of other languages (sorted by language).
    const deckPlace = (a: { category: CategoryId; payload: string }): number => {
      const id = a.payload.slice(a.category.length + 1);
      const english = /^p(\d+)$/.exec(id);
      if (english) return Number(english[1]);
      const foreign = Object.entries(folder.categories.get(a.category)!.attack!.payloads_i18n)
        .sort(([x], [y]) => x.localeCompare(y))
        .flatMap(([lang, list]) => list.map((_, i) => `${lang}${i}`));
      return foreign.indexOf(id);
    };
    for (const a of attacks) expect(isHeldOutIndex(deckPlace(a)), `${a.round} ${a.payload}`).toBe(a.heldOut);
    expect(attacks.some((a) => a.heldOut)).toBe(true);
    // Carrier bodies: no held-out body sentence appears before the freeze.
    const heldOutBodies = Object.values(folder.attackParts.carriers).flatMap((g) => g.bodies.filter((_, i) => isHeldOutIndex(i)).filter((b) => !b.includes('{')));
    for (const a of attacks.filter((x) => !x.heldOut)) for (const b of heldOutBodies) expect(a.text.includes(b), `${a.round}`).toBe(false);
    // Framings by their index in the strategy; openers, closers and tasks (those without slots) by their text, both ways.
    const framed = attacks.filter((a) => /(^|\+)f\d+(\+|$)/.test(a.strategy));
    expect(framed.some((a) => a.heldOut) && framed.some((a) => !a.heldOut)).toBe(true);
    for (const a of framed) expect(isHeldOutIndex(Number(/(?:^|\+)f(\d+)/.exec(a.strategy)![1])), `${a.round} ${a.strategy}`).toBe(a.heldOut);
    const parts = folder.attackParts;
    const fixed = (list: readonly string[], heldOut: boolean) => list.filter((t, i) => isHeldOutIndex(i) === heldOut && !t.includes('{') && t.length > 20);
    const genres = Object.values(parts.carriers);
    const side = (heldOut: boolean) => [...genres.flatMap((g) => [...fixed(g.openers, heldOut), ...fixed(g.closers, heldOut)]), ...fixed(parts.tasks, heldOut)];
    const [learning, heldOut] = [side(false), side(true)];
    expect(learning.length).toBeGreaterThan(0);
    expect(heldOut.length).toBeGreaterThan(0);
    for (const a of attacks) for (const t of a.heldOut ? learning : heldOut) expect(a.text.includes(t), `${a.round}: ${t}`).toBe(false);
  });

  it('fills every slot, writes some attacks in other languages, buries most indirect injections in a document, disguises most obfuscation attacks', () => {
    const attacks = planAttacks(42, 1000);
    const slot = new RegExp(`\\{(${ATTACK_SLOTS.join('|')}|payload|pretext)\\}`);
    for (const a of attacks) expect(slot.test(a.text), a.text.slice(0, 80)).toBe(false);
    const foreign = attacks.filter((a) => /\/(de|es|fr|it|pt|ru|zh|ja)\d+$/.test(a.payload));
    expect(foreign.length / attacks.length).toBeGreaterThan(0.05);
    expect(attacks.some((a) => /[\u3040-\u30ff\u4e00-\u9fff]/.test(a.text))).toBe(true);
    const indirect = attacks.filter((a) => a.category === 'indirect_injection');
    expect(indirect.filter((a) => a.strategy.includes('+c:')).length / indirect.length).toBeGreaterThan(0.75);
    const obfuscation = attacks.filter((a) => a.category === 'obfuscation');
    const disguised = obfuscation.filter((a) => /\+(synonym|noise|leetspeak|homoglyphs|zero_width|base64|hex|split)/.test(a.strategy));
    expect(disguised.length / obfuscation.length).toBeGreaterThan(0.8);
  });

  it('names the parts it used in its strategy, and the payload apart', () => {
    const [a] = planAttacks(5, 30);
    expect(a?.strategy).toMatch(/^([a-z]{2})?p?\d+\+(f\d+|c:[a-z_]+)/);
    expect(a?.payload).toMatch(new RegExp(`^${a?.category}/`));
  });
});
