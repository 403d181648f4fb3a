import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { CATEGORY_IDS, type CategoryId } from '../../src/categories.js';
import { loadScenarios } from '../../src/config/scenarios.js';
import type { Scenario } from '../../src/config/schemas.js';
import { createEmbeddedAttacker, drawStrategies, embeddedAttack } from '../../src/attack/embedded-attacker.js';
import { MUTATION_NAMES } from '../../src/attack/mutations/registry.js';
import type { AttackBrief } from '../../src/domain.js';
import { ConfigError } from '../../src/errors.js';
import { deriveSeed, Rng } from '../../src/util/random.js';

let scenarios: Map<CategoryId, Scenario>;
beforeAll(() => {
  scenarios = new Map(loadScenarios(join(import.meta.dirname, '..', '..', 'scenarios')).categories);
});

function brief(category: CategoryId, seed: number, round = 1): AttackBrief {
  return { round, category, scenario: scenarios.get(category) as Scenario, seed: deriveSeed(99, seed, category), recentBlocked: [] };
}

const attacker = createEmbeddedAttacker('mutator', 'mutator');

describe('createEmbeddedAttacker', () => {
  it('is an embedded attacker that names its model', () => {
    expect(attacker).toMatchObject({ name: 'mutator', provider: 'embedded', model: 'mutator' });
  });

  it('rejects unknown models with a ConfigError naming the valid ones', () => {
    expect(() => createEmbeddedAttacker('x', 'gpt-4')).toThrow(ConfigError);
    expect(() => createEmbeddedAttacker('x', 'gpt-4')).toThrow(/mutator/);
  });
});

describe('embedded attacks', () => {
  it('gives the same text and strategy for the same seed', async () => {
    for (const category of CATEGORY_IDS) {
      const a = await attacker.generate(brief(category, 5));
      const b = await attacker.generate(brief(category, 5, 77));
      expect(b.text).toBe(a.text);
      expect(b.strategy).toBe(a.strategy);
    }
  });

  it('varies with the seed', () => {
    for (const category of CATEGORY_IDS) {
      const texts = new Set(Array.from({ length: 40 }, (_, s) => embeddedAttack(brief(category, s)).text));
      expect(texts.size).toBeGreaterThan(25);
    }
  });

  it('writes an attack for every category, never refuses and uses no tokens', async () => {
    for (const category of CATEGORY_IDS) {
      const templates = (scenarios.get(category) as Scenario).templates;
      for (let s = 0; s < 30; s++) {
        const a = await attacker.generate(brief(category, s));
        expect(a.text.length).toBeGreaterThan(0);
        expect(a).toMatchObject({ refused: false, attempts: 1, promptTokens: 0, completionTokens: 0 });
        const [template, ...strategies] = a.strategy.split('+');
        const index = Number((template as string).slice(1));
        expect(template).toMatch(/^t\d+$/);
        expect(index).toBeLessThan(templates.length);
        for (const st of strategies) expect(MUTATION_NAMES).toContain(st);
        if (strategies.length === 0) expect(a.text).toBe(templates[index]);
      }
    }
  });

  it('leaves a fair share of rounds unmutated and stacks at most three strategies', () => {
    let plain = 0;
    const n = 2000;
    for (let s = 0; s < n; s++) {
      const count = embeddedAttack(brief('prompt_injection', s)).strategy.split('+').length - 1;
      expect(count).toBeLessThanOrEqual(3);
      if (count === 0) plain++;
    }
    expect(plain / n).toBeGreaterThan(0.15);
    expect(plain / n).toBeLessThan(0.45);
  });

  it('favours bury for indirect injection and encodings and disguises for obfuscation', () => {
    const share = (category: CategoryId, names: readonly string[]): number => {
      let hit = 0;
      const n = 1500;
      for (let s = 0; s < n; s++) if (embeddedAttack(brief(category, s)).strategy.split('+').some((x) => names.includes(x))) hit++;
      return hit / n;
    };
    expect(share('indirect_injection', ['bury'])).toBeGreaterThan(2 * share('prompt_injection', ['bury']));
    const disguise = ['base64', 'hex', 'homoglyphs', 'zero_width'];
    expect(share('obfuscation', disguise)).toBeGreaterThan(1.5 * share('prompt_injection', disguise));
  });

  it('never stacks base64 and hex in one round', () => {
    for (let s = 0; s < 3000; s++) {
      const st = drawStrategies('obfuscation', new Rng(deriveSeed(s, 'draw')));
      expect(st.includes('base64') && st.includes('hex')).toBe(false);
      expect(new Set(st).size).toBe(st.length);
    }
  });

  it('stops when aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(attacker.generate(brief('logic_bomb', 1), ac.signal)).rejects.toThrow();
  });
});
