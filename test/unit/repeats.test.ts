import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Outcome } from '../../src/domain.js';
import { classifyRepeats, type RepeatRow } from '../../src/healer/repeats.js';
import { signature, signatureHex, similarity } from '../../src/healer/minhash.js';
import { sha256 } from '../../src/util/hash.js';

/** Two signatures agree on all four slots of one of the 16 bands (the locality-sensitive buckets repeats.ts searches). */
const shareBand = (a: Uint32Array, b: Uint32Array): boolean => Array.from({ length: 16 }, (_, band) => band).some((band) => [0, 1, 2, 3].every((r) => a[band * 4 + r] === b[band * 4 + r]));

/**
 * The classification by its definition: every block compared with every earlier breach and known
 * text; near when at least `threshold` similar and in a shared band (at the default 0.8 a pair
 * that similar always shares one).
 */
function bruteForce(rows: RepeatRow[], known: Array<{ sha256: string | null; text: string; payload?: string | null }>, threshold: number) {
  const shas = new Set(known.flatMap((k) => (k.sha256 === null ? [] : [k.sha256])));
  const sigs = known.map((k) => signature(k.text));
  const payloads = new Set(known.flatMap((k) => (typeof k.payload === 'string' ? [k.payload] : [])));
  const out = { exact: 0, near: 0, samePayload: 0, novel: 0 };
  for (const r of rows) {
    if (r.outcome === 'BREACHED') {
      shas.add(r.sha);
      sigs.push(signature(r.text));
      if (r.payload !== null) payloads.add(r.payload);
    } else if (shas.has(r.sha)) out.exact += 1;
    else if (sigs.some((s) => similarity(signature(r.text), s) >= threshold && shareBand(signature(r.text), s))) out.near += 1;
    else if (r.payload !== null && payloads.has(r.payload)) out.samePayload += 1;
    else out.novel += 1;
  }
  return out;
}

// Few words, so texts overlap a lot: near repeats at every similarity occur.
const WORDS = ['ignore', 'previous', 'rules', 'print', 'the', 'vault', 'key', 'now', 'please', 'admin'];
const textArb = fc.array(fc.constantFrom(...WORDS), { minLength: 3, maxLength: 14 }).map((w) => w.join(' '));
const rowArb = fc.record({ breached: fc.boolean(), text: textArb, payload: fc.constantFrom(null, 'p/1', 'p/2') });

describe('classifyRepeats', () => {
  it('counts exact, near, same-payload and novel blocks as comparing every pair would, at any threshold', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 40 }), fc.array(textArb, { maxLength: 4 }), fc.constantFrom(0.5, 0.7, 0.8, 0.9, 1), (drawn, knownTexts, threshold) => {
        const rows: RepeatRow[] = drawn.map((d) => ({ outcome: (d.breached ? 'BREACHED' : 'INSTANT_BLOCKED') as Outcome, sha: sha256(d.text), text: d.text, payload: d.payload }));
        const known = knownTexts.map((text, i) => ({ sha256: i % 2 === 0 ? sha256(text) : null, text, payload: i === 0 ? 'p/2' : null }));
        const got = classifyRepeats(rows, known.map((k) => ({ sha256: k.sha256, signature: signatureHex(signature(k.text)), payload: k.payload })), threshold);
        const want = bruteForce(rows, known, threshold);
        expect({ exact: got.exact, near: got.near, samePayload: got.samePayload, novel: got.novel }).toEqual(want);
      }),
      { numRuns: 300 },
    );
  });

  it('calls a block near exactly when a known signature differs from its own in few enough slots, wherever they are', () => {
    fc.assert(
      fc.property(textArb, fc.uniqueArray(fc.integer({ min: 0, max: 63 }), { maxLength: 24 }), fc.constantFrom(0.7, 0.75, 0.8, 0.9, 1), (text, changed, threshold) => {
        const own = signature(text);
        const other = Uint32Array.from(own);
        for (const k of changed) other[k] = (other[k] as number) ^ 1;
        const got = classifyRepeats([{ outcome: 'INSTANT_BLOCKED', sha: sha256(text), text, payload: null }], [{ sha256: null, signature: signatureHex(other) }], threshold);
        expect(got.near).toBe(similarity(own, other) >= threshold && shareBand(own, other) ? 1 : 0);
      }),
      { numRuns: 2000 },
    );
  });
});
