import type { CategoryId } from '../categories.js';
import { loadConversations, type ConversationParts } from '../config/conversations.js';
import type { ScenarioFolder } from '../config/scenarios.js';
import type { AttackerEntry, DefenderEntry, Scenario } from '../config/schemas.js';
import { createEmbeddedAttacker } from '../attack/embedded-attacker.js';
import { createEmbeddedDefender, createEmbeddedKnowledge, type EmbeddedKnowledge } from '../defense/embedded/index.js';
import type { Attacker, Defender } from '../domain.js';
import { ConfigError } from '../errors.js';
import type { ModelRecord } from '../store/records.js';
import { createLlmAttacker, DEFAULT_ATTACKER_MAX_TOKENS } from '../attack/llm-attacker.js';
import { createHttpGuardDefender } from '../defense/http-guard.js';
import { createLlmDefender } from '../defense/llm-defender.js';
import { connectChatModel, connectHttpGuard, maxTokensOf, type ConnectContext } from '../models/connect.js';
import { urlWithoutQuery } from '../models/http-guard.js';
import { hostKey } from '../models/policy.js';

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

export function buildDefender(entry: DefenderEntry, ctx: ModelContext): Defender {
  switch (entry.provider) {
    case 'embedded':
      return createEmbeddedDefender({ name: entry.name, role: entry.role, model: entry.model, knowledge: knowledgeFor(ctx.scenarios) });
    case 'ollama':
    case 'openai':
      return createLlmDefender({
        name: entry.name,
        role: entry.role,
        vanguard: entry.vanguard,
        chat: connectChatModel(entry, ctx, `defender ${entry.name}`),
        temperature: entry.temperature,
        seed: entry.seed,
        // Unset: the default of the answer format (llm-defender.ts).
        maxTokens: maxTokensOf(entry, undefined),
        answerFormat: entry.answer_format,
        system: entry.system,
        think: entry.think,
        maxInputChars: entry.max_input_chars,
      });
    case 'http':
      return createHttpGuardDefender({
        name: entry.name,
        role: entry.role,
        chat: connectHttpGuard(entry, ctx, `defender ${entry.name}`),
        blockWhen: entry.block_when,
        score: entry.score,
        maxInputChars: entry.max_input_chars,
      });
    default:
      throw new ConfigError(`defender ${(entry as { name: string }).name}: unknown provider.`);
  }
}

export function buildAttacker(entry: AttackerEntry, ctx: ModelContext): Attacker {
  switch (entry.provider) {
    case 'embedded':
      return createEmbeddedAttacker(entry.name, entry.model, ctx.scenarios.attackParts, () => conversationsFor(ctx.scenarios));
    case 'ollama':
    case 'openai':
      return createLlmAttacker({
        name: entry.name,
        chat: connectChatModel(entry, ctx, `attacker ${entry.name}`),
        adaptive: entry.adaptive,
        refusalRetries: entry.refusal_retries,
        temperature: entry.temperature,
        seed: entry.seed,
        maxTokens: maxTokensOf(entry, DEFAULT_ATTACKER_MAX_TOKENS),
        think: entry.think,
      });
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
