/**
 * Start-up loads only what a command uses (issue 16): `hive --help`, `hive categories` and
 * `hive runs` run in a child process whose every loaded module is traced by a loader hook, over
 * the CLI bundled one output file per source file. The assertions are on which modules load,
 * never on time (the bench measures time: `npm run bench`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATEGORY_IDS } from '../../src/categories.js';
import { buildCli, type BuiltCli } from '../helpers/child.js';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** Registered with --import: appends the URL of every module node loads to $HIVE_LOAD_TRACE. */
const HOOK = `data:text/javascript,${encodeURIComponent(`
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(\`
import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  const r = await next(url, context);
  appendFileSync(process.env.HIVE_LOAD_TRACE, url + '\\\\n');
  return r;
}\`));
`)}`;

let cli: BuiltCli;
let dir: string;

beforeAll(async () => {
  cli = await buildCli({ modules: true });
  dir = mkdtempSync(join(tmpdir(), 'hive-start-up-'));
}, 60_000);
afterAll(() => {
  cli?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

let traces = 0;
/** Runs `hive args` and returns what it loaded: our modules as `src/…` paths, packages by name. */
function loaded(args: readonly string[]): { code: number | null; ours: string[]; packages: string[]; stdout: string } {
  const trace = join(dir, `trace-${traces++}.txt`);
  const r = spawnSync(process.execPath, ['--import', HOOK, cli.main, ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', HIVE_LOAD_TRACE: trace, HIVE_CACHE_DIR: join(dir, 'cache') },
    encoding: 'utf8',
  });
  const urls = readFileSync(trace, 'utf8').trim().split('\n');
  const ours = urls.filter((u) => u.includes('/src/')).map((u) => u.slice(u.lastIndexOf('/src/') + 1).replace(/\.mjs$/, ''));
  const packages = [...new Set(urls.filter((u) => u.includes('/node_modules/')).map((u) => (u.split('/node_modules/').pop() as string).split('/')[0] as string))];
  return { code: r.status, ours, packages, stdout: r.stdout };
}

/** What no listing command may load: model clients, the engine, detectors (and their training), attackers, the healer's learner. */
const HEAVY = [/^src\/models\//, /^src\/engine\//, /^src\/defense\//, /^src\/attack\//, /^src\/healer\/healer$/, /^src\/workflows\//];
const HEAVY_PACKAGES = ['ollama', 'openai', 'p-limit', 'cli-progress', 'csv-parse', 'csv-stringify', 'js-tiktoken', 'pure-rand'];

function expectLight(run: { ours: string[]; packages: string[] }): void {
  expect(run.ours.filter((m) => HEAVY.some((re) => re.test(m)))).toEqual([]);
  expect(run.packages.filter((p) => HEAVY_PACKAGES.includes(p))).toEqual([]);
}

describe('start-up loads only what a command uses', () => {
  it('--help loads the command line and nothing behind it', () => {
    const run = loaded(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('wargame');
    expectLight(run);
    expect(run.ours.filter((m) => m.startsWith('src/store/') || m === 'src/report/render/formats')).toEqual([]);
    expect(run.packages).not.toContain('better-sqlite3');
    expect(run.packages).not.toContain('zod');
    expect(run.packages).not.toContain('yaml');
  });

  it('categories parses the scenarios once, then reads them without the YAML parser or the schemas', () => {
    const first = loaded(['categories']);
    expect(first.code).toBe(0);
    expect(first.packages).toContain('yaml');
    expectLight(first);
    const second = loaded(['categories']);
    expect(second.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(second.stdout.split('\n').filter((l) => (CATEGORY_IDS as readonly string[]).includes(l.split(' ')[0] as string))).toHaveLength(13);
    expectLight(second);
    expect(second.packages).not.toContain('yaml');
    expect(second.packages).not.toContain('zod');
    expect(second.packages).not.toContain('better-sqlite3');
    expect(second.ours).not.toContain('src/config/schemas');
  });

  it('an embedded wargame loads no model client and none of the players that call models', () => {
    const run = loaded(['wargame', '--rounds', '30', '--db', join(dir, 'embedded.db'), '--quiet']);
    expect(run.code).toBe(0);
    // It does play: the engine and the embedded detectors load.
    expect(run.ours).toContain('src/engine/wargame');
    expect(run.ours).toContain('src/defense/embedded/index');
    expect(run.packages.filter((p) => p === 'ollama' || p === 'openai')).toEqual([]);
    const modelSide = [/^src\/models\/(ollama|openai|connect|preflight)$/, /^src\/engine\/model-players$/, /^src\/defense\/llm-defender$/, /^src\/attack\/llm-attacker$/, /^src\/attack\/conversation\/assistant$/];
    expect(run.ours.filter((m) => modelSide.some((re) => re.test(m)))).toEqual([]);
  });

  it('runs opens the store but loads no model client, engine or detector', () => {
    const run = loaded(['runs', '--db', join(dir, 'none.db')]);
    expect(run.code).toBe(2);
    expectLight(run);
    expect(run.ours).toContain('src/store/store');
  });
});
