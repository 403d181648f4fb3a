import { describe, expect, it } from 'vitest';
import { kindGroups, readDevCorpus, rowsOfPart, tuneFold } from '../../bench/dev-corpus.js';

describe('the tuning half of corpora/dev split into two folds', () => {
  const { rows } = readDevCorpus();
  const tune = rows.filter((r) => r.split === 'tune');
  const a = tuneFold(rows, 'a');
  const b = tuneFold(rows, 'b');

  it('deals every tuning row to exactly one fold and no reporting row to either', () => {
    const ids = (xs: typeof rows) => new Set(xs.map((r) => r.id));
    const inA = ids(a);
    expect(b.filter((r) => inA.has(r.id))).toEqual([]);
    expect(a.length + b.length).toBe(tune.length);
    expect([...a, ...b].every((r) => r.split === 'tune')).toBe(true);
    expect(ids([...a, ...b])).toEqual(ids(tune));
  });

  it('keeps the share of every kind the bench reports (within three rows)', () => {
    const ga = kindGroups(a);
    const gb = kindGroups(b);
    ga.forEach((g, i) => {
      const other = gb[i] as (typeof gb)[number];
      expect(other.name).toBe(g.name);
      expect(Math.abs(g.rows.length - other.rows.length)).toBeLessThanOrEqual(3);
    });
  });

  it('is the same on every call, and rowsOfPart gives the same folds', () => {
    expect(tuneFold(rows, 'a').map((r) => r.id)).toEqual(a.map((r) => r.id));
    expect(rowsOfPart(rows, 'tune-b').map((r) => r.id)).toEqual(b.map((r) => r.id));
    expect(rowsOfPart(rows, 'tune').length).toBe(tune.length);
  });
});
