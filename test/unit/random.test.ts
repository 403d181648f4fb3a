import { describe, expect, it } from 'vitest';
import { Rng, deriveSeed } from '../../src/util/random.js';

describe('Rng', () => {
  it('is a function of its seed', () => {
    const a = new Rng(5);
    const b = new Rng(5);
    expect(Array.from({ length: 20 }, () => a.int(0, 1000))).toEqual(Array.from({ length: 20 }, () => b.int(0, 1000)));
  });

  it('gives unrelated first draws for consecutive rounds once seeds are derived', () => {
    const firsts = Array.from({ length: 16 }, (_, round) => new Rng(deriveSeed(42, round, 'attack')).float());
    expect(new Set(firsts.map((x) => Math.floor(x * 4))).size).toBeGreaterThan(1);
    expect(Math.max(...firsts) - Math.min(...firsts)).toBeGreaterThan(0.3);
  });

  it('derives different sub-seeds for different parts', () => {
    expect(deriveSeed(1, 2, 'attack')).not.toBe(deriveSeed(1, 3, 'attack'));
    expect(deriveSeed(1, 2, 'attack')).not.toBe(deriveSeed(1, 2, 'plan'));
  });
});
