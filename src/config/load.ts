import { readFileSync, existsSync, statSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { refuseCredentials } from './credentials.js';
import { plainIssue, problemsLine } from './problems.js';
import { AttackerPoolSchema, CastSchema, type AttackerPool, type Cast } from './schemas.js';

/**
 * Parses `value` with `schema`, or throws one ConfigError line naming the file and every problem
 * with its key path, in plain words (src/config/problems.ts). `fix` closes the line.
 */
export function checkWith<T extends z.ZodType>(schema: T, value: unknown, file: string, what: string, fix = 'fix the file (see README "Config files").'): z.output<T> {
  const result = schema.safeParse(value, { error: plainIssue });
  if (!result.success) throw new ConfigError(problemsLine(what, file, result.error, fix));
  return result.data;
}

/** Where hive ships files of each kind, for "not found" messages (none: it ships no such file). */
const SHIPPED_IN: Readonly<Record<string, string>> = { cast: 'defenders/', 'attacker pool': 'attackers/', scenario: 'scenarios/', vaccine: 'scenarios/vaccines/', presets: 'presets/' };

/**
 * Checks that the `what` file (a cast, a gates file, an immunity file…) given as `file` exists and
 * is a file; otherwise a ConfigError in one line: a folder is said to be one (not "not found"),
 * and a missing file points at the folder hive ships such files in, when it ships any. `fix` ends
 * the "not found" line instead of the default.
 */
export function checkInputFile(file: string, what: string, fix?: string): void {
  if (existsSync(file) && statSync(file).isDirectory()) {
    throw new ConfigError(`${what} ${file} is a folder, not a file; pass the path of a file${SHIPPED_IN[what] ? ` (shipped ones are in ${SHIPPED_IN[what]})` : ''}.`);
  }
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new ConfigError(`${what} file not found: ${file}; ${fix ?? `check the path${SHIPPED_IN[what] ? ` (shipped ones are in ${SHIPPED_IN[what]})` : ''}`}.`);
  }
}

export function readYamlFile(file: string, what: string): unknown {
  checkInputFile(file, what);
  const source = readFileSync(file, 'utf8');
  try {
    return parseYaml(source, { maxAliasCount: 100 });
  } catch (err) {
    const pos = err instanceof YAMLParseError ? err.linePos?.[0] : undefined;
    const where = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
    // The yaml library ends its first line with its own "at line L, column C:" and a snippet below.
    const reason = (err instanceof Error ? err.message.split('\n')[0] ?? '' : String(err)).replace(/ at line \d+, column \d+:?$/, '');
    throw new ConfigError(`${what} ${file} is not valid YAML${where}: ${reason}; fix the file there.`);
  }
}

/** A cast file, checked by its schema and refused when it holds credentials (src/config/credentials.ts). */
export function loadCast(file: string): Cast {
  const cast = checkWith(CastSchema, readYamlFile(file, 'cast'), file, 'cast');
  refuseCredentials(cast, file, 'cast');
  return cast;
}

/** An attacker pool file, checked by its schema and refused when it holds credentials (src/config/credentials.ts). */
export function loadAttackerPool(file: string): AttackerPool {
  const pool = checkWith(AttackerPoolSchema, readYamlFile(file, 'attacker pool'), file, 'attacker pool');
  refuseCredentials(pool, file, 'attacker pool');
  return pool;
}
