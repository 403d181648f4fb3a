/**
 * Config problems in plain words. zod 4 reports every problem of a file with its key path and
 * the data of what went wrong (the expected type, the bounds, the allowed values, the unknown
 * keys and the schema's own keys); this turns each into "consensus.threshold: must be a whole
 * number, not 1.5", so that a config error lists every problem and what would be valid. A
 * message a schema sets itself ("must be an environment variable name") is kept as written.
 */
import type { z } from 'zod';

/** Formats a zod issue path as `defenders[2].model`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || '(top level)';
}

const TYPE_WORDS: Record<string, string> = {
  int: 'a whole number',
  number: 'a number',
  string: 'text',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping of keys to values',
  record: 'a mapping of keys to values',
};

/** A value as the user wrote it, short: "1.5", "\"three\"", "a list", "a mapping". */
function shown(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a mapping';
  const text = typeof input === 'string' ? JSON.stringify(input) : String(input);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

const quoted = (xs: readonly unknown[]): string => xs.map((x) => (typeof x === 'string' ? `"${x}"` : String(x))).join(', ');

type Issue = z.core.$ZodRawIssue;

function bound(iss: Issue & { origin?: string; inclusive?: boolean }, limit: number | bigint, least: boolean): string {
  const n = Number(limit);
  switch (iss.origin) {
    case 'array':
    case 'set':
      return `needs ${least ? 'at least' : 'at most'} ${n} ${n === 1 ? 'entry' : 'entries'}`;
    case 'string':
      return `needs ${least ? 'at least' : 'at most'} ${n} character${n === 1 ? '' : 's'}`;
    default: {
      const rel = least ? (iss.inclusive === false ? 'more than' : 'at least') : iss.inclusive === false ? 'less than' : 'at most';
      return `must be ${rel} ${n}${iss.input !== undefined ? `, not ${shown(iss.input)}` : ''}`;
    }
  }
}

/** The keys an object schema knows, for "valid keys: …". */
function knownKeys(iss: Issue): string[] {
  const def = (iss.inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def;
  return def?.shape ? Object.keys(def.shape) : [];
}

/**
 * The error map hive parses config with (`schema.safeParse(value, { error: plainIssue })`): one
 * plain sentence per problem, undefined to keep zod's own words where hive has none better.
 */
export function plainIssue(iss: Issue): string | undefined {
  switch (iss.code) {
    case 'invalid_type': {
      const want = TYPE_WORDS[iss.expected] ?? iss.expected;
      return iss.input === undefined ? `is missing (${want} is needed here)` : `must be ${want}, not ${shown(iss.input)}`;
    }
    case 'too_small':
      return bound(iss, iss.minimum, true);
    case 'too_big':
      return bound(iss, iss.maximum, false);
    case 'invalid_value':
      return `must be ${iss.values.length === 1 ? quoted(iss.values) : `one of ${quoted(iss.values)}`}${iss.input !== undefined ? `, not ${shown(iss.input)}` : ''}`;
    case 'unrecognized_keys': {
      const valid = knownKeys(iss);
      return `unknown key${iss.keys.length === 1 ? '' : 's'} ${quoted(iss.keys)}${valid.length > 0 ? ` (valid keys: ${valid.join(', ')})` : ''}`;
    }
    case 'not_multiple_of':
      return `must be a multiple of ${String(iss.divisor)}`;
    case 'invalid_union': {
      // A discriminated union (`provider: …`) names the values its discriminator may take.
      const { discriminator, options } = iss as { discriminator?: string; options?: unknown[] };
      if (discriminator !== undefined && options && options.length > 0) {
        const got = iss.input !== null && typeof iss.input === 'object' ? (iss.input as Record<string, unknown>)[discriminator] : undefined;
        return `must be ${options.length === 1 ? quoted(options) : `one of ${quoted(options)}`}${got !== undefined ? `, not ${shown(got)}` : ''}`;
      }
      return `is none of the forms allowed here${iss.input !== undefined ? ` (got ${shown(iss.input)})` : ''}`;
    }
    default:
      return undefined;
  }
}

/** Every problem of a failed parse as "key.path: what is wrong", in the order zod found them. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`);
}

/**
 * One line for all the problems of `file`: "cast x.yaml is invalid: p" for one, "cast x.yaml has
 * 3 problems: (1) p1; (2) p2; (3) p3" for more, then `fix`.
 */
export function problemsLine(what: string, file: string, error: z.ZodError, fix: string): string {
  const all = describeIssues(error);
  if (all.length === 1) return `${what} ${file} is invalid: ${all[0]}; ${fix}`;
  return `${what} ${file} has ${all.length} problems: ${all.map((p, i) => `(${i + 1}) ${p}`).join('; ')}. ${fix.charAt(0).toUpperCase()}${fix.slice(1)}`;
}
