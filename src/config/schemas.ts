import { z } from 'zod';
import { CATEGORY_IDS, type CategoryId } from '../categories.js';
import { maskSecret } from './credentials.js';

/** Every config file is checked by one of these. Extra keys are errors (strict objects). */

const text = z.string().min(1);

export const ANSWER_FORMATS = ['json', 'llama_guard', 'yes_no'] as const;
export type AnswerFormat = (typeof ANSWER_FORMATS)[number];

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

/** The slots an attack part may hold, filled by the composer ({name}, {order}…). */
export const ATTACK_SLOTS = ['name', 'company', 'product', 'city', 'day', 'number', 'amount', 'order', 'email', 'url', 'file'] as const;

const carrierParts = z.strictObject({
  /** Subject lines, headings, greetings, first lines. */
  openers: texts(1),
  /** Ordinary sentences or short paragraphs of the genre. */
  bodies: texts(4),
  closers: texts(1),
  /** Ways to hide `{payload}` in the genre (an HTML comment, a P.S. to the assistant…); each holds {payload}. */
  hides: z.array(text.refine((t) => t.includes('{payload}'), 'must contain {payload}')).min(1),
});

/**
 * `scenarios/shared/attack-parts.yaml`: the embedded attacker's parts that every category shares.
 * Per-category payloads and pretexts are in each scenario's `attack` key.
 */
export const SharedAttackPartsSchema = z.strictObject({
  /** How a payload is asked: each holds {payload} once, and may hold {pretext}. */
  framings: z
    .array(z.strictObject({ family: text, text: text.refine((t) => t.includes('{payload}'), 'must contain {payload}') }))
    .min(1),
  /** What a user asks about a document they paste (the carrier's wrapper). */
  tasks: texts(1),
  /** Carrier documents by genre (email, web_page, ticket…). */
  carriers: z.record(z.string().regex(/^[a-z_]+$/), carrierParts),
  /** Values of the named slots; number, amount, order, email and url are generated. */
  slots: z.strictObject({ name: texts(1), company: texts(1), product: texts(1), city: texts(1), day: texts(1), file: texts(1) }),
});
export type SharedAttackParts = z.infer<typeof SharedAttackPartsSchema>;

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

/** The NAME of an environment variable (a key is never written in a file). */
/**
 * The NAME of the variable that holds a key, never the key: upper case letters, digits and
 * underscores (a key pasted here, e.g. "gsk_8Zq3…", is refused and printed only masked).
 */
const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, {
  error: (iss) => `must be the name of an environment variable (upper case letters, digits, underscores), not "${maskSecret(String(iss.input))}"; put the key itself in a variable (export GROQ_API_KEY=…) and write its name here (api_key_env: GROQ_API_KEY)`,
});

/**
 * false: ask the server not to think before answering (defenders and druids default to false: a
 * verdict needs no essay, and thoughts cost tokens); true: ask it to; null: send no thinking
 * option at all (for a server that refuses them without saying which); unset: defenders false,
 * attackers the server's default.
 */
const think = z.boolean().nullable().optional();

export const EmbeddedModelSchema = z.strictObject({
  provider: z.literal('embedded'),
  model: text,
});

export const OllamaModelSchema = z.strictObject({
  provider: z.literal('ollama'),
  model: text,
  host: hostList.optional(),
  /** A key sent as `Authorization: Bearer` (Ollama's cloud API, or a proxy that wants one). */
  api_key_env: envName.optional(),
  keep_alive: z.union([z.string(), z.number()]).optional(),
  /** Matches the server's OLLAMA_NUM_PARALLEL: calls in flight per host. */
  max_concurrency: z.number().int().positive().optional(),
  num_predict: z.number().int().positive().optional(),
  /** The context window the model is loaded with; Ollama's default silently cuts longer prompts. */
  num_ctx: z.number().int().positive().optional(),
  think,
  ...callPolicy,
});

export const OpenAIModelSchema = z.strictObject({
  provider: z.literal('openai'),
  model: text,
  base_url: z.string().url().optional(),
  /** The NAME of the environment variable that holds the key; the key itself is never in a file. */
  api_key_env: envName.optional(),
  max_concurrency: z.number().int().positive().optional(),
  /** Set false for servers that reject response_format; hive then asks for JSON in the prompt only. */
  structured_output: z.boolean().optional(),
  think,
  ...callPolicy,
});

/** RFC 6901: "" (the whole document) or "/a/b", with ~0 for "~" and ~1 for "/". */
const pointer = z.string().regex(/^(?:\/(?:[^~]|~[01])*)*$/, 'must be a JSON pointer such as /flagged or /scores/injection');

/** How a guard API's answer says "block": a value equal to `equals`, or a number at least `at_least`. */
const BlockWhenSchema = z.union([
  z.strictObject({ pointer, equals: z.json() }),
  z.strictObject({ pointer, at_least: z.number() }),
]);
export type BlockWhen = z.infer<typeof BlockWhenSchema>;

/** The string value in `body` that is replaced by the input (as a JSON string). */
export const TEXT_PLACEHOLDER = '{{text}}';

/**
 * A guard API as a defender (`provider: http`): an in-house classifier or a vendor's endpoint.
 * Same retry, timeout, per-host limit and abort policy as the model providers; no `model`.
 */
export const HttpGuardSchema = z.strictObject({
  provider: z.literal('http'),
  url: z.string().url(),
  method: z.enum(['POST', 'PUT']).default('POST'),
  /** A value may hold `${NAME}`: replaced at call time by environment variable NAME, never stored or printed. */
  headers: z.record(z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'must be an HTTP header name'), z.string()).default({}),
  /** A JSON template; a string value that is exactly "{{text}}" becomes the input. */
  body: z.json(),
  block_when: BlockWhenSchema,
  /** A JSON pointer to a number in 0..1 (how likely an attack), kept as the vote's confidence for ROC. */
  score: pointer.optional(),
  timeout_ms: callPolicy.timeout_ms,
  retries: callPolicy.retries,
  backoff_ms: callPolicy.backoff_ms,
  max_concurrency: z.number().int().positive().optional(),
});

function bodyHoldsText(e: { body: unknown }, ctx: z.RefinementCtx): void {
  if (!JSON.stringify(e.body).includes(JSON.stringify(TEXT_PLACEHOLDER))) {
    ctx.addIssue({ code: 'custom', path: ['body'], message: `needs a string value that is exactly "${TEXT_PLACEHOLDER}" (where the input goes)` });
  }
}

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

/** Longer inputs are judged cut to this many characters, keeping the start and the end. */
const maxInputChars = z.number().int().min(200).optional();

/** Keys of defenders backed by a model. */
const llmDefender = {
  ...defenderCommon,
  /** json: hive's prompt and verdict object; llama_guard, yes_no: a guard model's own format. */
  answer_format: z.enum(ANSWER_FORMATS).default('json'),
  /** Guard formats only: the system message (Granite Guardian: the risk to judge, e.g. jailbreak). */
  system: z.string().optional(),
  max_input_chars: maxInputChars,
};

function systemNeedsGuardFormat(e: { answer_format: string; system?: string | undefined }, ctx: z.RefinementCtx): void {
  if (e.system !== undefined && e.answer_format === 'json') {
    ctx.addIssue({ code: 'custom', path: ['system'], message: 'is only used with answer_format llama_guard or yes_no (json defenders get hive\'s own prompt)' });
  }
}

export const DefenderEntrySchema = z.discriminatedUnion('provider', [
  EmbeddedModelSchema.extend(defenderCommon),
  OllamaModelSchema.extend(llmDefender).superRefine(systemNeedsGuardFormat),
  OpenAIModelSchema.extend(llmDefender).superRefine(systemNeedsGuardFormat),
  HttpGuardSchema.extend({ ...defenderCommon, max_input_chars: maxInputChars }).superRefine(bodyHoldsText),
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

/** The gates of one scope (overall or a category). */
const GATE_FIELDS = {
  min_defence: z.number().min(0).max(1).optional(),
  /** The American spelling, read as `min_defence`; giving both is an error. */
  min_defense: z.number().min(0).max(1).optional(),
  max_fpr: z.number().min(0).max(1).optional(),
};
type Spellings = { min_defence?: number | undefined; min_defense?: number | undefined };
const oneSpelling = (g: Spellings) => g.min_defence === undefined || g.min_defense === undefined;
const SAME_GATE = { message: 'min_defence and min_defense are the same gate: keep one', path: ['min_defense'] };
function britishSpelling<T extends Spellings>({ min_defense, ...g }: T): Omit<T, 'min_defense'> {
  return min_defense === undefined ? g : { ...g, min_defence: min_defense };
}

export const GateSchema = z.strictObject(GATE_FIELDS).refine(oneSpelling, SAME_GATE).transform(britishSpelling);

/**
 * Quality gates for `hive ci`: in a cast's `gates:` key or a gates file. Categories are optional
 * one by one (a partial record: zod 4's `z.record` over an enum would demand all 13).
 */
export const GatesSchema = z.strictObject({
  overall: z
    .strictObject({
      ...GATE_FIELDS,
      /** Errored rounds (attack and benign, attacker failures included) over all rounds played; default 0.05. */
      max_error_rate: z.number().min(0).max(1).optional(),
    })
    .refine(oneSpelling, SAME_GATE)
    .transform(britishSpelling)
    .optional(),
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
      ctx.addIssue({ code: 'custom', path: ['consensus', 'threshold'], message: `is ${cast.consensus.threshold} but the cast has only ${n} defender${n === 1 ? '' : 's'}` });
    }
    if (cast.consensus.quorum !== undefined && cast.consensus.quorum > n) {
      ctx.addIssue({ code: 'custom', path: ['consensus', 'quorum'], message: `is ${cast.consensus.quorum} but the cast has only ${n} defender${n === 1 ? '' : 's'}` });
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
  /** Iterative attacker: after a block, up to this many rewritten attempts (--refinements sets it for entries without one). */
  refinements: z.number().int().min(0).max(20).optional(),
  /** What an iterative attacker is shown after a block: none, verdict (the default) or reasons (the defenders' stated reasons). */
  feedback: z.enum(['none', 'verdict', 'reasons']).optional(),
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
    /** Conversation rounds: the protected assistant that writes the replies between turns (neutral canned replies without one). */
    assistant: z.discriminatedUnion('provider', [OllamaModelSchema, OpenAIModelSchema]).optional(),
  })
  .superRefine((pool, ctx) => {
    const seen = new Set<string>();
    pool.attackers.forEach((a, i) => {
      if (seen.has(a.name)) ctx.addIssue({ code: 'custom', path: ['attackers', i, 'name'], message: `"${a.name}" is used twice` });
      seen.add(a.name);
    });
  });
export type AttackerPool = z.infer<typeof AttackerPoolSchema>;
