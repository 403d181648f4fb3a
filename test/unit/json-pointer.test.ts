import { describe, expect, it } from 'vitest';
import { pointerTokens, resolvePointer } from '../../src/util/json-pointer.js';

describe('JSON pointers (RFC 6901)', () => {
  const doc = { flagged: false, scores: { injection: 0.7 }, 'a/b': { '~k': 1 }, list: [{ x: 'first' }, { x: 'second' }], nothing: null };

  it('walks objects by key and arrays by index, unescaping ~1 and ~0', () => {
    expect(resolvePointer(doc, '/flagged')).toEqual({ found: true, value: false });
    expect(resolvePointer(doc, '/scores/injection')).toEqual({ found: true, value: 0.7 });
    expect(resolvePointer(doc, '/a~1b/~0k')).toEqual({ found: true, value: 1 });
    expect(resolvePointer(doc, '/list/1/x')).toEqual({ found: true, value: 'second' });
    expect(resolvePointer(doc, '/nothing')).toEqual({ found: true, value: null });
    expect(resolvePointer(doc, '')).toEqual({ found: true, value: doc });
  });

  it('finds nothing for missing keys, bad indices, inherited keys and malformed pointers', () => {
    for (const p of ['/missing', '/list/2', '/list/01', '/list/-', '/scores/injection/deeper', '/__proto__', '/constructor', 'flagged', '/bad~2'])
      expect(resolvePointer(doc, p)).toEqual({ found: false });
    expect(pointerTokens('/bad~')).toBeUndefined();
  });
});
