import { describe, expect, it } from 'vitest';
import { Dialect, hasBounds, refusal, SCHEMA_BOUNDS_REFUSAL, unbounded } from '../../src/models/dialect.js';

describe('schema bounds', () => {
  const schema = {
    type: 'object',
    properties: { maximum: { type: 'number', minimum: 0, maximum: 1 }, reason: { type: 'string', maxLength: 200 }, list: { type: 'array', items: { type: 'string', maxLength: 5 }, maxItems: 3 } },
  };

  it('strips every bound keyword but keeps properties that happen to be called like one', () => {
    expect(unbounded(schema)).toEqual({
      type: 'object',
      properties: { maximum: { type: 'number' }, reason: { type: 'string' }, list: { type: 'array', items: { type: 'string' } } },
    });
    expect(hasBounds(schema)).toBe(true);
    expect(hasBounds(unbounded(schema))).toBe(false);
  });
});

describe('Dialect', () => {
  const refusals = [SCHEMA_BOUNDS_REFUSAL, refusal('json_schema', /response_format/), refusal('seed', /\bseed\b/)];

  it('drops the first refused feature the request carried, once, and keeps it dropped', () => {
    const d = new Dialect();
    const boundsError = "Invalid schema for response_format 'v': 'maxLength' is not permitted.";
    expect(d.learn(boundsError, new Set(['json_schema', 'schema_bounds']), refusals)).toBe('schema_bounds');
    expect(d.allows('schema_bounds')).toBe(false);
    expect(d.allows('json_schema')).toBe(true);
    // The same message to a request without bounds is about the schema itself.
    expect(d.learn(boundsError, new Set(['json_schema']), refusals)).toBe('json_schema');
    expect(d.learn('messages: too long', new Set(['seed']), refusals)).toBeUndefined();
  });

  it('gives a concurrent call the feature another call already dropped, so it asks again without it', () => {
    const d = new Dialect(['seed']);
    expect(d.learn("Unrecognized request argument supplied: seed", new Set(['seed']), refusals)).toBe('seed');
  });
});
