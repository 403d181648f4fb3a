/**
 * `hive reproduce <preset>`: play a published configuration (presets/published.yaml) for its
 * published number of attack rounds, plus benign controls, and set what was measured beside what
 * was published, each measured rate with its 95% Wilson interval and whether the published
 * figure lies inside it. Never prints. A workflow above the engine (which plays the run) and the
 * report (which measures it and sets it beside the published figures).
 */
import { DEFAULT_PATHS } from '../config/paths.js';
import { presetPath, type Preset } from '../config/presets.js';
import { UsageError } from '../errors.js';
import { buildRunReport } from '../report/build.js';
import { benignOnTop, sideBySide } from '../report/compute/reproduce.js';
import type { ReproduceResult } from '../report/compute/types.js';
import { Store } from '../store/store.js';
import type { EventSink } from '../engine/events.js';
import { checkNumber } from '../engine/options.js';
import { startWargame } from '../engine/start-wargame.js';

export interface ReproduceOptions {
  preset: Preset;
  /** Overrides for people who substitute models. */
  castPath?: string | undefined;
  attackersPath?: string | undefined;
  /** Dry run: the embedded cast and attackers with the preset's rounds and healer setting. */
  embedded: boolean;
  /** Attack rounds instead of the published number (a shorter dry run). */
  rounds?: number | undefined;
  seed: number;
  concurrency: number;
  batchSize: number;
  scenariosDir: string;
  dbPath: string;
  env?: NodeJS.ProcessEnv;
  emit?: EventSink;
  stop?: AbortSignal;
  abort?: AbortSignal;
}

export async function reproducePreset(o: ReproduceOptions): Promise<ReproduceResult> {
  const preset = o.preset;
  if (o.embedded && (o.castPath !== undefined || o.attackersPath !== undefined)) {
    throw new UsageError('--embedded runs the embedded cast and attackers: it cannot be combined with --cast or --attackers.');
  }
  const attackRounds = o.rounds ?? preset.rounds;
  checkNumber('--rounds', attackRounds, 1, 10_000_000);
  const castPath = o.embedded ? DEFAULT_PATHS.cast : (o.castPath ?? presetPath(preset.cast));
  const attackersPath = o.embedded ? DEFAULT_PATHS.attackers : (o.attackersPath ?? presetPath(preset.attackers));
  const benignRounds = benignOnTop(attackRounds, preset.benign_ratio);
  const total = attackRounds + benignRounds;
  const session = await startWargame({
    rounds: total,
    castPath,
    attackersPath,
    scenariosDir: o.scenariosDir,
    dbPath: o.dbPath,
    batchSize: o.batchSize,
    seed: o.seed,
    concurrency: o.concurrency,
    benignRatio: benignRounds / total,
    heal: preset.heal,
    command: 'reproduce',
    env: o.env ?? process.env,
    ...(o.emit ? { emit: o.emit } : {}),
    ...(o.stop ? { stop: o.stop } : {}),
    ...(o.abort ? { abort: o.abort } : {}),
  });
  const store = Store.open(o.dbPath, { mustExist: true });
  try {
    const report = buildRunReport(store, session.runId);
    const attackOutcomes = store.rounds.outcomes(session.runId, 'attack');
    const caveats: string[] = [];
    if (o.embedded) {
      caveats.push('Dry run on the embedded cast and attackers (rule-based detectors, template attacker; not LLMs): it checks the pipeline, it does not reproduce the published models.');
    } else {
      if (o.castPath !== undefined) caveats.push(`Cast overridden: ${o.castPath}.`);
      if (o.attackersPath !== undefined) caveats.push(`Attackers overridden: ${o.attackersPath}.`);
      for (const s of preset.substitutions) caveats.push(`Reconstruction: ${s}.`);
    }
    if (attackRounds !== preset.rounds) caveats.push(`${attackRounds} attack rounds instead of the published ${preset.rounds}: intervals are wider and later batches are missing.`);
    if (session.result.status !== 'completed') caveats.push(`The run ended ${session.result.status}: the figures cover the rounds played.`);
    return {
      runId: session.runId,
      preset,
      castPath,
      attackersPath,
      embedded: o.embedded,
      attackRounds,
      benignRounds,
      result: session.result,
      report,
      rows: sideBySide(preset, report, attackOutcomes),
      caveats,
    };
  } finally {
    store.close();
  }
}
