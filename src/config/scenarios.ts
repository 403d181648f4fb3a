/**
 * A scenario folder: one `<category id>.yaml` per category (all 13), and optional shared files in
 * `shared/` (the healer's guard carrier documents; the embedded attacker's shared parts; the
 * embedded detectors' shared benign training texts). Every
 * text has one job (docs/numbers.md "Pools of text"); scenario files in the older shape (one
 * `benign` list) are split here, deterministically, with a notice.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { CATEGORY_IDS, type CategoryId } from '../categories.js';
import { ConfigError, errorMessage } from '../errors.js';
import { checkWith, readYamlFile } from './load.js';
import { BenignTrainingSchema, GuardCarriersSchema, ScenarioFileSchema, SharedAttackPartsSchema, type Scenario, type ScenarioFile, type SharedAttackParts } from './schemas.js';
import { attackPartsFile, cachedScenarioFolder, categoryFile, rememberScenarioFolder, SHARED_FILES } from './scenario-files.js';

export interface GuardDocument {
  genre: string;
  text: string;
}

export interface ScenarioFolder {
  dir: string;
  categories: ReadonlyMap<CategoryId, Scenario>;
  /** Benign documents in the guard only (shared/guard-carriers.yaml); empty when the folder has none. */
  guardCarriers: readonly GuardDocument[];
  /** The embedded attacker's shared parts (shared/attack-parts.yaml; the shipped ones when the folder has none). */
  attackParts: SharedAttackParts;
  /**
   * Benign requests and documents the embedded detectors learn from besides each category's
   * benign_training (shared/benign-training.json); empty when the folder has none.
   */
  benignTraining: readonly string[];
  /** What the user should know about how the folder was read (older shapes, missing shared files). */
  notices: readonly string[];
}

export { SHARED_FILES } from './scenario-files.js';

/**
 * An older scenario's single `benign` list dealt into the three pools by position: every fourth
 * text (from the first) trains detectors, every fourth (from the second) guards the healer, the
 * other half is scored. Positions, not content, so the split never depends on what the texts say.
 */
export function splitLegacyBenign(benign: readonly string[]): Pick<Scenario, 'benign_training' | 'benign_guard' | 'controls'> {
  return {
    benign_training: benign.filter((_, i) => i % 4 === 0),
    benign_guard: benign.filter((_, i) => i % 4 === 1),
    controls: benign.filter((_, i) => i % 4 >= 2),
  };
}

/** A parsed scenario file in hive's shape (the three pools always present). */
export function toScenario(file: ScenarioFile): Scenario {
  const pools = 'benign' in file ? splitLegacyBenign(file.benign) : { benign_training: file.benign_training, benign_guard: file.benign_guard, controls: file.controls };
  return {
    id: file.id,
    title: file.title,
    owasp: file.owasp,
    atlas: file.atlas,
    brief: file.brief,
    target: file.target,
    templates: file.templates ?? [],
    exemplars: file.exemplars,
    ...pools,
    attack: file.attack,
  };
}

export function loadScenario(file: string): { scenario: Scenario; legacy: boolean } {
  const parsed = checkWith(ScenarioFileSchema, readYamlFile(file, 'scenario'), file, 'scenario');
  const expected = basename(file).replace(/\.ya?ml$/, '');
  if (parsed.id !== expected) {
    throw new ConfigError(`scenario ${file} has id "${parsed.id}" but its file name says "${expected}"; make them match.`);
  }
  const scenario = toScenario(parsed);
  if (!scenario.attack && scenario.templates.length === 0) {
    throw new ConfigError(`scenario ${file} has neither attack parts (attack:) nor templates; the embedded attacker needs one of them.`);
  }
  return { scenario, legacy: 'benign' in parsed };
}

/**
 * Loads every category's scenario from `dir` (all 13 must be present) and its shared files. A
 * folder whose bytes were parsed before comes from the cache (src/config/scenario-files.ts).
 */
export function loadScenarios(dir: string): ScenarioFolder {
  // A file is said to be one (as a folder given for a file is), not "not found".
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    throw new ConfigError(`scenarios ${dir} is a file, not a folder; pass --scenarios DIR with one <category>.yaml per category (the shipped one is scenarios/).`);
  }
  if (!existsSync(dir)) {
    throw new ConfigError(`scenarios folder not found: ${dir}; pass --scenarios DIR with one <category>.yaml per category.`);
  }
  const { folder, key } = cachedScenarioFolder(dir);
  if (folder) return folder;
  const parsed = parseScenarios(dir);
  if (key !== undefined) rememberScenarioFolder(key, parsed);
  return parsed;
}

function parseScenarios(dir: string): ScenarioFolder {
  const present = new Set(readdirSync(dir));
  const categories = new Map<CategoryId, Scenario>();
  const legacy: string[] = [];
  for (const id of CATEGORY_IDS) {
    const file = categoryFile(dir, id, present);
    if (!file) throw new ConfigError(`scenarios folder ${dir} has no ${id}.yaml; every one of the 13 categories needs a file (see "hive categories").`);
    const { scenario, legacy: old } = loadScenario(file);
    categories.set(id, scenario);
    if (old) legacy.push(id);
  }
  const notices: string[] = [];
  if (legacy.length > 0) {
    notices.push(
      `scenarios in ${dir} use the older single "benign" list (${legacy.join(', ')}): each was split by position into detector training, healer guard and scored controls; give them benign_training, benign_guard and controls to choose.`,
    );
  }
  const carriersFile = join(dir, 'shared', SHARED_FILES.guardCarriers);
  const guardCarriers = existsSync(carriersFile) ? checkWith(GuardCarriersSchema, readYamlFile(carriersFile, 'guard carriers'), carriersFile, 'guard carriers').documents : [];
  const partsFile = attackPartsFile(dir);
  const attackParts = checkWith(SharedAttackPartsSchema, readYamlFile(partsFile, 'attack parts'), partsFile, 'attack parts');
  const trainingFile = join(dir, 'shared', SHARED_FILES.benignTraining);
  const training = existsSync(trainingFile) ? checkWith(BenignTrainingSchema, readJsonFile(trainingFile, 'benign training'), trainingFile, 'benign training') : undefined;
  const benignTraining = training ? [...training.requests, ...training.documents.map((d) => d.text)] : [];
  return { dir, categories, guardCarriers, attackParts, benignTraining, notices };
}

/** A JSON file of the folder (large data files are JSON: read at every start-up, and JSON.parse is fast). */
function readJsonFile(file: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (err) {
    throw new ConfigError(`${what} file ${file} is not valid JSON (${errorMessage(err)}); fix it or remove it.`);
  }
}

/** The healer's guard of a folder: each category's benign_guard, and the shared carrier documents. */
export function healerGuard(folder: ScenarioFolder): { texts: string[]; carriers: string[] } {
  return { texts: [...folder.categories.values()].flatMap((s) => s.benign_guard), carriers: folder.guardCarriers.map((d) => d.text) };
}
