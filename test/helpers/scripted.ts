import type { CategoryId } from '../../src/categories.js';
import type { Scenario } from '../../src/config/schemas.js';
import type { Attacker, AttackBrief, Defender, Probe, VoteResult } from '../../src/domain.js';
import { CATEGORY_IDS } from '../../src/categories.js';
import { DEFAULT_PATHS } from '../../src/config/paths.js';
import { loadScenarios, type ScenarioFolder } from '../../src/config/scenarios.js';

/** Small in-process models for engine tests: implementations of the interfaces, not mocks. */

/** fixtureScenarios as a scenario folder, with the shipped attacker parts and no guard carriers. */
export function fixtureFolder(): ScenarioFolder {
  const shipped = loadScenarios(DEFAULT_PATHS.scenarios);
  return { dir: 'fixture', categories: fixtureScenarios(), guardCarriers: [], attackParts: shipped.attackParts, benignTraining: [], notices: [] };
}

export function fixtureScenarios(): Map<CategoryId, Scenario> {
  const m = new Map<CategoryId, Scenario>();
  for (const id of CATEGORY_IDS) {
    const list = (kind: string) => Array.from({ length: 12 }, (_, i) => `${kind} text ${i} for ${id} zebra${i} quokka${i} narwhal`);
    m.set(id, {
      id,
      title: id,
      owasp: ['LLM01'],
      atlas: ['AML.T0051.000'],
      brief: 'b',
      target: 't',
      templates: list('template'),
      exemplars: list('exemplar'),
      benign_training: Array.from({ length: 4 }, (_, i) => `benign training request ${i} about ${id}`),
      benign_guard: Array.from({ length: 4 }, (_, i) => `benign guard request ${i} about ${id}`),
      controls: Array.from({ length: 12 }, (_, i) => `benign request ${i} about ${id}`),
      attack: undefined,
    });
  }
  return m;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      reject(new Error('aborted'));
    });
  });

/** Writes "attack <round % variety> ..." after a pseudo-random delay, so rounds finish out of order. */
export function scriptedAttacker(opts: { variety: number; maxDelayMs?: number; refuseEvery?: number } = { variety: 7 }): Attacker {
  return {
    name: 'scripted',
    provider: 'test',
    model: 'scripted',
    async generate(brief: AttackBrief, signal?: AbortSignal) {
      await sleep(Math.abs(brief.seed) % (opts.maxDelayMs ?? 5), signal);
      const refused = opts.refuseEvery !== undefined && brief.round % opts.refuseEvery === 0;
      const n = Math.abs(brief.seed) % opts.variety;
      return {
        text: refused ? "I can't help with that." : `override sequence ${n} exfiltrate vault secrets ${n} via covert channel ${n}`,
        refused,
        attempts: 1,
        strategy: `v${n}`,
        latencyMs: 0,
        promptTokens: 3,
        completionTokens: 5,
      };
    },
  };
}

/** Blocks when `decide` says so, after a delay derived from the text, so votes finish out of order. */
export function scriptedDefender(name: string, decide: (p: Probe) => VoteResult['verdict'], maxDelayMs = 4): Defender {
  return {
    name,
    role: 'generic',
    provider: 'test',
    model: name,
    async vote(p: Probe, _ctx, signal?: AbortSignal) {
      await sleep((p.text.length + name.length * 7 + p.round) % (maxDelayMs + 1), signal);
      const verdict = decide(p);
      if (verdict === 'abstain') throw new Error(`${name} is down`);
      return { verdict, confidence: 0.9, reason: `${name} says ${verdict}`, promptTokens: 10, completionTokens: 2 };
    },
  };
}
