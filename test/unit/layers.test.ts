/**
 * The folders of src/ in layers: a folder imports only from its own layer or the layers below it
 * (docs/architecture.md draws the same picture). Above all, nothing under src/engine imports
 * src/report, and only src/store holds SQL.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '..', '..', 'src');

/** Lowest first. `(root)` is src/*.ts: domain.ts, categories.ts, errors.ts, version.ts. */
export const LAYERS: readonly (readonly string[])[] = [
  ['util'],
  ['(root)', 'config', 'stats'],
  ['store'],
  ['models'],
  ['attack', 'defense', 'healer'],
  ['engine'],
  ['report'],
  ['workflows'],
  ['cli'],
];

const layerOf = (folder: string): number => LAYERS.findIndex((l) => l.includes(folder));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const folderOf = (file: string): string => {
  const parts = relative(SRC, file).split('/');
  return parts.length === 1 ? '(root)' : (parts[0] as string);
};

describe('layers', () => {
  const all = files(SRC);

  it('every folder of src/ has a layer', () => {
    for (const f of all) expect(layerOf(folderOf(f)), folderOf(f)).toBeGreaterThanOrEqual(0);
  });

  it('no file imports from a layer above its own', () => {
    const wrong: string[] = [];
    for (const f of all) {
      const from = folderOf(f);
      for (const m of readFileSync(f, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
        const target = normalize(join(dirname(f), m[1] as string));
        const to = folderOf(target);
        if (layerOf(to) > layerOf(from)) wrong.push(`${relative(SRC, f)} imports ${relative(SRC, target)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('SQL lives in src/store only: no prepared statement or pragma elsewhere', () => {
    const outside = all.filter((f) => folderOf(f) !== 'store' && /\.prepare\(|\.pragma\(|\bdb\.exec\(/.test(readFileSync(f, 'utf8')));
    expect(outside.map((f) => relative(SRC, f))).toEqual([]);
  });
});
