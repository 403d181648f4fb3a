/**
 * How each column of hive's terminal tables gives way when a table does not fit its terminal
 * (src/report/render/layout.ts), keyed by heading, so every table with a "breached" column treats
 * it alike. priority 0 is never left out; higher numbers go first. A heading not listed here is
 * left out early (DEFAULT_PRIORITY): a new column needs one line here to say how much it matters.
 * At 80 columns a batch row keeps batch, rounds, attacks, breached, defence with its interval,
 * benign, false positives and errors.
 */
import { ATLAS_VERSION } from '../../categories.js';
import type { ColumnSpec } from './layout.js';

type Hint = Pick<ColumnSpec, 'priority' | 'short' | 'shrink'>;

export const DEFAULT_PRIORITY = 3;

export const COLUMN_HINTS: Readonly<Record<string, Hint>> = {
  // Counts and rates of runs, batches and groups.
  batch: { priority: 0 },
  rounds: { priority: 0 },
  attacks: { priority: 0 },
  defended: { priority: 3 },
  instant: { priority: 3 },
  breached: { priority: 0, short: 'breach' },
  refused: { priority: 4 },
  errors: { priority: 0 },
  'defence % [95% CI]': { priority: 0, short: 'defence [CI]' },
  benign: { priority: 0 },
  'false pos': { priority: 0, short: 'FP' },
  'FP % [95% CI]': { priority: 1, short: 'FP [CI]' },
  'bal. acc.': { priority: 5 },
  // Clipped only where a table cannot fit otherwise (a category table at 80 columns).
  category: { priority: 0, shrink: 'clip' },
  'rounds played as': { priority: 0, shrink: 'wrap' },
  'defended/n': { priority: 1 },
  'breached at this attempt': { priority: 2, short: 'breached at' },
  source: { priority: 0, shrink: 'clip' },
  // Figure tables (totals, scores, healer, held-out phase, reproduce).
  figure: { priority: 0, shrink: 'wrap' },
  value: { priority: 0 },
  '95% CI': { priority: 0 },
  counts: { priority: 0, shrink: 'wrap' },
  // Defenders and attackers.
  defender: { priority: 0, shrink: 'clip' },
  attacker: { priority: 0, shrink: 'clip' },
  model: { priority: 2, shrink: 'clip' },
  'rounds judged': { priority: 3, short: 'rounds' },
  'detect % [95% CI]': { priority: 0, short: 'detect [CI]' },
  'abstain %': { priority: 2, short: 'abst.' },
  'median ms': { priority: 3, short: 'ms' },
  'tokens in/out': { priority: 4, short: 'tokens' },
  'refusal % [95% CI]': { priority: 4, short: 'refusal [CI]' },
  'breach % [95% CI]': { priority: 3, short: 'breach [CI]' },
  // Learned patterns and the learning curve.
  id: { priority: 0 },
  pattern: { priority: 0, shrink: 'clip' },
  learned: { priority: 5 },
  'from round': { priority: 4, short: 'from' },
  'attacks stopped': { priority: 0, short: 'stopped' },
  'benign stopped': { priority: 1, short: 'benign' },
  retired: { priority: 2 },
  'valid attacks': { priority: 0, short: 'valid' },
  'healer blocked': { priority: 0, short: 'healer' },
  'swarm blocked': { priority: 0, short: 'swarm' },
  'healer FP': { priority: 1, short: 'h. FP' },
  'swarm FP': { priority: 1, short: 's. FP' },
  'new patterns': { priority: 2, short: 'new' },
  calls: { priority: 0 },
  share: { priority: 0 },
  'per round': { priority: 0 },
  // hive runs.
  command: { priority: 0 },
  status: { priority: 0, shrink: 'wrap' },
  created: { priority: 4 },
  cast: { priority: 0, shrink: 'clip' },
  attackers: { priority: 2, shrink: 'clip' },
  categories: { priority: 3, shrink: 'clip' },
  healer: { priority: 2 },
  'replay of': { priority: 2, short: 'of' },
  seed: { priority: 5 },
  // hive doctor, one row per host.
  host: { priority: 0, shrink: 'clip' },
  provider: { priority: 3 },
  models: { priority: 0, shrink: 'wrap' },
  state: { priority: 0, shrink: 'wrap' },
  // hive categories, immunity show, reproduce.
  title: { priority: 0, shrink: 'wrap' },
  OWASP: { priority: 1 },
  [`ATLAS ${ATLAS_VERSION}`]: { priority: 2, shrink: 'wrap' },
  from: { priority: 2 },
  hits: { priority: 0 },
  'FP hits': { priority: 1 },
  antibody: { priority: 0, shrink: 'clip' },
  published: { priority: 0 },
  measured: { priority: 0 },
  'published inside CI?': { priority: 0, short: 'inside?' },
  preset: { priority: 0 },
  configuration: { priority: 2, shrink: 'wrap' },
  'published defence': { priority: 0, short: 'published' },
  // hive compare.
  scope: { priority: 0, shrink: 'clip' },
  'defence A': { priority: 0 },
  'defence B': { priority: 0 },
  'FPR A': { priority: 0 },
  'FPR B': { priority: 0 },
  'Δ B−A': { priority: 0 },
  'Δ B−A [95% CI]': { priority: 0, short: 'Δ [CI]' },
  'A-only / B-only': { priority: 2, short: 'A/B only' },
  p: { priority: 0 },
  'Holm p': { priority: 1, short: 'Holm' },
  'p (z)': { priority: 0 },
  round: { priority: 0 },
  kind: { priority: 2 },
  A: { priority: 0 },
  B: { priority: 0 },
  input: { priority: 0, shrink: 'clip' },
};

/** The spec of a column headed `head`. */
export function columnSpec(head: string, numeric: boolean): ColumnSpec {
  return { head, align: numeric ? 'right' : 'left', ...(COLUMN_HINTS[head] ?? { priority: DEFAULT_PRIORITY }) };
}
