/**
 * Every pool of text has one job, and no text serves two: the contract that keeps hive's numbers
 * from scoring anything on what was trained, tuned or guarded on. Pools: detector training
 * (exemplars, benign_training, shared/benign-training.json), the attacker's own texts (attack parts, templates), the healer's
 * guard (benign_guard, shared carrier documents), the scored controls, and the developers'
 * corpus (corpora/dev) and the held-out corpus (corpora/holdout-2). No text may appear in two pools, exactly or as a near-duplicate: word
 * 3-shingle Jaccard >= 0.5 (src/util/shingles.ts).
 */
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_PATHS, PACKAGE_ROOT } from '../../src/config/paths.js';
import { healerGuard, loadScenarios, splitLegacyBenign } from '../../src/config/scenarios.js';
import { loadConversations } from '../../src/config/conversations.js';
import { normalizeText } from '../../src/util/normalize.js';
import { jaccard, wordShingles } from '../../src/util/shingles.js';
import { CATEGORY_IDS } from '../../src/categories.js';
import { tempDir } from '../helpers/cli.js';

const NEAR = 0.5;

interface Pooled {
  pool: string;
  where: string;
  text: string;
}

function shippedPools(): Pooled[] {
  const folder = loadScenarios(DEFAULT_PATHS.scenarios);
  const out: Pooled[] = [];
  const add = (pool: string, where: string, texts: readonly string[]) => texts.forEach((text, i) => out.push({ pool, where: `${where}[${i}]`, text }));
  for (const s of folder.categories.values()) {
    add('detector training', `${s.id}.exemplars`, s.exemplars);
    add('detector training', `${s.id}.benign_training`, s.benign_training);
    add('attacker', `${s.id}.templates`, s.templates);
    add('attacker', `${s.id}.attack.payloads`, s.attack?.payloads ?? []);
    add('attacker', `${s.id}.attack.pretexts`, s.attack?.pretexts ?? []);
    for (const [lang, list] of Object.entries(s.attack?.payloads_i18n ?? {})) add('attacker', `${s.id}.attack.payloads_i18n.${lang}`, list);
    add('healer guard', `${s.id}.benign_guard`, s.benign_guard);
    add('scored controls', `${s.id}.controls`, s.controls);
  }
  add('healer guard', 'shared/guard-carriers', folder.guardCarriers.map((d) => d.text));
  // Conversations: the benign ones are scored controls of conversation rounds (a pool of their
  // own, each turn and each whole conversation checked); the escalation parts are the attacker's.
  const conversations = loadConversations(DEFAULT_PATHS.scenarios);
  for (const [id, c] of conversations.categories) {
    c.benign_conversations.forEach((turns, i) => {
      add('benign conversations', `conversations/${id}.benign_conversations[${i}]`, turns);
      out.push({ pool: 'benign conversations', where: `conversations/${id}.benign_conversations[${i}] whole`, text: turns.join(' ') });
    });
    for (const key of ['openers', 'rapport', 'reframings', 'bridges'] as const) add('attacker', `conversations/${id}.escalation.${key}`, c.escalation[key]);
  }
  add('attacker', 'conversations/replies', conversations.replies);
  add('detector training', 'shared/benign-training', folder.benignTraining);
  // The development corpus and the held-out corpus are measured on only: each a pool of its own.
  for (const [folder, pool] of [['dev', 'development corpus'], ['holdout-2', 'held-out corpus']] as const) {
    const dir = join(PACKAGE_ROOT, 'corpora', folder);
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.jsonl'))) {
      const rows = readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: string; text: string });
      for (const r of rows) out.push({ pool, where: `corpora/${folder}/${f}#${r.id}`, text: r.text });
    }
  }
  return out;
}

/** Pairs of texts from different pools that are equal after normalisation or near-duplicates. */
function crossPoolPairs(items: readonly Pooled[]): Array<{ a: Pooled; b: Pooled; similarity: number }> {
  const sets = items.map((x) => wordShingles(x.text));
  const index = new Map<string, number[]>();
  sets.forEach((set, i) => {
    for (const s of set) {
      const list = index.get(s);
      if (list) list.push(i);
      else index.set(s, [i]);
    }
  });
  const found: Array<{ a: Pooled; b: Pooled; similarity: number }> = [];
  const exact = new Map<string, number>();
  items.forEach((x, i) => {
    const key = normalizeText(x.text);
    const j = exact.get(key);
    if (j !== undefined && (items[j] as Pooled).pool !== x.pool) found.push({ a: items[j] as Pooled, b: x, similarity: 1 });
    else exact.set(key, i);
  });
  sets.forEach((set, i) => {
    const seen = new Set<number>();
    for (const s of set) {
      for (const j of index.get(s) ?? []) {
        if (j <= i || seen.has(j) || (items[j] as Pooled).pool === (items[i] as Pooled).pool) continue;
        seen.add(j);
        const sim = jaccard(set, sets[j] as Set<string>);
        if (sim >= NEAR) found.push({ a: items[i] as Pooled, b: items[j] as Pooled, similarity: sim });
      }
    }
  });
  return found;
}

describe('pools of text', () => {
  const items = shippedPools();

  it('the shipped scenarios have at least 40 scored controls and 30 guard texts per category, and carriers of six genres', () => {
    const folder = loadScenarios(DEFAULT_PATHS.scenarios);
    for (const s of folder.categories.values()) {
      expect(s.controls.length, s.id).toBeGreaterThanOrEqual(40);
      expect(s.benign_guard.length, s.id).toBeGreaterThanOrEqual(30);
    }
    const genres = new Set(folder.guardCarriers.map((d) => d.genre));
    for (const g of ['email', 'web_page', 'ticket', 'readme', 'meeting_notes', 'tool_output']) expect(genres).toContain(g);
    expect(healerGuard(folder).carriers.length).toBe(folder.guardCarriers.length);
  });

  it('docs/numbers.md and docs/detectors.md give the range of controls per category the scenario files hold', () => {
    const counts = [...loadScenarios(DEFAULT_PATHS.scenarios).categories.values()].map((s) => s.controls.length);
    const range = `${Math.min(...counts)}–${Math.max(...counts)}`;
    expect(readFileSync(join(PACKAGE_ROOT, 'docs', 'numbers.md'), 'utf8')).toContain(`(${range} texts per category`);
    expect(readFileSync(join(PACKAGE_ROOT, 'docs', 'detectors.md'), 'utf8')).toContain(`(about ${range} controls per category)`);
  });

  it('no text is in two pools, exactly or as a near-duplicate (word 3-shingle Jaccard >= 0.5)', () => {
    const pairs = crossPoolPairs(items);
    expect(pairs.map((p) => `${p.a.where} ~ ${p.b.where} (${p.similarity.toFixed(2)})`)).toEqual([]);
  });

  it('the check finds an exact copy and a near-duplicate planted across pools', () => {
    const control = items.find((x) => x.pool === 'scored controls') as Pooled;
    const words = control.text.split(' ');
    const near = [...words.slice(0, -1), 'indeed'].join(' ');
    const planted = [...items, { pool: 'healer guard', where: 'planted exact', text: control.text.toUpperCase() }, { pool: 'detector training', where: 'planted near', text: near }];
    const found = crossPoolPairs(planted).map((p) => p.b.where);
    expect(found).toContain('planted exact');
    expect(found).toContain('planted near');
  });
});

describe('scenario folders in the older shape', () => {
  const tmp = tempDir('hive-legacy-');
  afterAll(() => tmp.cleanup());

  it('load, split by position into the three pools, with a notice that names them', () => {
    mkdirSync(tmp.dir, { recursive: true });
    for (const id of CATEGORY_IDS) {
      const list = (w: string, n = 12) => Array.from({ length: n }, (_, i) => `${w} ${id} ${i}`);
      writeFileSync(
        join(tmp.dir, `${id}.yaml`),
        JSON.stringify({ id, title: id, owasp: ['LLM01'], atlas: ['AML.T0051.000'], brief: 'b', target: 't', templates: list('template'), exemplars: list('exemplar'), benign: list('benign', 16) }),
      );
    }
    const folder = loadScenarios(tmp.dir);
    const s = folder.categories.get('obfuscation')!;
    const benign = Array.from({ length: 16 }, (_, i) => `benign obfuscation ${i}`);
    expect(s).toMatchObject(splitLegacyBenign(benign));
    expect(s.benign_training).toEqual(['benign obfuscation 0', 'benign obfuscation 4', 'benign obfuscation 8', 'benign obfuscation 12']);
    expect(s.controls).toHaveLength(8);
    expect(new Set([...s.benign_training, ...s.benign_guard, ...s.controls]).size).toBe(16);
    expect(folder.notices.join('\n')).toMatch(/older single "benign" list .*split by position into detector training, healer guard and scored controls/);
    expect(folder.guardCarriers).toEqual([]);
  });
});
