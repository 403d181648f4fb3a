import { readFileSync, existsSync, statSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { refuseUrlCredentials } from './credentials.js';
import { AttackerPoolSchema, CastSchema, type AttackerPool, type Cast } from './schemas.js';

/** Formats a zod issue path as `defenders[2].model`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || '(top level)';
}

export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem(s))` : '';
  return `${formatPath(issue.path)}: ${issue.message}${more}`;
}

/** Parses `value` with `schema`, or throws one ConfigError line naming the file and key path. */
export function checkWith<T extends z.ZodType>(schema: T, value: unknown, file: string, what: string): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new ConfigError(`${what} ${file} is invalid at ${describeZodError(result.error)}; fix the file (see README "Config files").`);
  }
  return result.data;
}

export function readYamlFile(file: string, what: string): unknown {
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new ConfigError(`${what} file not found: ${file}; check the path (shipped ones are in defenders/, attackers/, scenarios/).`);
  }
  const source = readFileSync(file, 'utf8');
  try {
    return parseYaml(source, { maxAliasCount: 100 });
  } catch (err) {
    const where = err instanceof YAMLParseError && err.linePos?.[0] ? ` line ${err.linePos[0].line}` : '';
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new ConfigError(`${what} ${file} is not valid YAML${where}: ${reason}; fix the file.`);
  }
}

/** A cast file, checked by its schema and refused when a URL in it carries credentials. */
export function loadCast(file: string): Cast {
  const cast = checkWith(CastSchema, readYamlFile(file, 'cast'), file, 'cast');
  refuseUrlCredentials(cast, file, 'cast');
  return cast;
}

/** An attacker pool file, checked by its schema and refused when a URL in it carries credentials. */
export function loadAttackerPool(file: string): AttackerPool {
  const pool = checkWith(AttackerPoolSchema, readYamlFile(file, 'attacker pool'), file, 'attacker pool');
  refuseUrlCredentials(pool, file, 'attacker pool');
  return pool;
}
