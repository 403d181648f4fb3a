/**
 * The cache of parsed scenario folders (src/config/parsed-cache.ts, scenario-files.ts): a folder
 * read again comes back equal to its parse; any changed byte, a new shared file or a removed
 * category misses the cache; errors are never cached; HIVE_CACHE_DIR=off parses every time.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cachedScenarioFolder } from '../../src/config/scenario-files.js';
import { loadScenarios } from '../../src/config/scenarios.js';
import { writeScenarios } from '../helpers/scenarios-dir.js';

let dir: string;
let saved: string | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hive-parsed-cache-'));
  saved = process.env.HIVE_CACHE_DIR;
  process.env.HIVE_CACHE_DIR = join(dir, 'cache');
  writeScenarios(join(dir, 'scenarios'));
});
afterEach(() => {
  if (saved === undefined) delete process.env.HIVE_CACHE_DIR;
  else process.env.HIVE_CACHE_DIR = saved;
  rmSync(dir, { recursive: true, force: true });
});

describe('parsed scenario folders are cached by their bytes', () => {
  it('a second load is a hit equal to the parse', () => {
    const scenarios = join(dir, 'scenarios');
    expect(cachedScenarioFolder(scenarios).folder).toBeUndefined();
    const parsed = loadScenarios(scenarios);
    const hit = cachedScenarioFolder(scenarios).folder;
    expect(hit).toBeDefined();
    expect(hit).toEqual(parsed);
    expect(loadScenarios(scenarios)).toEqual(parsed);
    expect(readdirSync(join(dir, 'cache')).filter((f) => f.endsWith('.json'))).toHaveLength(1);
  });

  it('a changed byte, a new shared file or a missing category misses', () => {
    const scenarios = join(dir, 'scenarios');
    loadScenarios(scenarios);
    const file = join(scenarios, 'obfuscation.yaml');
    const text = JSON.stringify({ ...JSON.parse(JSON.stringify(loadScenarios(scenarios).categories.get('obfuscation'))), title: 'Changed title' });
    writeFileSync(file, text);
    expect(cachedScenarioFolder(scenarios).folder).toBeUndefined();
    expect(loadScenarios(scenarios).categories.get('obfuscation')?.title).toBe('Changed title');
    expect(cachedScenarioFolder(scenarios).folder?.categories.get('obfuscation')?.title).toBe('Changed title');

    // shared/benign-training.json appearing changes what the folder holds: a miss.
    const shared = join(scenarios, 'shared');
    mkdirSync(shared, { recursive: true });
    writeFileSync(join(shared, 'benign-training.json'), JSON.stringify({ requests: ['Please book a meeting room.'], documents: [] }));
    expect(cachedScenarioFolder(scenarios).folder).toBeUndefined();
    expect(loadScenarios(scenarios).benignTraining).toEqual(['Please book a meeting room.']);

    unlinkSync(join(scenarios, 'logic_bomb.yaml'));
    expect(cachedScenarioFolder(scenarios).folder).toBeUndefined();
    expect(() => loadScenarios(scenarios)).toThrow(/has no logic_bomb\.yaml/);
  });

  it('an invalid folder is never cached, and HIVE_CACHE_DIR=off parses every time', () => {
    const scenarios = join(dir, 'scenarios');
    writeFileSync(join(scenarios, 'tool_misuse.yaml'), 'id: tool_misuse\ntitle: [unclosed');
    expect(() => loadScenarios(scenarios)).toThrow();
    expect(() => loadScenarios(scenarios)).toThrow();
    process.env.HIVE_CACHE_DIR = 'off';
    writeScenarios(scenarios);
    loadScenarios(scenarios);
    expect(cachedScenarioFolder(scenarios).folder).toBeUndefined();
  });
});
