import { describe, expect, it } from 'vitest';
import { LiteralMatcher } from '../../src/healer/literal-matcher.js';

function naive(patterns: string[], text: string): number[] {
  return patterns
    .map((p, id) => ({ id, at: text.indexOf(p) }))
    .filter((x) => x.at >= 0 && patterns[x.id] !== '')
    .map((x) => x.id)
    .sort((a, b) => a - b);
}

describe('LiteralMatcher (Aho–Corasick)', () => {
  it('finds exactly the patterns that occur, overlapping and nested ones included', () => {
    const patterns = ['he', 'she', 'his', 'hers', 'ushers x', 'e', 'zzz'];
    const m = new LiteralMatcher();
    patterns.forEach((p, i) => m.add(p, i));
    const text = 'ushers and his';
    expect(m.find(text).sort((a, b) => a - b)).toEqual(naive(patterns, text));
  });

  it('agrees with a naive search on random inputs', () => {
    let seed = 7;
    const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const word = (): string => Array.from({ length: 1 + rnd(4) }, () => 'abc'[rnd(3)]).join('');
    for (let trial = 0; trial < 200; trial++) {
      const patterns = Array.from({ length: 1 + rnd(12) }, word);
      const text = Array.from({ length: rnd(40) }, () => 'abcd'[rnd(4)]).join('');
      const m = new LiteralMatcher();
      patterns.forEach((p, i) => m.add(p, i));
      expect(m.find(text).sort((a, b) => a - b)).toEqual(naive(patterns, text));
    }
  });

  it('treats regex metacharacters as plain text', () => {
    const m = new LiteralMatcher();
    m.add('(a+)+$', 0);
    m.add('.*', 1);
    expect(m.find('xx (a+)+$ yy')).toEqual([0]);
    expect(m.find('aaaaaaaaaaaaaaaaaaaaaaaaaaaaa!')).toEqual([]);
  });

  it('honours the filter and stops at the first accepted match', () => {
    const m = new LiteralMatcher();
    m.add('one', 0);
    m.add('two', 1);
    expect(m.find('one two', (id) => id === 1)).toEqual([1]);
    expect(m.find('one two', () => true, true)).toEqual([0]);
    m.add('three', 2);
    expect(m.find('three one')).toEqual([2, 0]);
  });
});

describe('LiteralMatcher: growing while it is used', () => {
  it('stays exact when patterns are added between scans', () => {
    let seed = 11;
    const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const word = (): string => Array.from({ length: 1 + rnd(5) }, () => 'abc '[rnd(4)]).join('');
    const m = new LiteralMatcher();
    const patterns: string[] = [];
    for (let step = 0; step < 300; step++) {
      const p = word();
      m.add(p, patterns.length);
      patterns.push(p);
      const text = Array.from({ length: rnd(60) }, () => 'abcd '[rnd(5)]).join('');
      expect(m.find(text).sort((a, b) => a - b)).toEqual(naive(patterns, text));
    }
  });

  it('reports first the match that ends first, the longer of two ending together', () => {
    const m = new LiteralMatcher();
    m.add(' b c ', 0);
    m.add(' a b c ', 1);
    m.add(' c d ', 2);
    expect(m.find(' a b c d ')).toEqual([1, 0, 2]);
    expect(m.find(' a b c d ', () => true, true)).toEqual([1]);
    expect(m.find(' a b c d ', (id) => id !== 1, true)).toEqual([0]);
    expect(m.find(' x c d b c ', () => true, true)).toEqual([2]);
  });

  it('finds what it should among 20,000 patterns', () => {
    const pattern = (i: number): string => ` w${i} x${i % 97} y${i} `;
    const m = new LiteralMatcher();
    for (let i = 0; i < 20_000; i++) m.add(pattern(i), i);
    const present = Array.from({ length: 200 }, (_, k) => k * 7);
    const text = present.map((i) => pattern(i)).join('z');
    expect(m.find(text)).toEqual(present);
    expect(m.find(text, (id) => id > 100, true)).toEqual([105]);
  });
});
