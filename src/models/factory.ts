import type { CategoryId } from '../categories.js';
import type { AttackerEntry, DefenderEntry, Scenario } from '../config/schemas.js';
import { createEmbeddedAttacker } from '../attack/embedded-attacker.js';
import { createEmbeddedDefender, createEmbeddedKnowledge, type EmbeddedKnowledge } from '../defense/embedded/index.js';
import type { Attacker, Defender } from '../domain.js';
import { ConfigError } from '../errors.js';
import type { ModelRecord } from '../store/records.js';

/** What building models needs that the config files do not say. */
export interface ModelContext {
  scenarios: ReadonlyMap<CategoryId, Scenario>;
  env: NodeJS.ProcessEnv;
}

/** Lazily shared so casts without embedded defenders never train the classifier. */
const knowledgeCache = new WeakMap<ReadonlyMap<CategoryId, Scenario>, EmbeddedKnowledge>();
function knowledgeFor(scenarios: ReadonlyMap<CategoryId, Scenario>): EmbeddedKnowledge {
  let k = knowledgeCache.get(scenarios);
  if (!k) knowledgeCache.set(scenarios, (k = createEmbeddedKnowledge(new Map(scenarios))));
  return k;
}

export function buildDefender(entry: DefenderEntry, ctx: ModelContext): Defender {
  switch (entry.provider) {
    case 'embedded':
      return createEmbeddedDefender({ name: entry.name, role: entry.role, model: entry.model, knowledge: knowledgeFor(ctx.scenarios) });
    default:
      throw new ConfigError(`defender ${entry.name}: provider "${entry.provider}" is not available in this build; use provider: embedded.`);
  }
}

export function buildAttacker(entry: AttackerEntry, _ctx: ModelContext): Attacker {
  switch (entry.provider) {
    case 'embedded':
      return createEmbeddedAttacker(entry.name, entry.model);
    default:
      throw new ConfigError(`attacker ${entry.name}: provider "${entry.provider}" is not available in this build; use provider: embedded.`);
  }
}

function hostOf(entry: DefenderEntry | AttackerEntry): string | null {
  if (entry.provider === 'ollama') return Array.isArray(entry.host) ? entry.host.join(',') : (entry.host ?? null);
  if (entry.provider === 'openai') return entry.base_url ?? null;
  return null;
}

export function modelRecord(role: 'defender' | 'attacker', entry: DefenderEntry | AttackerEntry): ModelRecord {
  return {
    role,
    name: entry.name,
    defenderRole: 'role' in entry ? entry.role : null,
    provider: entry.provider,
    model: entry.model,
    host: hostOf(entry),
    digest: null,
  };
}
