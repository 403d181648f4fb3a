import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCorpus } from '../../src/config/corpus.js';
import { loadAttackerPool, loadCast } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';
import { readBaselineFile } from '../../src/report/compute/gates.js';
import { storeError } from '../../src/store/store.js';
import { tempDir } from '../helpers/cli.js';

const tmp = tempDir('hive-messages-');
afterAll(() => tmp.cleanup());

function file(name: string, text: string): string {
  const path = join(tmp.dir, name);
  writeFileSync(path, text);
  return path;
}

/** The one line a ConfigError thrown by `fn` carries. */
function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('no error thrown');
}

describe('config errors', () => {
  it('list every problem of a cast with its key path and what would be valid, in plain words', () => {
    const cast = file('two.yaml', 'name: two\nconsensus: { threshold: 1.5 }\ndefenders: []\n');
    expect(messageOf(() => loadCast(cast))).toBe(
      `cast ${cast} has 2 problems: (1) consensus.threshold: must be a whole number, not 1.5; (2) defenders: needs at least 1 entry. Fix the file (see README "Config files").`,
    );
  });

  it('name unknown keys with the keys that are valid there, and allowed values', () => {
    const cast = file('keys.yaml', 'name: k\nconsensus: { threshold: 1, on_abstain: maybe }\nhealer: { lagg: 3 }\ndefenders:\n  - { name: a, provider: embedded, model: signatures }\n');
    const m = messageOf(() => loadCast(cast));
    expect(m).toContain('consensus.on_abstain: must be one of "allow", "block", not "maybe"');
    expect(m).toContain('healer: unknown key "lagg" (valid keys: enabled, antibodies, patterns_per_breach, lag)');
    expect(m).not.toMatch(/Too small|Invalid input|expected .* received/);
  });

  it('name the providers a discriminated entry allows, with the one given', () => {
    const pool = file('assistant.yaml', 'name: p\nattackers:\n  - { name: a, provider: embedded, model: mutator }\nassistant: { provider: embedded }\n');
    expect(messageOf(() => loadAttackerPool(pool))).toBe(
      `attacker pool ${pool} is invalid: assistant.provider: must be one of "ollama", "openai", not "embedded"; fix the file (see README "Config files").`,
    );
  });

  it('say where YAML breaks, once, without the parser\'s trailing colon', () => {
    const cast = file('broken.yaml', 'name: x\n  bad: [\n');
    expect(messageOf(() => loadCast(cast))).toBe(`cast ${cast} is not valid YAML at line 1, column 7: Nested mappings are not allowed in compact mappings; fix the file there.`);
  });
});

describe('corpus and baseline messages', () => {
  it('tell a folder and an empty file from a missing one', () => {
    const folder = join(tmp.dir, 'corpus-folder');
    mkdirSync(folder);
    expect(messageOf(() => readCorpus(folder))).toMatch(/^corpus .*corpus-folder is a folder, not a file; pass --corpus with a JSONL or CSV file/);
    const empty = file('empty.jsonl', '');
    expect(messageOf(() => readCorpus(empty))).toBe(
      `corpus ${empty} is empty (0 bytes); it needs one labelled input per line (JSONL) or a header row and one row per input (CSV).`,
    );
    expect(messageOf(() => readCorpus(join(tmp.dir, 'nope.jsonl')))).toMatch(/^corpus file not found: /);
  });

  it('never suggest writing over the file given as --baseline', () => {
    const corpus = file('my-corpus.jsonl', '{"text": "hi", "label": "benign"}\n{"text": "yo", "label": "benign"}\n');
    const m = messageOf(() => readBaselineFile(corpus));
    expect(m).not.toContain(`--out ${corpus}`);
    expect(m).toContain('--out <new file>');
  });
});

describe('a native module that does not load', () => {
  it('is not blamed on the database file: it says how to rebuild it', () => {
    const err = new Error('Could not locate the bindings file. Tried:\n → /a/build/better_sqlite3.node\n → /b/build/Release/better_sqlite3.node');
    const m = storeError('runs/hive.db', err).message;
    expect(m).toContain('npm rebuild better-sqlite3');
    expect(m).not.toContain('runs/hive.db');
    expect(m).not.toContain('\n');
  });
});
