/**
 * A cache of parsed, checked files, keyed by their bytes: YAML parsing and zod checks of the
 * scenario folder cost most of a short command's start-up (13 files, about 0.6 MB of YAML: half a
 * second), while reading the bytes and hashing them costs a few milliseconds. An entry is the
 * JSON of what the parse produced; it is used only when every byte it came from is the same, read
 * by the same hive (the key covers the tool version and the code that parses), so a hit returns
 * exactly what a parse would. Only successful parses are stored: errors are always found afresh.
 *
 * The embedded detectors' training cache (defense/embedded/training-cache.ts) keeps its binary
 * entries here too, through readCachedBytes/writeCachedBytes.
 *
 * Where: $HIVE_CACHE_DIR, else $XDG_CACHE_HOME/hive, else ~/.cache/hive; HIVE_CACHE_DIR=off turns
 * it off. A cache that cannot be read or written is no cache: nothing fails because of it.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TOOL_VERSION } from '../version.js';

/** Entries kept per kind; older ones (by modification time) are removed when a new one is written. */
const MAX_ENTRIES = 24;

/**
 * The code whose output is cached: a change to the parser or the schemas (a rebuilt dist/, an
 * edited src/ under the tests, a new bundle) makes every older entry unreachable.
 */
const PARSER_FILES = ['scenarios', 'scenario-files', 'schemas', 'load', 'parsed-cache'].map((name) => new URL(`./${name}`, import.meta.url));

let parserDigest: string | undefined;

function codeDigest(): string {
  if (parserDigest !== undefined) return parserDigest;
  const h = createHash('sha256').update(TOOL_VERSION);
  for (const base of PARSER_FILES) {
    for (const ext of ['.js', '.ts']) {
      try {
        h.update(readFileSync(fileURLToPath(`${base.href}${ext}`)));
        break;
      } catch {
        // not this extension (dist/ holds .js, src/ .ts)
      }
    }
  }
  // In a bundle the parser files are inside the bundle itself: its own bytes stand for them.
  try {
    h.update(readFileSync(fileURLToPath(import.meta.url)));
  } catch {
    // not a file: nothing more to add
  }
  parserDigest = h.digest('hex');
  return parserDigest;
}

/** The folder entries live in, or undefined when the cache is off. */
function cacheDir(env: NodeJS.ProcessEnv): string | undefined {
  const own = env.HIVE_CACHE_DIR;
  if (own === 'off') return undefined;
  if (own) return own;
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg ? xdg : join(homedir(), '.cache'), 'hive');
}

/**
 * The key of a parse: its kind, the inputs' names and bytes (`parts`, in the order the parser
 * reads them; a missing file is a part of its own, e.g. `"-"`), and the parser's code.
 */
export function cacheKey(kind: string, parts: ReadonlyArray<string | Buffer>): string {
  const h = createHash('sha256').update(kind).update('\0').update(codeDigest());
  for (const p of parts) {
    const bytes = typeof p === 'string' ? Buffer.from(p) : p;
    h.update(String(bytes.length)).update('\0').update(bytes);
  }
  return `${kind}-${h.digest('hex').slice(0, 32)}`;
}

/** The cached value of `key` (as `JSON.parse` gives it back), or undefined. */
export function readCached(key: string, env: NodeJS.ProcessEnv = process.env): unknown {
  const bytes = readCachedBytes(key, 'json', env);
  if (bytes === undefined) return undefined;
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Stores `value` (JSON-serialisable) under `key`: written to a temporary name and renamed, so a
 * concurrent reader sees the whole entry or none. Keeps at most MAX_ENTRIES of the key's kind.
 */
export function writeCached(key: string, value: unknown, env: NodeJS.ProcessEnv = process.env): void {
  writeCachedBytes(key, 'json', Buffer.from(JSON.stringify(value)), env);
}

/**
 * The bytes stored under `key` in a file named `<key>.<ext>`, or undefined (cache off, no entry,
 * unreadable). The caller validates them: a truncated or foreign file must be treated as a miss.
 */
export function readCachedBytes(key: string, ext: string, env: NodeJS.ProcessEnv = process.env): Buffer | undefined {
  const dir = cacheDir(env);
  if (dir === undefined) return undefined;
  try {
    return readFileSync(join(dir, `${key}.${ext}`));
  } catch {
    return undefined;
  }
}

/** Stores `bytes` under `key` as `<key>.<ext>`, atomically (see writeCached); failures are ignored. */
export function writeCachedBytes(key: string, ext: string, bytes: Uint8Array, env: NodeJS.ProcessEnv = process.env): void {
  const dir = cacheDir(env);
  if (dir === undefined) return;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const tmp = join(dir, `.${key}.${process.pid}.${Date.now()}.tmp`);
    writeFileSync(tmp, bytes, { mode: 0o600 });
    renameSync(tmp, join(dir, `${key}.${ext}`));
    prune(dir, key.slice(0, key.lastIndexOf('-') + 1), `.${ext}`);
  } catch {
    // A read-only home or a full disk: the next start-up computes again.
  }
}

function prune(dir: string, prefix: string, ext: string): void {
  const entries = readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && f.endsWith(ext))
    .map((f) => {
      try {
        return { f, t: statSync(join(dir, f)).mtimeMs };
      } catch {
        return { f, t: 0 };
      }
    })
    .sort((a, b) => b.t - a.t);
  for (const { f } of entries.slice(MAX_ENTRIES)) rmSync(join(dir, f), { force: true });
}
