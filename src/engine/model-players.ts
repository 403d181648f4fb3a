/**
 * The players that call a model server or a guard API: LLM defenders and attackers, HTTP guards,
 * the conversation assistant, and the preflight that checks their servers first. Loaded by
 * `buildRun` (one dynamic import) only when a cast or pool names such a model, so an embedded run
 * never loads the `ollama` and `openai` clients (issue 16: start-up loads only what it uses).
 */
import type { AttackerEntry, AttackerPool, Cast, DefenderEntry } from '../config/schemas.js';
import { createLlmAssistant } from '../attack/conversation/assistant.js';
import { createLlmAttacker, DEFAULT_ATTACKER_MAX_TOKENS } from '../attack/llm-attacker.js';
import { createHttpGuardDefender } from '../defense/http-guard.js';
import { createLlmDefender } from '../defense/llm-defender.js';
import type { Assistant, Attacker, Defender } from '../domain.js';
import { connectChatModel, connectHttpGuard, maxTokensOf, type ConnectContext, type LlmEntry } from '../models/connect.js';
import { needsPreflight, preflight, preflightError, type ModelDigest } from '../models/preflight.js';

type ModelDefenderEntry = Exclude<DefenderEntry, { provider: 'embedded' }>;
type ModelAttackerEntry = Exclude<AttackerEntry, { provider: 'embedded' }>;

/** An Ollama, OpenAI-compatible or HTTP-guard defender, its calls behind the run's policy. */
export function buildModelDefender(entry: ModelDefenderEntry, ctx: ConnectContext): Defender {
  if (entry.provider === 'http') {
    return createHttpGuardDefender({
      name: entry.name,
      role: entry.role,
      chat: connectHttpGuard(entry, ctx, `defender ${entry.name}`),
      blockWhen: entry.block_when,
      score: entry.score,
      maxInputChars: entry.max_input_chars,
    });
  }
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
}

/** An Ollama or OpenAI-compatible attacker. */
export function buildModelAttacker(entry: ModelAttackerEntry, ctx: ConnectContext): Attacker {
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
}

/** The model that answers a conversation's attacker as the assistant under attack. */
export function buildAssistant(entry: LlmEntry & { temperature?: number | undefined; seed?: number | undefined; max_tokens?: number | undefined }, ctx: ConnectContext): Assistant {
  return createLlmAssistant(connectChatModel(entry, ctx, 'assistant'), entry);
}

/**
 * Asks every model server of the cast and pool whether its first call would work. Returns the
 * digests the servers report (none when every model of the cast and pool is embedded); throws the preflight's ConfigError (naming `doctorCommand`) when not.
 */
export async function checkModels(check: { cast: Cast; pool?: AttackerPool }, env: NodeJS.ProcessEnv, signal: AbortSignal | undefined, doctorCommand: string): Promise<ModelDigest[]> {
  if (!needsPreflight(check)) return [];
  const ready = await preflight({ ...check, env, signal });
  if (ready.problems.length > 0) throw preflightError(ready, doctorCommand);
  return ready.digests;
}
