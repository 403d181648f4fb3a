import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AntibodyIndex } from '../../src/healer/antibody-index.js';
import { SIGNATURE_SIZE, similarity, type Signature } from '../../src/healer/minhash.js';

/** The ranking the index replaces: score every antibody, sort by similarity then newest, skip repeated keys. */
function bruteForce(sigs: Signature[], input: Signature, limit: number, eligible: (i: number) => boolean, key: (i: number) => string): number[] {
  const ranked = sigs
    .map((s, i) => ({ i, score: similarity(input, s) }))
    .filter((x) => eligible(x.i))
    .sort((x, y) => y.score - x.score || y.i - x.i);
  const shown = new Set<string>();
  const out: number[] = [];
  for (const { i } of ranked) {
    if (out.length >= limit) break;
    if (shown.has(key(i))) continue;
    shown.add(key(i));
    out.push(i);
  }
  return out;
}

// Few distinct slot values (some differing only above bit 30) so signatures collide often.
const VALUES = [1, 2, 3, 0x40000001, 0x80000002, 0xffffffff];
const sigArb = fc.array(fc.constantFrom(...VALUES), { minLength: SIGNATURE_SIZE, maxLength: SIGNATURE_SIZE }).map((a) => Uint32Array.from(a));

describe('AntibodyIndex', () => {
  it('ranks exactly like scoring every antibody', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ sig: sigArb, key: fc.integer({ min: 0, max: 5 }), visible: fc.boolean() }), { maxLength: 150 }),
        sigArb,
        fc.integer({ min: 1, max: 10 }),
        (entries, input, limit) => {
          const index = new AntibodyIndex();
          for (const e of entries) index.add(e.sig);
          const eligible = (i: number): boolean => (entries[i] as { visible: boolean }).visible;
          const key = (i: number): string => String((entries[i] as { key: number }).key);
          const sigs = entries.map((e) => e.sig);
          expect(index.nearest(input, limit, eligible, key)).toEqual(bruteForce(sigs, input, limit, eligible, key));
          // The index is reusable: a second query gives the same answer.
          expect(index.nearest(input, limit, eligible, key)).toEqual(bruteForce(sigs, input, limit, eligible, key));
        },
      ),
      { numRuns: 300 },
    );
  });
});
