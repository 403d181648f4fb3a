import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAttackerPool, loadCast } from '../../src/config/load.js';
import { PACKAGE_ROOT } from '../../src/config/paths.js';

const cast = (f: string) => loadCast(join(PACKAGE_ROOT, 'defenders', f));
const pool = (f: string) => loadAttackerPool(join(PACKAGE_ROOT, 'attackers', f));

describe('shipped LLM casts and pools', () => {
  it('sovereign-v6.4: the six published defenders, block at 3', () => {
    const c = cast('sovereign-v6.4.yaml');
    expect(c.consensus.threshold).toBe(3);
    expect(c.defenders.map((d) => [d.role, 'model' in d ? d.model : d.url])).toEqual([
      ['auditor', 'deepseek-coder-v2:16b'],
      ['trace_forensics', 'qwen2.5-coder:1.5b'],
      ['guardian', 'qwen2.5:7b'],
      ['sentinel', 'llama3.2:1b'],
      ['social_specialist', 'llama3.2:1b'],
      ['supply_chain', 'llama3.2:1b'],
    ]);
    expect(c.defenders.every((d) => d.provider === 'ollama')).toBe(true);
  });

  it('sovereign-v6.6: five Ollama defenders with llama3.2:3b as druid', () => {
    const c = cast('sovereign-v6.6.yaml');
    expect(c.defenders).toHaveLength(5);
    expect(c.defenders.every((d) => d.provider === 'ollama')).toBe(true);
    expect(c.defenders.find((d) => d.role === 'druid')).toMatchObject({ model: 'llama3.2:3b' });
  });

  it('tiered: embedded detectors in front of small Ollama models, asked in cascade', () => {
    const c = cast('tiered.yaml');
    expect(c.consensus.strategy).toBe('cascade');
    const providers = c.defenders.map((d) => d.provider);
    expect(providers.indexOf('ollama')).toBeGreaterThan(providers.lastIndexOf('embedded'));
  });

  it('cloud: three OpenAI-compatible attackers, each with a key variable name', () => {
    const p = pool('cloud.yaml');
    expect(p.attackers).toHaveLength(3);
    for (const a of p.attackers) {
      expect(a.provider).toBe('openai');
      expect(a.provider === 'openai' && a.api_key_env).toMatch(/^[A-Z_]+_API_KEY$/);
    }
  });

  it('tunnel and local pools load; tunnel attackers name remote hosts', () => {
    const t = pool('tunnel.yaml');
    expect(t.attackers.every((a) => a.provider === 'ollama' && a.host !== undefined)).toBe(true);
    expect(pool('local.yaml').attackers.map((a) => a.provider)).toEqual(['ollama', 'ollama', 'embedded']);
  });
});

describe('casts for reasoning models, guard models and guard APIs', () => {
  it('guard-models: Llama Guard 3, Granite Guardian (jailbreak) and ShieldGemma, each with its answer format', () => {
    const c = cast('guard-models.yaml');
    expect(c.defenders.map((d) => ('model' in d ? [d.model, 'answer_format' in d ? d.answer_format : null] : []))).toEqual([
      ['llama-guard3:1b', 'llama_guard'],
      ['granite3-guardian:2b', 'yes_no'],
      ['shieldgemma:2b', 'yes_no'],
    ]);
    expect(c.defenders[1]).toMatchObject({ system: 'jailbreak' });
  });

  it('the guard API examples load, say they are examples, and keep keys in header variables only', () => {
    for (const f of ['http-in-house.yaml', 'http-lakera-guard.yaml', 'http-azure-prompt-shields.yaml']) {
      const c = cast(join('examples', f));
      expect(c.description).toMatch(/^EXAMPLE\./);
      const d = c.defenders[0];
      expect(d?.provider).toBe('http');
      if (d?.provider !== 'http') continue;
      expect(JSON.stringify(d.body)).toContain('"{{text}}"');
      expect(Object.values(d.headers).every((v) => /^(Bearer )?\$\{[A-Z_]+\}$/.test(v))).toBe(true);
    }
  });

  it('the reasoning example: think left to the defaults, except a model given room to think', () => {
    const c = cast(join('examples', 'reasoning.yaml'));
    expect(c.defenders.map((d) => ('think' in d ? (d.think ?? null) : null))).toEqual([null, true, null]);
  });
});
