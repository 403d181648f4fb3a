import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadAttackerPool, loadCast } from '../../src/config/load.js';
import { loadPresets, presetPath } from '../../src/config/presets.js';
import { benignOnTop } from '../../src/report/compute/reproduce.js';
import { hive, tempDir } from '../helpers/cli.js';

const PUBLISHED = ['v6.0', 'v6.1', 'v6.2', 'v6.3', 'v6.4', 'v6.6', 'consensus-98.2', 'evolving-98'];

describe('presets/published.yaml', () => {
  const presets = loadPresets();

  it('holds the eight published runs of the seed articles with their published figures', () => {
    expect(presets.map((p) => p.id)).toEqual(PUBLISHED);
    const byId = new Map(presets.map((p) => [p.id, p]));
    expect(byId.get('v6.0')).toMatchObject({ rounds: 26, published: { defence: 0.73 } });
    expect(byId.get('v6.4')).toMatchObject({ rounds: 500, heal: true, published: { defence: 0.99, breaches: 5, instant_blocks: 108, patterns: 7 } });
    expect(byId.get('v6.4')?.published.batches).toEqual([0.96, 1, 0.98, 0.98, 1, 1, 1, 0.98, 1, 1]);
    expect(byId.get('v6.6')).toMatchObject({ rounds: 200, published: { defence: 0.98, breaches: 4 } });
    expect(byId.get('consensus-98.2')).toMatchObject({ rounds: 500, published: { defence: 0.982, checkpoints: [{ attacks: 100, defence: 0.94, breaches: 6 }] } });
    expect(byId.get('evolving-98')).toMatchObject({ rounds: 200, published: { defence: 0.98 } });
    expect(loadAttackerPool(presetPath(byId.get('evolving-98')!.attackers)).attackers).toHaveLength(6);
  });

  it("cites each preset's article by title, date and forem.com address", () => {
    const byId = new Map(presets.map((p) => [p.id, p]));
    for (const id of ['v6.0', 'v6.1', 'v6.2', 'v6.3', 'v6.4']) {
      expect(byId.get(id)?.article).toEqual({
        title: '99% Defense Rate Across 500 Rounds: A Self-Healing Swarm on a $550 GPU',
        date: '2026-05-16',
        url: 'https://forem.com/mxguru1/99-defense-rate-across-500-rounds-a-self-healing-swarm-on-a-550-gpu-4j2a',
      });
    }
    expect(byId.get('v6.6')?.article.date).toBe('2026-05-17');
    expect(byId.get('consensus-98.2')?.article.title).toBe('Swarm-Consensus Defense Achieves 98.2% Against Cloud-LLM Adversarial Attacks');
    expect(byId.get('evolving-98')?.article).toMatchObject({ title: 'The Hive Are Evolving!', date: '2026-05-19' });
    for (const p of presets) expect(p.article.url).toMatch(/^https:\/\/forem\.com\/mxguru1\//);
  });

  it("every preset's cast and attacker pool is a valid shipped file", () => {
    for (const p of presets) {
      expect(() => loadCast(presetPath(p.cast)), p.id).not.toThrow();
      expect(() => loadAttackerPool(presetPath(p.attackers)), p.id).not.toThrow();
      expect(loadCast(presetPath(p.cast)).healer.enabled || !p.heal, `${p.id}: heal needs a cast with the healer enabled`).toBe(true);
    }
  });

  it('adds benign controls on top of the published attack rounds', () => {
    expect(benignOnTop(500, 0.2)).toBe(125);
    expect(benignOnTop(26, 0.2)).toBe(7);
    expect(benignOnTop(50, 0)).toBe(0);
  });
});

describe('hive reproduce', () => {
  const tmp = tempDir();
  const db = join(tmp.dir, 'hive.db');
  afterAll(() => tmp.cleanup());

  it('--embedded runs end to end and prints published and measured side by side', async () => {
    const r = await hive(['reproduce', 'v6.4', '--embedded', '--rounds', '100', '--db', db, '-q']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('reproduce v6.4: + 7B guardian + social specialist (6 defenders, block at >= 3/6)');
    expect(r.stdout).toContain('source: 99% Defense Rate Across 500 Rounds: A Self-Healing Swarm on a $550 GPU, 2026-05-16, https://forem.com/mxguru1/');
    expect(r.stdout).toContain('100 attack rounds + 25 benign controls, healer on');
    expect(r.stdout).toMatch(/figure\s+published\s+measured\s+95% CI\s+published inside CI\?/);
    expect(r.stdout).toMatch(/defence rate\s+99\.0%\s+[\d.]+% \(\d+\/\d+\)\s+[\d.]+%–[\d.]+%\s+(yes|NO)/);
    expect(r.stdout).toMatch(/breaches\s+5 of 500 \(1\.0%\)/);
    expect(r.stdout).toMatch(/instant blocks\s+108 \(21\.6%\)/);
    expect(r.stdout).toMatch(/attacks 1–50\s+96%/);
    expect(r.stdout).toMatch(/attacks 51–100\s+100%/);
    expect(r.stdout).not.toMatch(/attacks 101–150/);
    expect(r.stdout).toMatch(/false-positive rate\s+not published/);
    expect(r.stdout).toContain('Dry run on the embedded cast and attackers');
    expect(r.stdout).toContain('100 attack rounds instead of the published 500');
  });

  it('--format json gives every row with the measured interval and the verdict', async () => {
    const r = await hive(['reproduce', 'consensus-98.2', '--embedded', '--rounds', '120', '--db', db, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ preset: 'consensus-98.2', embedded: true, attack_rounds: 120, published_rounds: 500, benign_rounds: 30, status: 'completed' });
    const defence = j.rows[0];
    expect(defence.figure).toBe('defence rate');
    expect(defence.published_value).toBe(0.982);
    expect(defence.measured_n).toBeGreaterThan(0);
    expect(defence.published_inside_ci).toBe(defence.published_value >= defence.measured_ci[0] && defence.published_value <= defence.measured_ci[1]);
    expect(j.rows.map((x: { figure: string }) => x.figure)).toContain('first 100 attacks');
  });

  it('lists the presets, and refuses unknown ones and contradictory flags', async () => {
    const list = await hive(['reproduce']);
    expect(list.code).toBe(0);
    for (const id of PUBLISHED) expect(list.stdout).toContain(id);
    const unknown = await hive(['reproduce', 'v9', '--embedded', '--db', db]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown preset "v9"');
    expect((await hive(['reproduce', 'v6.4', '--embedded', '--cast', 'defenders/embedded.yaml', '--db', db])).code).toBe(2);
  });

  it('without --embedded, an unreachable model server stops it before any run (exit 2, doctor hint)', async () => {
    const r = await hive(['reproduce', 'v6.0', '--db', db], { OLLAMA_HOST: 'http://127.0.0.1:9' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('hive doctor');
  });
});
