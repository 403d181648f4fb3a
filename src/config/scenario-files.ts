/**
 * The files a scenario folder is read from, and the folder as a cache entry (src/config/parsed-cache.ts).
 * Deliberately free of the YAML parser and the schemas: `hive categories` and every run start
 * find a folder read before in a few milliseconds, and load the parser only when the bytes changed.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATEGORY_IDS, type CategoryId } from '../categories.js';
import type { ScenarioFolder } from './scenarios.js';
import type { Scenario } from './schemas.js';
import { cacheKey, readCached, writeCached } from './parsed-cache.js';
import { DEFAULT_PATHS } from './paths.js';

/** The shared files a folder may hold, under `shared/`. */
export const SHARED_FILES = { guardCarriers: 'guard-carriers.yaml', attackParts: 'attack-parts.yaml', benignTraining: 'benign-training.json' } as const;

/** The file of category `id` in `dir` (`.yaml`, else `.yml`), or undefined; `present` lists `dir`. */
export function categoryFile(dir: string, id: CategoryId, present: ReadonlySet<string>): string | undefined {
  const name = present.has(`${id}.yaml`) ? `${id}.yaml` : present.has(`${id}.yml`) ? `${id}.yml` : undefined;
  return name === undefined ? undefined : join(dir, name);
}

/** The attack parts a folder uses: its own, else the shipped ones (older folders, folders for LLM attackers). */
export function attackPartsFile(dir: string): string {
  const own = join(dir, 'shared', SHARED_FILES.attackParts);
  return existsSync(own) ? own : join(DEFAULT_PATHS.scenarios, 'shared', SHARED_FILES.attackParts);
}

/** The cache key of the folder as it is now, or undefined when it cannot be a complete folder. */
function folderKey(dir: string): string | undefined {
  try {
    const present = new Set(readdirSync(dir));
    const parts: Array<string | Buffer> = [dir];
    for (const id of CATEGORY_IDS) {
      const file = categoryFile(dir, id, present);
      if (file === undefined) return undefined;
      parts.push(file, readFileSync(file));
    }
    for (const file of [join(dir, 'shared', SHARED_FILES.guardCarriers), attackPartsFile(dir), join(dir, 'shared', SHARED_FILES.benignTraining)]) {
      parts.push(file, existsSync(file) ? readFileSync(file) : '-');
    }
    return cacheKey('scenarios', parts);
  } catch {
    return undefined;
  }
}

type CachedFolder = Omit<ScenarioFolder, 'categories'> & { categories: Array<[CategoryId, Scenario]> };

/**
 * The folder at `dir` as an earlier parse of the very same bytes left it, or undefined (never
 * read, changed since, or the cache is off). `key` is what `rememberScenarioFolder` needs.
 */
export function cachedScenarioFolder(dir: string): { folder?: ScenarioFolder; key?: string } {
  const key = folderKey(dir);
  if (key === undefined) return {};
  const hit = readCached(key) as CachedFolder | undefined;
  if (hit === undefined || !Array.isArray(hit.categories)) return { key };
  return { key, folder: { ...hit, categories: new Map(hit.categories) } };
}

/** Keeps a folder that parsed and checked without error, under the key of the bytes it came from. */
export function rememberScenarioFolder(key: string, folder: ScenarioFolder): void {
  const entry: CachedFolder = { ...folder, categories: [...folder.categories] };
  writeCached(key, entry);
}
