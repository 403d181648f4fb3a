/**
 * What a server refuses, learnt from its 400/422 answers and kept for the model for the rest of
 * the run (sticky), so each adaptation costs one extra request per run, not one per call.
 * "Compatible" servers differ: some reject response_format or one of its modes, strict ones reject
 * schema bounds, Mistral and Gemini reject `seed`, OpenAI's reasoning models want
 * max_completion_tokens and no temperature, a server without a thinking switch rejects
 * `think` / `reasoning_effort` / `chat_template_kwargs`, some reject `logprobs`.
 *
 * A refused request is asked again without the feature: not a retry (the policy's job), the same
 * question in a form the server takes. Each adaptation removes one feature, so a call adapts a
 * handful of times at most.
 */

export type Feature =
  /** maxLength, minimum, maximum… in the answer's JSON schema (sent unbounded once refused). */
  | 'schema_bounds'
  /** The JSON schema itself (OpenAI response_format json_schema, Ollama format). */
  | 'json_schema'
  /** OpenAI response_format json_object, the step after json_schema. */
  | 'json_object'
  | 'seed'
  | 'temperature'
  /** OpenAI max_tokens; once refused in favour of max_completion_tokens, that one is sent. */
  | 'max_tokens'
  /** Ollama `think`. */
  | 'think'
  | 'reasoning_effort'
  | 'chat_template_kwargs'
  | 'logprobs';

/** A feature and how a server's refusal of it reads. Order matters: the first match is dropped. */
export interface Refusal {
  feature: Feature;
  matches(text: string): boolean;
}

export const refusal = (feature: Feature, pattern: RegExp): Refusal => ({ feature, matches: (t) => pattern.test(t) });

/** Bounds are tried before the schema: a bounds error names response_format too. */
export const SCHEMA_BOUNDS_REFUSAL = refusal('schema_bounds', /\b(?:maxLength|minLength|maximum|minimum|maxItems|minItems)\b/);

export class Dialect {
  private readonly refused = new Set<Feature>();

  constructor(refusedFromStart: readonly Feature[] = []) {
    for (const f of refusedFromStart) this.refused.add(f);
  }

  allows(feature: Feature): boolean {
    return !this.refused.has(feature);
  }

  /**
   * After a 400/422 reading `text` to a request that sent `sent`: the feature to stop sending,
   * or undefined when the refusal is about nothing we can drop. Calls adapt concurrently: one
   * that learns what another already learnt still gets the feature back, and asks again without it.
   */
  learn(text: string, sent: ReadonlySet<Feature>, refusals: readonly Refusal[]): Feature | undefined {
    const r = refusals.find((x) => sent.has(x.feature) && x.matches(text));
    if (!r) return undefined;
    this.refused.add(r.feature);
    return r.feature;
  }
}

const BOUND_KEYWORDS = new Set(['maxLength', 'minLength', 'maximum', 'minimum', 'exclusiveMaximum', 'exclusiveMinimum', 'maxItems', 'minItems']);

/** The schema without any bound keyword, for a server that accepts none. */
export function unbounded(schema: Record<string, unknown>): Record<string, unknown> {
  // The keys of `properties` are property names, not keywords: a property may be called "maximum".
  const strip = (v: unknown, names = false): unknown => {
    if (Array.isArray(v)) return v.map((x) => strip(x));
    if (v === null || typeof v !== 'object') return v;
    const kept = Object.entries(v).filter(([k]) => names || !BOUND_KEYWORDS.has(k));
    return Object.fromEntries(kept.map(([k, x]) => [k, strip(x, !names && k === 'properties')]));
  };
  return strip(schema) as Record<string, unknown>;
}

/** Whether the schema has a bound anywhere. */
export function hasBounds(schema: Record<string, unknown>): boolean {
  return JSON.stringify(unbounded(schema)) !== JSON.stringify(schema);
}
