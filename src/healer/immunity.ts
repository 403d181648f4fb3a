/**
 * Immunity files: the healer's state (patterns and antibodies, each with its provenance) as
 * versioned JSON, so a run can start where another left off. The format is a public contract
 * (docs/immunity.md): snake_case keys, checked by a strict zod schema on the way in, and written
 * in a canonical order so the same state always gives the same bytes.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { checkInputFile } from '../config/load.js';
import { z } from 'zod';
import { CATEGORY_IDS } from '../categories.js';
import { checkWith } from '../config/load.js';
import { ConfigError } from '../errors.js';
import { normalizeText } from '../util/normalize.js';

export const IMMUNITY_FORMAT = 'hive-immunity';
/**
 * 2: the file also lists the breaches its state was learned from (hash and MinHash signature of
 * each attack text), so a run that loads it can tell an instant block that repeats one of them.
 * Version-1 files are still read: they carry no breaches, and a run matches them by the text of
 * their antibodies only (reports say so).
 */
export const IMMUNITY_VERSION = 2;

const count = z.number().int().min(0);
const runId = z.number().int().positive().nullable();
const roundNo = z.number().int().min(0).nullable();

export const ImmunityPatternSchema = z.strictObject({
  /**
   * The literal, in the healer's normalised form (lower case, words separated by one space). As
   * long as the healer may learn (an n-gram of an encoded payload can be one long "word").
   */
  pattern: z.string().min(1).max(65_536),
  category: z.enum(CATEGORY_IDS).nullable(),
  /** Who first wrote it: the n-gram extractor, a druid defender, or a vaccine. */
  source: z.enum(['ngram', 'druid', 'vaccine']),
  /** The run and breach round it was learned from (null for vaccines). */
  run: runId,
  round: roundNo,
  /** Vaccines: the ATLAS or OWASP id the phrase was written from, and the vaccine's name. */
  technique: z.string().max(40).nullable(),
  vaccine: z.string().max(100).nullable(),
  /** Attack rounds it stopped, and benign controls it stopped, over every run it served in. */
  hits: count,
  false_positive_hits: count,
  /** Retired patterns blocked a benign control; they travel for the record but never screen again. */
  status: z.enum(['active', 'retired']),
});
export type ImmunityPattern = z.infer<typeof ImmunityPatternSchema>;

export const ImmunityAntibodySchema = z.strictObject({
  text: z.string().min(1).max(4000),
  category: z.enum(CATEGORY_IDS).nullable(),
  run: runId,
  round: roundNo,
  /** Of the normalised text: antibodies are deduplicated by it. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type ImmunityAntibody = z.infer<typeof ImmunityAntibodySchema>;

export const ImmunityBreachSchema = z.strictObject({
  run: runId,
  round: roundNo,
  /** sha256 of the attack text as it was stored (`attacks.sha256`). */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** MinHash signature of the text (src/healer/minhash.ts), 8 hex digits a slot. */
  signature: z.string().regex(/^[0-9a-f]{512}$/),
  /**
   * The embedded attacker's payload id of the breach (`attacks.payload`), null when its attacker
   * has none (an LLM attacker). Absent in files written before payload ids travelled: a run that
   * loads such a file cannot count its same-payload blocks, and its report says so.
   */
  payload: z.string().min(1).max(200).nullable().optional(),
});
export type ImmunityBreach = z.infer<typeof ImmunityBreachSchema>;

export const ImmunitySchema = z.strictObject({
  format: z.literal(IMMUNITY_FORMAT),
  /** 1 is read and upgraded (no breaches); files are written as IMMUNITY_VERSION. */
  version: z.union([z.literal(1), z.literal(IMMUNITY_VERSION)]),
  /** The runs whose healer state this holds, ascending. */
  runs: z.array(z.number().int().positive()),
  patterns: z.array(ImmunityPatternSchema).max(1_000_000),
  antibodies: z.array(ImmunityAntibodySchema).max(1_000_000),
  /** Version 2: the breaches the state was learned from. Absent in version 1. */
  breaches: z.array(ImmunityBreachSchema).max(1_000_000).optional(),
});
export type Immunity = z.infer<typeof ImmunitySchema>;

/** The dedupe key of a pattern: its normalised text without the word-boundary padding. */
export function patternKey(pattern: string): string {
  return normalizeText(pattern).trim();
}

export function antibodyHash(text: string): string {
  return createHash('sha256').update(normalizeText(text), 'utf8').digest('hex');
}

const nullsLast = (x: number | null): number => x ?? Number.MAX_SAFE_INTEGER;
const str = (x: string | null): string => x ?? '';
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Earliest provenance first: run, round, then the remaining fields, so ties are broken the same way everywhere. */
function compareOrigin(a: ImmunityPattern | ImmunityAntibody, b: ImmunityPattern | ImmunityAntibody): number {
  return (
    nullsLast(a.run) - nullsLast(b.run) ||
    nullsLast(a.round) - nullsLast(b.round) ||
    byText(str(a.category), str(b.category)) ||
    ('source' in a && 'source' in b ? byText(a.source, b.source) || byText(str(a.technique), str(b.technique)) || byText(str(a.vaccine), str(b.vaccine)) : 0)
  );
}

/** A pattern with its keys in schema order and its text normalised, so equal entries serialise equally. */
function cleanPattern(p: ImmunityPattern): ImmunityPattern {
  return { pattern: patternKey(p.pattern), category: p.category, ...patternOrigin(p), status: p.status };
}

/** Where a pattern came from and what it did, in schema order: the provenance a loaded pattern's event carries. */
export function patternOrigin(p: ImmunityPattern): Omit<ImmunityPattern, 'pattern' | 'category' | 'status'> {
  return {
    source: p.source,
    run: p.run,
    round: p.round,
    technique: p.technique,
    vaccine: p.vaccine,
    hits: p.hits,
    false_positive_hits: p.false_positive_hits,
  };
}

function cleanAntibody(a: ImmunityAntibody): ImmunityAntibody {
  return { text: a.text, category: a.category, run: a.run, round: a.round, sha256: antibodyHash(a.text) };
}

/** Puts a state into canonical form: patterns sorted by text, antibodies by provenance, runs ascending. */
export function canonical(im: Immunity): Immunity {
  const breaches = new Map<string, ImmunityBreach>();
  for (const b of im.breaches ?? []) {
    const entry: ImmunityBreach = { run: b.run, round: b.round, sha256: b.sha256, signature: b.signature, ...(b.payload === undefined ? {} : { payload: b.payload }) };
    const held = breaches.get(b.sha256);
    if (!held || nullsLast(entry.run) - nullsLast(held.run) < 0 || (entry.run === held.run && nullsLast(entry.round) - nullsLast(held.round) < 0)) breaches.set(b.sha256, entry);
  }
  return {
    format: IMMUNITY_FORMAT,
    // A version-1 state stays version 1 until it carries breaches: its file said nothing about them.
    version: im.version === 1 && !im.breaches ? 1 : IMMUNITY_VERSION,
    runs: [...new Set(im.runs)].sort((a, b) => a - b),
    patterns: im.patterns.map(cleanPattern).sort((a, b) => byText(a.pattern, b.pattern) || compareOrigin(a, b)),
    antibodies: im.antibodies.map(cleanAntibody).sort((a, b) => compareOrigin(a, b) || byText(a.sha256, b.sha256)),
    ...(im.version === 1 && !im.breaches
      ? {}
      : { breaches: [...breaches.values()].sort((a, b) => nullsLast(a.run) - nullsLast(b.run) || nullsLast(a.round) - nullsLast(b.round) || byText(a.sha256, b.sha256)) }),
  };
}

/**
 * Merges immunity states. The result does not depend on the order of the inputs: patterns are
 * deduplicated by their normalised text, keep the earliest provenance, sum their hits and
 * false-positive hits, and are retired if retired anywhere (a known false positive stays known);
 * antibodies are deduplicated by the hash of their normalised text and keep the earliest
 * provenance. An entry that appears identically in two inputs (the same file given twice) counts
 * once, so merging a file with itself changes nothing.
 */
export function mergeImmunity(inputs: readonly Immunity[]): Immunity {
  const patterns = new Map<string, Map<string, ImmunityPattern>>();
  for (const im of inputs) {
    for (const p of im.patterns) {
      const entry = cleanPattern(p);
      const key = entry.pattern;
      if (key.length === 0) continue;
      let same = patterns.get(key);
      if (!same) patterns.set(key, (same = new Map()));
      same.set(JSON.stringify(entry), entry);
    }
  }
  const mergedPatterns: ImmunityPattern[] = [];
  for (const entries of patterns.values()) {
    const list = [...entries.values()].sort(compareOrigin);
    const first = list[0] as ImmunityPattern;
    mergedPatterns.push({
      ...first,
      hits: list.reduce((n, p) => n + p.hits, 0),
      false_positive_hits: list.reduce((n, p) => n + p.false_positive_hits, 0),
      status: list.some((p) => p.status === 'retired') ? 'retired' : 'active',
    });
  }
  const antibodies = new Map<string, ImmunityAntibody>();
  for (const im of inputs) {
    for (const a of im.antibodies) {
      const entry = cleanAntibody(a);
      const sha = entry.sha256;
      const held = antibodies.get(sha);
      if (!held || compareOrigin(entry, held) < 0 || (compareOrigin(entry, held) === 0 && byText(entry.text, held.text) < 0)) antibodies.set(sha, entry);
    }
  }
  // Breaches travel as the union of the inputs'; version-1 inputs carried none.
  const known = inputs.filter((im) => im.breaches !== undefined);
  return canonical({
    format: IMMUNITY_FORMAT,
    version: known.length === 0 ? 1 : IMMUNITY_VERSION,
    runs: inputs.flatMap((im) => im.runs),
    patterns: mergedPatterns,
    antibodies: [...antibodies.values()],
    ...(known.length === 0 ? {} : { breaches: known.flatMap((im) => im.breaches ?? []) }),
  });
}

/** Reads and checks an immunity file; every problem is one ConfigError line naming the file. */
export function readImmunityFile(file: string): Immunity {
  checkInputFile(file, 'immunity', `write one with "hive immunity export <run> --out ${file}"`);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    // V8 quotes a snippet of the text ('Unexpected token x, "{\n  "a…" is not valid JSON'): cut at
    // its first newline it ends mid-quote, so the snippet is left out and the rest kept on one line.
    const reason = (err instanceof Error ? err.message : String(err)).replace(/, "[\s\S]*" is not valid JSON$/, '').replace(/\s+/g, ' ').trim();
    throw new ConfigError(`immunity file ${file} is not valid JSON: ${reason}; export it again.`);
  }
  if (typeof value === 'object' && value !== null && (value as { format?: unknown }).format === IMMUNITY_FORMAT) {
    const version = (value as { version?: unknown }).version;
    if (typeof version === 'number' && version > IMMUNITY_VERSION) {
      throw new ConfigError(`immunity file ${file} is format version ${version}, newer than this hive reads (${IMMUNITY_VERSION}); upgrade hive.`);
    }
  }
  return canonical(checkWith(ImmunitySchema, value, file, 'immunity file', 'export it again with "hive immunity export".'));
}

/** Canonical JSON: two-space indent, trailing newline, keys in schema order. */
export function formatImmunity(im: Immunity): string {
  return `${JSON.stringify(canonical(im), null, 2)}\n`;
}
