import type { CategoryId } from '../categories.js';
import { loadConversations, type ConversationParts } from '../config/conversations.js';
import type { ScenarioFolder } from '../config/scenarios.js';
import type { AttackerEntry, DefenderEntry, Scenario } from '../config/schemas.js';
import { createEmbeddedAttacker } from '../attack/embedded-attacker.js';
import { createEmbeddedDefender, createEmbeddedKnowledge, type EmbeddedKnowledge } from '../defense/embedded/index.js';
import type { Attacker, Defender } from '../domain.js';
import { ConfigError } from '../errors.js';
import type { ModelRecord } from '../store/records.js';
import type { ConnectContext } from '../models/connect.js';
import { urlWithoutQuery } from '../models/http-guard.js';
import { hostKey } from '../models/policy.js';
import type * as ModelPlayers from './model-players.js';

/** The model-calling players' module, loaded by `buildRun` only when a cast or pool names a model (`loadModelPlayers`). */
export type ModelPlayerModule = typeof ModelPlayers;

/** Whether a cast or pool names a model that is not embedded (then its players' module is loaded). */
export function needsModelPlayers(entries: ReadonlyArray<{ provider: string }>): boolean {
  return entries.some((e) => e.provider !== 'embedded');
}

/** Loads the module of the players that call models (and with it the model clients). */
export function loadModelPlayers(): Promise<ModelPlayerModule> {
  return import('./model-players.js');
}

function modelPlayers(models: ModelPlayerModule | undefined, who: string): ModelPlayerModule {
  // buildRun loads the module whenever an entry needs it; reaching here without it is a bug.
  if (!models) throw new Error(`${who}: the model players were not loaded`);
  return models;
}

/** What building models needs that the config files do not say. */
export interface ModelContext extends ConnectContext {
  scenarios: ScenarioFolder;
  env: NodeJS.ProcessEnv;
}

/** Lazily shared so casts without embedded defenders never train the classifier. */
const knowledgeCache = new WeakMap<ModelContext['scenarios'], EmbeddedKnowledge>();
function knowledgeFor(scenarios: ModelContext['scenarios']): EmbeddedKnowledge {
  let k = knowledgeCache.get(scenarios);
  if (!k) knowledgeCache.set(scenarios, (k = createEmbeddedKnowledge(scenarios)));
  return k;
}

/** A folder's conversation parts, read once on first use. */
const conversationsCache = new WeakMap<ModelContext['scenarios'], ConversationParts>();
export function conversationsFor(scenarios: ModelContext['scenarios']): ConversationParts {
  let c = conversationsCache.get(scenarios);
  if (!c) conversationsCache.set(scenarios, (c = loadConversations(scenarios.dir)));
  return c;
}

/** How many benign conversations each category of a folder has (read only when a plan has conversation rounds). */
export function benignConversationCounts(scenarios: ModelContext['scenarios']): (category: CategoryId) => number {
  return (c) => conversationsFor(scenarios).categories.get(c)?.benign_conversations.length ?? 1;
}

/** A defender of the cast; `models` is the loaded model players' module when the cast names a model. */
export function buildDefender(entry: DefenderEntry, ctx: ModelContext, models: ModelPlayerModule | undefined): Defender {
  switch (entry.provider) {
    case 'embedded':
      return createEmbeddedDefender({ name: entry.name, role: entry.role, model: entry.model, knowledge: knowledgeFor(ctx.scenarios) });
    case 'ollama':
    case 'openai':
    case 'http':
      return modelPlayers(models, `defender ${entry.name}`).buildModelDefender(entry, ctx);
    default:
      throw new ConfigError(`defender ${(entry as { name: string }).name}: unknown provider.`);
  }
}

/** An attacker of the pool; `models` as for `buildDefender`. */
export function buildAttacker(entry: AttackerEntry, ctx: ModelContext, models: ModelPlayerModule | undefined): Attacker {
  switch (entry.provider) {
    case 'embedded':
      return createEmbeddedAttacker(entry.name, entry.model, ctx.scenarios.attackParts, () => conversationsFor(ctx.scenarios));
    case 'ollama':
    case 'openai':
      return modelPlayers(models, `attacker ${entry.name}`).buildModelAttacker(entry, ctx);
    default:
      throw new ConfigError(`attacker ${(entry as { name: string }).name}: unknown provider.`);
  }
}

function hostOf(entry: DefenderEntry | AttackerEntry): string | null {
  // The configured value only (no OLLAMA_HOST expansion): it is what the config file said.
  if (entry.provider === 'ollama') return Array.isArray(entry.host) ? entry.host.join(',') : (entry.host ?? null);
  if (entry.provider === 'openai') return entry.base_url ?? null;
  if (entry.provider === 'http') return hostKey(entry.url);
  return null;
}

/** What a run's models table says of an entry; a guard API is its URL without the query (which may carry more than its identity). */
export function modelRecord(role: 'defender' | 'attacker', entry: DefenderEntry | AttackerEntry): ModelRecord {
  return {
    role,
    name: entry.name,
    defenderRole: 'role' in entry ? entry.role : null,
    provider: entry.provider,
    model: entry.provider === 'http' ? urlWithoutQuery(entry.url) : entry.model,
    host: hostOf(entry),
    digest: null,
  };
}
