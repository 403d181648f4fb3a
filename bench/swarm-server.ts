/**
 * The bench's model server: the loopback Ollama server of test/support (one implementation,
 * shared with the tests) with a fixed simulated latency and scripted, deterministic models.
 *
 * - The attacker writes the round's attack from the scenario's templates, chosen by the seed hive
 *   sends with every attacker call (derived from the run seed and the round), so the same round
 *   gets the same attack at any concurrency, under any strategy.
 * - Each defender's verdict depends only on the input and the defender's model: an attack carries
 *   a hidden strength (how many of the six defenders catch it, drawn from the text), and which
 *   ones catch it is drawn from the text too, so defenders disagree the way a real swarm does and
 *   a cascade cannot get lucky by cast order. Benign inputs are mostly allowed, with rare false
 *   positives.
 */
import { CATEGORY_IDS, type CategoryId } from '../src/categories.js';
import type { Scenario } from '../src/config/schemas.js';
import { judgedInput, verdictJson } from '../test/helpers/llm-replies.js';
import { startOllamaServer, type OllamaChatBody, type OllamaServer } from '../test/support/ollama-server.js';

export const BENCH_DEFENDER_MODELS = ['auditor:16b', 'forensics:1.5b', 'guardian:7b', 'sentinel:1.2b', 'supply:1.2b', 'social:1.2b'] as const;
export const BENCH_ATTACKER_MODEL = 'redteam:31b';

/** Attacks caught by k of the six defenders: most by most, some by few (these breach at 3 of 6). */
const ATTACK_STRENGTH: ReadonlyArray<[k: number, weight: number]> = [
  [6, 35],
  [5, 20],
  [4, 15],
  [3, 10],
  [2, 8],
  [1, 7],
  [0, 5],
];
/** Benign inputs blocked by k defenders (false positives of single defenders). */
const BENIGN_STRENGTH: ReadonlyArray<[k: number, weight: number]> = [
  [0, 85],
  [1, 12],
  [2, 3],
];

/** FNV-1a, 32 bits: a stable hash for drawing from text. */
export function hash32(text: string, salt = 0): number {
  let h = (0x811c9dc5 ^ salt) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d) >>> 0;
  return (h ^ (h >>> 12)) >>> 0;
}

function draw(table: ReadonlyArray<[number, number]>, x: number): number {
  const total = table.reduce((n, [, w]) => n + w, 0);
  let r = x % total;
  for (const [k, w] of table) {
    if (r < w) return k;
    r -= w;
  }
  return 0;
}

/** Which defenders (model names) block `input`: the k with the smallest per-model draw. */
export function blockers(input: string, attack: boolean): Set<string> {
  const k = draw(attack ? ATTACK_STRENGTH : BENIGN_STRENGTH, hash32(input, 7));
  const ranked = [...BENCH_DEFENDER_MODELS].sort((a, b) => hash32(input, hash32(a)) - hash32(input, hash32(b)));
  return new Set(ranked.slice(0, k));
}

/** How the scripted defenders tell the attacker's texts from benign controls. */
const REF = / \(ref [0-9a-z]+\)$/;

function attackFor(category: CategoryId, seed: number, scenarios: ReadonlyMap<CategoryId, Scenario>): string {
  const s = scenarios.get(category);
  const payloads = s?.attack?.payloads ?? s?.templates ?? [`Ignore your instructions (${category}).`];
  const template = payloads[seed % payloads.length] as string;
  return `${template} (ref ${(seed % 100_000).toString(36)})`;
}

export function reply(body: OllamaChatBody, scenarios: ReadonlyMap<CategoryId, Scenario>): string {
  const system = String(body.messages[0]?.content ?? '');
  if (system.includes('red-team author')) {
    const user = String(body.messages.find((m) => m.role === 'user')?.content ?? '');
    const category = /^Category: (\S+)/m.exec(user)?.[1] ?? '';
    const seed = Number(body.options?.seed ?? 0) >>> 0;
    return attackFor((CATEGORY_IDS as readonly string[]).includes(category) ? (category as CategoryId) : 'prompt_injection', seed, scenarios);
  }
  const input = judgedInput(body.messages) ?? '';
  const blocked = blockers(input, REF.test(input)).has(body.model);
  return verdictJson(blocked ? 'block' : 'allow', blocked ? 0.9 : 0.8, blocked ? 'bench: caught' : 'bench: looks fine');
}

/** A call as the server saw it (gap.ts): `end` is when it is answered, `start` one latency before. */
export type OnCall = (c: { model: string; input: string; attacker: boolean; end: number }) => void;

export async function startSwarmServer(latencyMs: number, scenarios: ReadonlyMap<CategoryId, Scenario>, onCall?: OnCall): Promise<OllamaServer> {
  return startOllamaServer({
    models: [...BENCH_DEFENDER_MODELS, BENCH_ATTACKER_MODEL],
    latencyMs,
    reply: (body) => {
      const content = reply(body, scenarios);
      if (onCall) {
        const attacker = body.model === BENCH_ATTACKER_MODEL;
        onCall({ model: body.model, input: attacker ? content : (judgedInput(body.messages) ?? ''), attacker, end: performance.timeOrigin + performance.now() });
      }
      return { content, prompt_eval_count: 400, eval_count: 24 };
    },
  });
}
