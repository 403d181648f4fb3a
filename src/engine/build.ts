/**
 * The one place a run's players are built, for every kind of run (wargame, eval, replay, resume,
 * and through them reproduce and ci): defenders and attackers from the cast and the pool, the
 * preflight that refuses a run whose first call would fail, the consensus rule and strategy, the
 * healer with its benign guard and whatever it starts from, and the model records stored with the
 * run. Starting a run is then: make the plan and the config, `buildRun`, play.
 */
import { healerGuard, type ScenarioFolder } from '../config/scenarios.js';
import type { AttackerPool, Cast } from '../config/schemas.js';
import { thresholdConsensus, type Consensus } from '../defense/consensus.js';
import type { Strategy } from '../defense/swarm.js';
import type { Attacker, Defender, HealerEvent } from '../domain.js';
import { ConfigError } from '../errors.js';
import { Healer } from '../healer/healer.js';
import type { Immunity } from '../healer/immunity.js';
import { signature, signatureHex } from '../healer/minhash.js';
import { loadImmunity, loadVaccineInto } from '../healer/preload.js';
import type { KnownBreach } from '../store/known-breaches.js';
import { buildAttacker, buildDefender, conversationsFor, loadModelPlayers, modelRecord, needsModelPlayers, type ModelContext } from './players.js';
import { DEFAULT_FEEDBACK, type IterativeSetting } from './attempts.js';
import { DEFAULT_MAX_TURNS, type ConversationSetup } from './conversation.js';
import type { ModelDigest } from '../models/preflight.js';
import type { ModelRecord } from '../store/records.js';
import type { HealerPlan } from './healer-setup.js';

/** What the healer of a run starts from. */
export type HealerStart =
  /** Nothing: a fresh healer (eval with --heal, resume before it restores the stored events). */
  | { kind: 'fresh' }
  /** Immunity files and vaccines read by `planHealer`: loaded now, stored as round-0 events. */
  | { kind: 'files'; plan: HealerPlan }
  /** Round-0 events and known breaches of another run (a replay loads what its source loaded), stored again. */
  | { kind: 'events'; events: readonly HealerEvent[]; knownBreaches: readonly KnownBreach[] };

export interface BuildInputs {
  cast: Cast;
  /** Wargames only: the attackers. */
  pool?: AttackerPool | undefined;
  scenarios: ScenarioFolder;
  env: NodeJS.ProcessEnv;
  /** Whether this run has a healer (the caller has already applied the cast's healer.enabled). */
  heal: boolean;
  healerStart?: HealerStart;
  /** Rounds after which the healer learns nothing (--freeze-healer-after). */
  freezeHealerAfter?: number | null | undefined;
  /** The command that checks these models, named in the error when the preflight fails. */
  doctorCommand: string;
  /** Wargames: --multi-turn, --max-turns and --refinements as stored with the run. */
  play?: { multiTurn?: number | undefined; maxTurns?: number | undefined; refinements?: number | undefined } | undefined;
  signal?: AbortSignal | undefined;
}

export interface BuiltRun {
  defenders: Defender[];
  attackers: Map<string, Attacker>;
  consensus: Consensus;
  strategy: Strategy;
  /** Round r sees what rounds <= r - lag taught (healer, adaptive attackers). */
  lag: number;
  healer: Healer | undefined;
  /** Rounds after this one are the held-out phase: the healer learns nothing, attackers use held-out parts. */
  freezeAfter: number | undefined;
  /** Healer events of round 0 (what the healer was loaded with), stored once the run exists. */
  preloaded: HealerEvent[];
  /** The breaches loaded immunity was learned from (or its antibodies' texts), stored with the run. */
  knownBreaches: KnownBreach[];
  /** Rows of the `models` table. */
  models: ModelRecord[];
  /** Digests reported by the model servers during the preflight. */
  digests: ModelDigest[];
  /** Conversation rounds' settings, when the run has any (--multi-turn). */
  conversations: ConversationSetup | undefined;
  /** Attackers that rewrite blocked attempts, by name (their entry's refinements, else --refinements). */
  iterative: Map<string, IterativeSetting>;
}

/**
 * Builds everything a run plays with. Throws a ConfigError (nothing stored yet) when the pool is
 * empty of attackers a wargame needs, or when a model host, model or key is missing.
 */
export async function buildRun(i: BuildInputs): Promise<BuiltRun> {
  const ctx: ModelContext = { scenarios: i.scenarios, env: i.env };
  const entries = [...i.cast.defenders, ...(i.pool?.attackers ?? [])];
  // Loaded only when some model is not embedded: the model clients cost start-up time.
  const models = needsModelPlayers(entries) || i.pool?.assistant ? await loadModelPlayers() : undefined;
  const defenders = i.cast.defenders.map((d) => buildDefender(d, ctx, models));
  const attackers = new Map((i.pool?.attackers ?? []).map((entry) => [entry.name, buildAttacker(entry, ctx, models)]));
  const check = { cast: i.cast, ...(i.pool ? { pool: i.pool } : {}) };
  const digests: ModelDigest[] = models ? await models.checkModels(check, i.env, i.signal, i.doctorCommand) : [];
  const { healer, preloaded, knownBreaches } = i.heal ? buildHealer(i) : { healer: undefined, preloaded: [], knownBreaches: [] };
  return {
    defenders,
    attackers,
    consensus: thresholdConsensus(i.cast.consensus),
    strategy: i.cast.consensus.strategy,
    lag: i.cast.healer.lag,
    healer,
    freezeAfter: i.freezeHealerAfter ?? undefined,
    preloaded,
    knownBreaches,
    models: [...i.cast.defenders.map((d) => modelRecord('defender', d)), ...(i.pool?.attackers ?? []).map((a) => modelRecord('attacker', a))],
    digests,
    conversations:
      (i.play?.multiTurn ?? 0) > 0
        ? {
            maxTurns: i.play?.maxTurns ?? DEFAULT_MAX_TURNS,
            parts: () => conversationsFor(i.scenarios),
            assistant: i.pool?.assistant && models ? models.buildAssistant(i.pool.assistant, ctx) : undefined,
          }
        : undefined,
    iterative: new Map(
      (i.pool?.attackers ?? [])
        .map((a) => [a.name, { refinements: a.refinements ?? i.play?.refinements ?? 0, feedback: a.feedback ?? DEFAULT_FEEDBACK }] as const)
        .filter(([, setting]) => setting.refinements > 0),
    ),
  };
}

/**
 * What loaded immunity knows of the breaches it came from: a version-2 file's breaches (hash,
 * signature and, when recorded, payload id); a file without breaches (version 1) only its
 * antibodies' texts (near repeats only). A version-2 file's antibodies are texts of breaches it
 * already lists, so they are not counted twice.
 */
export function knownBreachesOf(im: Immunity): KnownBreach[] {
  if (im.breaches !== undefined) {
    return im.breaches.map((b) => ({ sourceRun: b.run, sourceRound: b.round, sha256: b.sha256, signature: b.signature, ...(b.payload === undefined ? {} : { payload: b.payload }) }));
  }
  return im.antibodies.map((a) => ({ sourceRun: a.run, sourceRound: a.round, sha256: null, signature: signatureHex(signature(a.text)) }));
}

function buildHealer(i: BuildInputs): { healer: Healer; preloaded: HealerEvent[]; knownBreaches: KnownBreach[] } {
  const healer = new Healer(i.cast.healer, healerGuard(i.scenarios), { freezeAfter: i.freezeHealerAfter ?? undefined });
  const start = i.healerStart ?? { kind: 'fresh' };
  const preloaded: HealerEvent[] = [];
  const knownBreaches: KnownBreach[] = [];
  if (start.kind === 'files') {
    if (start.plan.immunity) {
      preloaded.push(...loadImmunity(healer, start.plan.immunity));
      knownBreaches.push(...knownBreachesOf(start.plan.immunity));
    }
    for (const v of start.plan.vaccines) preloaded.push(...loadVaccineInto(healer, v));
  } else if (start.kind === 'events') {
    // Given back in the order they were stored; rejections are kept for the record only.
    for (const e of start.events) {
      if (e.kind === 'pattern_learned' || e.kind === 'antibody_added' || e.kind === 'pattern_retired') healer.restore(e);
      preloaded.push(e);
    }
    knownBreaches.push(...start.knownBreaches);
  }
  return { healer, preloaded, knownBreaches };
}

/** A wargame needs attackers unless every round is a benign control. */
export function checkAttackers(pool: AttackerPool, benignRatio: number, file: string): void {
  if (benignRatio < 1 && pool.attackers.length === 0) throw new ConfigError(`attacker pool ${file} has no attackers.`);
}
