import { z } from 'zod';
import { CATEGORY_IDS, type CategoryId } from '../categories.js';

/** Every config file is checked by one of these. Extra keys are errors (strict objects). */

const text = z.string().min(1);

const texts = (min: number) => z.array(text).min(min);

/** The embedded attacker's parts of one category: what its attacks try to get, and who asks. */
export const AttackPartsSchema = z.strictObject({
  /** Goals addressed to the assistant: complete sentences, slots allowed ({name}, {order}…). */
  payloads: texts(12),
  /** Personas, claims or justifications that fit the category. */
  pretexts: texts(6),
  /** Payloads written in other languages, by ISO 639-1 code. */
  payloads_i18n: z.record(z.string().regex(/^[a-z]{2}$/, 'a two-letter language code'), texts(1)).default({}),
});
export type AttackParts = z.infer<typeof AttackPartsSchema>;

const scenarioCommon = {
  id: z.enum(CATEGORY_IDS),
  title: text,
  owasp: z.array(z.string().regex(/^LLM\d\d$/)).min(1),
  atlas: z.array(z.string().regex(/^AML\.T\d{4}(\.\d{3})?$/)).min(1),
  brief: text,
  target: text,
  /** Seed attacks of the template attacker (older scenario folders); the composer uses `attack`. */
  templates: texts(1).optional(),
  /** Known attacks embedded detectors learn from: never scored, never the attacker's own texts. */
  exemplars: texts(12),
  attack: AttackPartsSchema.optional(),
};

/**
 * A scenario file (`<category id>.yaml`). Its benign texts come in three disjoint pools, one job
 * each (docs/numbers.md "Pools of text"): `benign_training` (embedded detectors learn from it),
 * `benign_guard` (the healer refuses any pattern found in it) and `controls` (the benign rounds
 * that are scored). A file in the older shape holds one `benign` list instead; the loader splits it.
 */
export const ScenarioFileSchema = z.union([
  z.strictObject({ ...scenarioCommon, benign_training: texts(1), benign_guard: texts(1), controls: texts(12) }),
  z.strictObject({ ...scenarioCommon, benign: texts(12) }),
]);
export type ScenarioFile = z.infer<typeof ScenarioFileSchema>;

/** A scenario as hive uses it: always the three pools. */
export interface Scenario {
  id: CategoryId;
  title: string;
  owasp: string[];
  atlas: string[];
  brief: string;
  target: string;
  templates: string[];
  exemplars: string[];
  benign_training: string[];
  benign_guard: string[];
  controls: string[];
  attack: AttackParts | undefined;
}

/** `scenarios/shared/guard-carriers.yaml`: benign documents of the genres attacks are buried in. */
export const GuardCarriersSchema = z.strictObject({
  documents: z.array(z.strictObject({ genre: text, text })).min(1),
});

/** Benign texts every embedded detector learns from besides each scenario's benign_training (shared/benign-training.json). */
export const BenignTrainingSchema = z.strictObject({
  about: z.string().optional(),
  requests: z.array(text).min(1),
  documents: z.array(z.strictObject({ genre: text, text })).default([]),
});

/** Call policy shared by every model-backed entry. */
const callPolicy = {
  timeout_ms: z.number().int().positive().optional(),
  retries: z.number().int().min(0).max(10).optional(),
  /** Base delay of the exponential backoff between retries (default 500 ms); retry-after wins when sent. */
  backoff_ms: z.number().int().min(0).max(600_000).optional(),
  temperature: z.number().min(0).max(2).optional(),
  seed: z.number().int().optional(),
  max_tokens: z.number().int().positive().optional(),
  /** USD per million tokens, for --max-cost. */
  price: z.strictObject({ input: z.number().min(0), output: z.number().min(0) }).optional(),
};

const hostList = z.union([z.string().url(), z.array(z.string().url()).min(1)]);

export const EmbeddedModelSchema = z.strictObject({
  provider: z.literal('embedded'),
  model: text,
});

export const OllamaModelSchema = z.strictObject({
  provider: z.literal('ollama'),
  model: text,
  host: hostList.optional(),
  keep_alive: z.union([z.string(), z.number()]).optional(),
  /** Matches the server's OLLAMA_NUM_PARALLEL: calls in flight per host. */
  max_concurrency: z.number().int().positive().optional(),
  num_predict: z.number().int().positive().optional(),
  ...callPolicy,
});

export const OpenAIModelSchema = z.strictObject({
  provider: z.literal('openai'),
  model: text,
  base_url: z.string().url().optional(),
  /** The NAME of the environment variable that holds the key; the key itself is never in a file. */
  api_key_env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name').optional(),
  max_concurrency: z.number().int().positive().optional(),
  /** Set false for servers that reject response_format; hive then asks for JSON in the prompt. */
  structured_output: z.boolean().optional(),
  ...callPolicy,
});

export const DEFENDER_ROLES = [
  'auditor',
  'trace_forensics',
  'guardian',
  'sentinel',
  'social_specialist',
  'supply_chain',
  'druid',
  'generic',
] as const;
export type DefenderRole = (typeof DEFENDER_ROLES)[number];

const defenderCommon = {
  name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only'),
  role: z.enum(DEFENDER_ROLES).default('generic'),
  vanguard: z.boolean().default(false),
};

export const DefenderEntrySchema = z.discriminatedUnion('provider', [
  EmbeddedModelSchema.extend(defenderCommon),
  OllamaModelSchema.extend(defenderCommon),
  OpenAIModelSchema.extend(defenderCommon),
]);
export type DefenderEntry = z.infer<typeof DefenderEntrySchema>;

export const ConsensusSchema = z.strictObject({
  threshold: z.number().int().positive(),
  quorum: z.number().int().positive().optional(),
  on_abstain: z.enum(['allow', 'block']).default('allow'),
  strategy: z.enum(['parallel', 'cascade']).default('parallel'),
});
export type ConsensusConfig = z.infer<typeof ConsensusSchema>;

export const HealerConfigSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** Antibodies shown to each defender per round. */
  antibodies: z.number().int().min(0).max(64).default(8),
  /** Patterns learned per breach at most. */
  patterns_per_breach: z.number().int().min(0).max(20).default(3),
  /**
   * Round r is screened with what the healer learned from rounds <= r - lag. Fixed per run so that
   * outcomes never depend on concurrency or timing.
   */
  lag: z.number().int().min(1).max(256).default(16),
});
export type HealerConfig = z.infer<typeof HealerConfigSchema>;

export const GateSchema = z.strictObject({
  min_defense: z.number().min(0).max(1).optional(),
  max_fpr: z.number().min(0).max(1).optional(),
});

/**
 * Quality gates for `hive ci`: in a cast's `gates:` key or a gates file. Categories are optional
 * one by one (a partial record: zod 4's `z.record` over an enum would demand all 13).
 */
export const GatesSchema = z.strictObject({
  overall: GateSchema.optional(),
  categories: z.partialRecord(z.enum(CATEGORY_IDS), GateSchema).optional(),
});
export type Gates = z.infer<typeof GatesSchema>;

export const CastSchema = z
  .strictObject({
    name: text,
    description: z.string().optional(),
    consensus: ConsensusSchema,
    healer: HealerConfigSchema.default({ enabled: true, antibodies: 8, patterns_per_breach: 3, lag: 16 }),
    defenders: z.array(DefenderEntrySchema).min(1),
    gates: GatesSchema.optional(),
  })
  .superRefine((cast, ctx) => {
    const n = cast.defenders.length;
    if (cast.consensus.threshold > n) {
      ctx.addIssue({ code: 'custom', path: ['consensus', 'threshold'], message: `is ${cast.consensus.threshold} but the cast has only ${n} defenders` });
    }
    if (cast.consensus.quorum !== undefined && cast.consensus.quorum > n) {
      ctx.addIssue({ code: 'custom', path: ['consensus', 'quorum'], message: `is ${cast.consensus.quorum} but the cast has only ${n} defenders` });
    }
    const seen = new Set<string>();
    cast.defenders.forEach((d, i) => {
      if (seen.has(d.name)) ctx.addIssue({ code: 'custom', path: ['defenders', i, 'name'], message: `"${d.name}" is used twice` });
      seen.add(d.name);
    });
  });
export type Cast = z.infer<typeof CastSchema>;

const attackerCommon = {
  name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only'),
  /** Relative share of rounds this attacker writes. */
  weight: z.number().positive().default(1),
  /** Show the attacker its recent blocked attempts in the same category. */
  adaptive: z.boolean().default(false),
  /** Reframed retries after a refusal before the round is ATTACKER_REFUSED. */
  refusal_retries: z.number().int().min(0).max(5).default(1),
};

export const AttackerEntrySchema = z.discriminatedUnion('provider', [
  EmbeddedModelSchema.extend(attackerCommon),
  OllamaModelSchema.extend(attackerCommon),
  OpenAIModelSchema.extend(attackerCommon),
]);
export type AttackerEntry = z.infer<typeof AttackerEntrySchema>;

export const AttackerPoolSchema = z
  .strictObject({
    name: text,
    description: z.string().optional(),
    attackers: z.array(AttackerEntrySchema).min(1),
  })
  .superRefine((pool, ctx) => {
    const seen = new Set<string>();
    pool.attackers.forEach((a, i) => {
      if (seen.has(a.name)) ctx.addIssue({ code: 'custom', path: ['attackers', i, 'name'], message: `"${a.name}" is used twice` });
      seen.add(a.name);
    });
  });
export type AttackerPool = z.infer<typeof AttackerPoolSchema>;
