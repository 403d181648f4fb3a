/**
 * The stored configuration of a run (`runs.config_json`): one strict, versioned contract with one
 * writer (`storedRunConfig`) and one reader (`readRunConfig`). Everything that needs a run's
 * settings later — resume, replay, reports, `hive runs`, immunity accounting — reads them here.
 *
 * Shapes, by run kind (`runs.kind`):
 * - wargame: the options that drew the plan (rounds, seed, categories, benign ratio…), the healer
 *   files it started from, the cast and the attacker pool, as parsed (defaults filled in);
 * - eval: the corpus (path, sha256, format, rows), the cast;
 * - replay: the source run and what was carried over from it, the cast.
 * `command` says which command made the run: reproduce and ci make wargame, eval or replay runs.
 *
 * Version 1 (hive 0.1 before this contract) stored the same options without `version`, `kind`
 * and `command`; `readRunConfig` migrates it (unknown keys dropped, the kind from the runs row).
 */
import { z } from 'zod';
import { CATEGORY_IDS } from '../categories.js';
import { AttackerPoolSchema, CastSchema } from './schemas.js';
import { describeIssues } from './problems.js';
import { ConfigError } from '../errors.js';
import type { RunKind } from '../domain.js';

export const RUN_CONFIG_VERSION = 2;

/** The commands that create runs; `runs.kind` is one of wargame, eval, replay. */
export const RUN_COMMANDS = ['wargame', 'eval', 'replay', 'reproduce', 'ci'] as const;
export type RunCommand = (typeof RUN_COMMANDS)[number];

const count = z.number().int().min(0);

const wargameOptions = {
  rounds: z.number().int().positive(),
  batchSize: z.number().int().positive(),
  seed: z.number().int(),
  benignRatio: z.number().min(0).max(1),
  heal: z.boolean(),
  categories: z.array(z.enum(CATEGORY_IDS)).min(1),
  scenariosDir: z.string().min(1),
  /** Files the healer started from; their content is in the run's round-0 healer events. */
  immunity: z.array(z.string()).default([]),
  vaccines: z.array(z.string()).default([]),
  /** Round after which the healer stopped learning (the held-out phase starts after it). */
  freezeHealerAfter: count.nullable().default(null),
  /** --multi-turn: the share of attack rounds and of benign controls played as conversations; absent: none. */
  multiTurn: z.number().min(0).max(1).optional(),
  /** --max-turns: the most user turns of a conversation. */
  maxTurns: z.number().int().min(1).max(20).optional(),
  /** --refinements: rewritten attempts after a block for every attacker entry that gives none. */
  refinements: count.max(20).optional(),
};

const evalOptions = {
  corpus: z.string().min(1),
  corpusSha256: z.string(),
  corpusFormat: z.string(),
  rows: count,
  /** Rows left out because they could not be read (listed when the run started). */
  unreadableRows: count,
  batchSize: z.number().int().positive(),
  heal: z.boolean(),
  scenariosDir: z.string().min(1),
  /** --threshold-from RUN: the score threshold fixed at `maxFpr` on that earlier run of the same cast. */
  thresholdFrom: z.strictObject({ run: z.number().int().positive(), threshold: z.number().min(0).max(1), maxFpr: z.number().gt(0).max(1) }).nullable().default(null),
};

const replayOptions = {
  replayOf: z.number().int().positive(),
  sourceKind: z.string(),
  sourceCast: z.string(),
  sourceConfigHash: z.string(),
  rounds: count,
  batchSize: z.number().int().positive(),
  heal: z.boolean(),
  /** The healer setting differs from the source's (flag or cast). */
  healChanged: z.boolean(),
  scenariosDir: z.string().min(1),
  freezeHealerAfter: count.nullable().default(null),
  /** The source's corpus, when it was an eval run (reports show it). */
  corpus: z.string().nullable().default(null),
  carried: z.strictObject({ refused: count, attackerErrors: count }),
  truncatedInputs: count,
};

const version = z.literal(RUN_CONFIG_VERSION);

export const WargameConfigSchema = z.strictObject({
  version,
  kind: z.literal('wargame'),
  command: z.enum(['wargame', 'reproduce', 'ci']),
  options: z.strictObject(wargameOptions),
  cast: CastSchema,
  attackers: AttackerPoolSchema,
});

export const EvalConfigSchema = z.strictObject({
  version,
  kind: z.literal('eval'),
  command: z.enum(['eval', 'ci']),
  options: z.strictObject(evalOptions),
  cast: CastSchema,
});

export const ReplayConfigSchema = z.strictObject({
  version,
  kind: z.literal('replay'),
  command: z.enum(['replay', 'ci']),
  options: z.strictObject(replayOptions),
  cast: CastSchema,
});

export const RunConfigSchema = z.discriminatedUnion('kind', [WargameConfigSchema, EvalConfigSchema, ReplayConfigSchema]);

export type WargameConfig = z.infer<typeof WargameConfigSchema>;
export type EvalConfig = z.infer<typeof EvalConfigSchema>;
export type ReplayConfig = z.infer<typeof ReplayConfigSchema>;
export type RunConfig = z.infer<typeof RunConfigSchema>;
/** What a caller writes: defaults may be left out. */
export type RunConfigInput = z.input<typeof RunConfigSchema>;

/** Version 1 options, read loosely: keys this version does not know are dropped. */
const V1_OPTIONS: Record<RunKind, z.ZodType> = {
  wargame: z.object(wargameOptions),
  eval: z.object(evalOptions),
  replay: z.object(replayOptions),
};

/** `action`: what the caller wanted to do with the run, for the error line ("resumed", "read"…). */
function damaged(runId: number, action: string, why: string): ConfigError {
  return new ConfigError(`run ${runId} cannot be ${action}: its stored configuration is damaged (${why}); start a new run.`);
}

function firstIssue(error: z.ZodError): string {
  return describeIssues(error)[0] ?? 'invalid';
}

/** The one writer: checks the config against its contract and returns what `runs.config_json` holds. */
export function storedRunConfig(config: RunConfigInput): RunConfig {
  const parsed = RunConfigSchema.safeParse(config);
  // A config hive itself built that breaks its own contract is a bug, not a user error.
  if (!parsed.success) throw new Error(`hive built a run configuration that breaks its contract: ${firstIssue(parsed.error)}`);
  return parsed.data;
}

/**
 * The one reader: the stored configuration of run `run.id`, migrated to the current version.
 * Throws a ConfigError naming the run, what could not be done (`action`) and the first damaged key.
 */
export function readRunConfig(run: { id: number; kind: RunKind; configJson: string }, action = 'read'): RunConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(run.configJson);
  } catch {
    throw damaged(run.id, action, 'not JSON');
  }
  if (typeof raw !== 'object' || raw === null) throw damaged(run.id, action, 'not an object');
  const stored = raw as Record<string, unknown>;
  if (stored.version === undefined) raw = migrateV1(run.id, action, run.kind, stored);
  else if (typeof stored.version === 'number' && stored.version > RUN_CONFIG_VERSION) {
    throw new ConfigError(`run ${run.id} was stored by a newer hive (configuration version ${stored.version}); upgrade hive to read it.`);
  }
  const parsed = RunConfigSchema.safeParse(raw);
  if (!parsed.success) throw damaged(run.id, action, firstIssue(parsed.error));
  if (parsed.data.kind !== run.kind) throw damaged(run.id, action, `it describes a ${parsed.data.kind} run, the run is a ${run.kind} run`);
  return parsed.data;
}

/** The stored configuration, or undefined when it cannot be read (old reports still render). */
export function tryReadRunConfig(run: { id: number; kind: RunKind; configJson: string }): RunConfig | undefined {
  try {
    return readRunConfig(run);
  } catch {
    return undefined;
  }
}

function migrateV1(runId: number, action: string, kind: RunKind, stored: Record<string, unknown>): unknown {
  const options = V1_OPTIONS[kind]?.safeParse(stored.options);
  if (!options) throw damaged(runId, action, `unknown run kind "${kind}"`);
  if (!options.success) throw damaged(runId, action, `options.${firstIssue(options.error)}`);
  return {
    version: RUN_CONFIG_VERSION,
    kind,
    command: kind,
    options: options.data,
    cast: stored.cast,
    ...(kind === 'wargame' ? { attackers: stored.attackers } : {}),
  };
}
