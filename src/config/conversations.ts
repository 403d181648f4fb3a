/**
 * The conversation parts of a scenario folder (`<dir>/conversations/`, the shipped ones when the
 * folder has none): per category, `<category>.yaml` with the embedded multi-turn attacker's
 * escalation parts and the benign conversations dealt as scored controls of conversation rounds;
 * `replies.yaml` with neutral assistant replies put between turns when the pool has no
 * `assistant` model. Read only by runs with `--multi-turn` (and the pools test), so a run without
 * it reads nothing more at start-up. Keys are documented in docs/conversations.md.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CATEGORY_IDS, type CategoryId } from '../categories.js';
import { ConfigError } from '../errors.js';
import { checkWith, readYamlFile } from './load.js';
import { DEFAULT_PATHS } from './paths.js';

const text = z.string().min(1);
const texts = (min: number) => z.array(text).min(min);

/** The slots a conversation part may hold besides a bridge's one {payload}. */
export const CONVERSATION_SLOTS = ['name', 'company', 'product', 'city', 'day'] as const;
const SLOT = /\{([a-z]+)\}/g;
const slotsOf = (t: string): string[] => [...t.matchAll(SLOT)].map((m) => m[1] as string);
const onlyKnownSlots = (t: string): boolean => slotsOf(t).every((s) => (CONVERSATION_SLOTS as readonly string[]).includes(s));
const part = text.refine(onlyKnownSlots, `only the slots ${CONVERSATION_SLOTS.map((s) => `{${s}}`).join(' ')} (and {payload} in bridges)`);
const parts = (min: number) => z.array(part).min(min);

/** One category's file: `conversations/<category>.yaml`. */
export const ConversationFileSchema = z.strictObject({
  category: z.enum(CATEGORY_IDS),
  /** The embedded multi-turn attacker's parts, in the order a conversation uses them. */
  escalation: z.strictObject({
    /** An innocent first turn that opens the topic. */
    openers: parts(4),
    /** Rapport and context-building: who the user is, why they ask. */
    rapport: parts(4),
    /** Questions that move the topic towards the goal without stating it. */
    reframings: parts(4),
    /** The last turn's wrapper: exactly one {payload}, where the composed attack goes. */
    bridges: z
      .array(text.refine((t) => slotsOf(t).filter((s) => s === 'payload').length === 1, 'must contain {payload} exactly once').refine((t) => slotsOf(t).every((s) => s === 'payload' || (CONVERSATION_SLOTS as readonly string[]).includes(s)), 'unknown slot'))
      .min(1),
  }),
  /** Benign conversations (3–5 user turns each) that drift through alarming-sounding but harmless topics: scored controls. */
  benign_conversations: z.array(z.array(text).min(2).max(8)).min(4),
});
export type ConversationFile = z.infer<typeof ConversationFileSchema>;

/** `conversations/replies.yaml`: neutral assistant replies, used between turns without an assistant model. */
export const RepliesFileSchema = z.strictObject({ replies: texts(4) });

export interface ConversationParts {
  dir: string;
  categories: ReadonlyMap<CategoryId, ConversationFile>;
  replies: readonly string[];
}

/** The conversation parts of scenario folder `scenariosDir` (its `conversations/`, else the shipped ones). Throws a ConfigError naming the file and key. */
export function loadConversations(scenariosDir: string): ConversationParts {
  let dir = join(scenariosDir, 'conversations');
  if (!existsSync(dir) || !statSync(dir).isDirectory()) dir = join(DEFAULT_PATHS.scenarios, 'conversations');
  const categories = new Map<CategoryId, ConversationFile>();
  for (const id of CATEGORY_IDS) {
    const file = join(dir, `${id}.yaml`);
    if (!existsSync(file)) throw new ConfigError(`conversations folder ${dir} has no ${id}.yaml; every category needs one for --multi-turn (copy it from hive's scenarios/conversations/).`);
    const parsed = checkWith(ConversationFileSchema, readYamlFile(file, 'conversation'), file, 'conversation');
    if (parsed.category !== id) throw new ConfigError(`conversation file ${file} says category "${parsed.category}" but its file name says "${id}"; make them match.`);
    categories.set(id, parsed);
  }
  const repliesFile = join(dir, 'replies.yaml');
  if (!existsSync(repliesFile)) throw new ConfigError(`conversations folder ${dir} has no replies.yaml; copy it from hive's scenarios/conversations/.`);
  const replies = checkWith(RepliesFileSchema, readYamlFile(repliesFile, 'replies'), repliesFile, 'replies').replies;
  return { dir, categories, replies };
}
