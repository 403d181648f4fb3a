/**
 * `hive report --format json`: the typed report (src/report/types.ts) mapped to the JSON contract
 * of docs/numbers.md by one rule, at run time and, for scripts and tests that read it, at the
 * type level (`ReportJson`). The rule, key by key:
 *
 * - camelCase keys become snake_case; an outcome (`DEFENDED`) becomes lower case (`defended`);
 * - a `Rate` under `x` becomes `x` (the fraction, null when n is 0) and `x_ci` ([low, high]);
 * - an `Interval` becomes [low, high]; an undefined one (a null `…Ci`) is [0, 1], nothing known;
 * - the outcome `counts` of a group stand in the group itself, beside its rates.
 *
 * And the exceptions the contract needs: `ERROR` is `errors`; the counts beside some rates have
 * names of their own (RATE_COUNTS); `totals` repeats the headline score figures. Adding keys is
 * compatible; renaming or removing one is a new REPORT_VERSION.
 */
import type { Interval, Rate } from '../../stats/wilson.js';
import type { RunReport, RunSubject, ScoreFigures } from '../types.js';
import { textFormat, type Format } from './registry.js';

export const REPORT_VERSION = 1;

/** A 95% interval: [low, high]. */
export type Ci = [number, number];

/** Keys the case rule does not give. */
const RENAMED = { ERROR: 'errors' } as const;

/**
 * The contract's names for a rate's counts (k of n), by the rate's key, or by the key of the list
 * that holds it and the rate's key where one name means two things. Counts the contract already
 * holds under their own key (valid_attacks, breached…) are not repeated.
 */
const RATE_COUNTS = {
  swarm_defence_rate: { n: 'swarm_judged_attacks' },
  false_positive_rate: { n: 'judged_benign' },
  'defenders.detect_rate': { n: 'attack_answers', k: 'attack_blocks' },
  'defenders.false_positive_rate': { n: 'benign_answers', k: 'benign_blocks' },
  'operating_points.tpr': { k: 'true_positives' },
  'operating_points.fpr': { k: 'false_positives' },
  'defence_after_attempts.rate': { n: 'n', k: 'defended' },
} as const satisfies Record<string, { n?: string; k?: string }>;

type RateCounts = typeof RATE_COUNTS;
type CountNames = { readonly n?: string; readonly k?: string };

type SnakeCase<S extends string> = S extends `${infer H}${infer T}` ? `${H extends Lowercase<H> ? H : `_${Lowercase<H>}`}${SnakeCase<T>}` : S;

/** The contract's name of a key of the typed report. */
export type ContractKey<K extends string> = K extends keyof typeof RENAMED ? (typeof RENAMED)[K] : K extends Uppercase<K> ? Lowercase<K> : SnakeCase<K>;

type CountsOf<N extends string, Ctx extends string> = `${Ctx}.${N}` extends keyof RateCounts ? RateCounts[`${Ctx}.${N}`] : N extends keyof RateCounts ? RateCounts[N] : object;
type CountKey<N extends string, Ctx extends string, P extends 'n' | 'k'> = CountsOf<N, Ctx> extends { readonly [Q in P]: infer S extends string } ? S : never;

/** The JSON of a typed value `T`; `Ctx`: the contract key that holds it (for RATE_COUNTS). */
export type Contract<T, Ctx extends string = ''> = T extends Interval ? Ci : T extends readonly (infer E)[] ? Array<Contract<E, Ctx>> : T extends object ? ObjectContract<T, Ctx> : T;

type ObjectContract<T, Ctx extends string> = {
  [K in keyof T as K extends 'counts' ? never : T[K] extends Rate ? never : K extends string ? ContractKey<K> : never]: K extends string
    ? ContractKey<K> extends `${string}_ci`
      ? Ci
      : Contract<T[K], ContractKey<K>>
    : never;
} & { [K in keyof T as T[K] extends Rate ? (K extends string ? ContractKey<K> : never) : never]: number | null } & {
  [K in keyof T as T[K] extends Rate ? (K extends string ? `${ContractKey<K>}_ci` : never) : never]: Ci;
} & { [K in keyof T as T[K] extends Rate ? (K extends string ? CountKey<ContractKey<K>, Ctx, 'n'> : never) : never]: number } & {
  [K in keyof T as T[K] extends Rate ? (K extends string ? CountKey<ContractKey<K>, Ctx, 'k'> : never) : never]: number;
} & (T extends { counts: infer C } ? Contract<C, Ctx> : unknown);

/** The headline score figures `totals` repeats from `scores`: one TPR per REPORTED_FPRS (1% and 5%). */
type HeadlineScores = { roc_auc: number | null } & Record<'tpr_at_1pct_fpr' | 'tpr_at_5pct_fpr', number | null> &
  Record<'tpr_at_1pct_fpr_ci' | 'tpr_at_5pct_fpr_ci', Ci>;

/** The whole contract of `hive report --format json`. */
export type ReportJson = { report_version: number } & Omit<Contract<RunReport>, 'totals'> & { totals: Contract<RunReport['totals'], 'totals'> & HeadlineScores };

/** The contract of one group of rounds (totals, a batch, a category, a source…). */
export type FiguresJson = Contract<RunReport['totals']>;

/** The contract's name of a key of the typed report (the run-time side of `ContractKey`). */
export function contractKey(key: string): string {
  if (Object.hasOwn(RENAMED, key)) return RENAMED[key as keyof typeof RENAMED];
  if (key === key.toUpperCase()) return key.toLowerCase();
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

const ci = (i: Interval): Ci => [i.low, i.high];

const hasExactly = (v: object, keys: readonly string[]): boolean => {
  const own = Object.keys(v);
  return own.length === keys.length && keys.every((k) => own.includes(k));
};
const isInterval = (v: object): v is Interval => hasExactly(v, ['low', 'high']);
const isRate = (v: object): v is Rate => hasExactly(v, ['k', 'n', 'rate', 'ci']);

/** Maps a typed value by the rule above; `context`: the contract key that holds it. */
export function toContract(value: unknown, context = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => toContract(v, context));
  if (value === null || typeof value !== 'object') return value;
  if (isInterval(value)) return ci(value);
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    if (key === 'counts') {
      Object.assign(out, toContract(v, context));
      continue;
    }
    const name = contractKey(key);
    if (v !== null && typeof v === 'object' && isRate(v)) {
      const counts: CountNames | undefined = (RATE_COUNTS as Record<string, CountNames>)[`${context}.${name}`] ?? (RATE_COUNTS as Record<string, CountNames>)[name];
      if (counts?.n) out[counts.n] = v.n;
      if (counts?.k) out[counts.k] = v.k;
      out[name] = v.rate;
      out[`${name}_ci`] = ci(v.ci);
    } else if (v === null && name.endsWith('_ci')) {
      out[name] = [0, 1];
    } else {
      out[name] = toContract(v, name);
    }
  }
  return out;
}

function headlineScores(s: ScoreFigures): Record<string, unknown> {
  const out: Record<string, unknown> = { roc_auc: s.rocAuc };
  for (const p of s.operatingPoints) {
    const key = `tpr_at_${Math.round(p.maxFpr * 100)}pct_fpr`;
    out[key] = p.tpr.rate;
    out[`${key}_ci`] = ci(p.tpr.ci);
  }
  return out;
}

/** The report as the JSON contract. */
export function reportJson(r: RunReport): ReportJson {
  const mapped = toContract(r) as Record<string, unknown>;
  return { report_version: REPORT_VERSION, ...mapped, totals: { ...(mapped.totals as object), ...headlineScores(r.scores) } } as unknown as ReportJson;
}

/**
 * JSON text, two-space indented. JSON.stringify already escapes C0 controls; C1 controls and bidi
 * overrides (which can reorder what a terminal shows) are escaped too, losslessly, so untrusted
 * text in patterns or sources cannot play tricks when the JSON is printed.
 */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export const jsonFormat: Format<RunSubject> = textFormat('json', ['.json'], (s) => jsonText(reportJson(s.report())));
