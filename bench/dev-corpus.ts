/**
 * The development corpus (corpora/dev, README there) as the detector bench reads it: rows of one
 * half, grouped into the kinds the bench reports on. Only the bench and the pool tests read this
 * folder; no detector, classifier or calibration does.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/config/paths.js';
import { deriveSeed, Rng } from '../src/util/random.js';

/** The corpus's own split of a row. */
export type Half = 'tune' | 'report';
/** What the bench measures: a half, or one of the tuning half's two folds (tuneFold). */
export type Part = Half | 'tune-a' | 'tune-b';

export interface DevRow {
  id: string;
  kind: 'everyday_request' | 'hard_negative' | 'benign_document' | 'attack' | 'injected_document';
  genre: string;
  lang: string;
  label: 'attack' | 'benign';
  text: string;
  obfuscation?: string;
  split: Half;
}

export const DEV_DIR = join(PACKAGE_ROOT, 'corpora', 'dev');

/** Every row of the corpus, and the sha256 of its files concatenated in name order (as the README gives it). */
export function readDevCorpus(dir = DEV_DIR): { rows: DevRow[]; sha256: string } {
  const hash = createHash('sha256');
  const rows: DevRow[] = [];
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.jsonl')).sort()) {
    const body = readFileSync(join(dir, f));
    hash.update(body);
    for (const line of body.toString('utf8').split('\n')) if (line.trim()) rows.push(JSON.parse(line) as DevRow);
  }
  return { rows, sha256: hash.digest('hex') };
}

/** Seed of the tuning half's fold split; fixed so that fold B stays unseen from one change to the next. */
const FOLD_SEED = deriveSeed('corpora/dev', 'tune folds', 1);

/**
 * The tuning half's rows in fold A or fold B: within each stratum (kind, attack style, English or not,
 * obfuscated or not: every kind the bench reports keeps its share) the rows in id order are shuffled
 * with a fixed seed and dealt alternately. Fold A is worked on row by row (`--failures`);
 * fold B is read only as aggregate figures, to judge whether a change carries over to text it was
 * not fitted to. Deterministic: the same corpus gives the same folds.
 */
export function tuneFold(rows: readonly DevRow[], fold: 'a' | 'b'): DevRow[] {
  const strata = new Map<string, DevRow[]>();
  for (const r of rows) {
    if (r.split !== 'tune') continue;
    const key = `${r.kind}|${r.kind === 'attack' ? r.genre : ''}|${r.lang === 'en' ? 'en' : 'other'}|${r.obfuscation === undefined ? '' : 'obf'}`;
    strata.set(key, [...(strata.get(key) ?? []), r]);
  }
  const keep = new Set<string>();
  // Dealing continues across strata, so the odd row of one stratum goes to A and of the next to B.
  let dealt = 0;
  for (const key of [...strata.keys()].sort()) {
    const members = [...(strata.get(key) as DevRow[])].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
    for (const r of new Rng(deriveSeed(FOLD_SEED, key)).shuffle(members)) if ((dealt++ % 2 === 0) === (fold === 'a')) keep.add(r.id);
  }
  return rows.filter((r) => keep.has(r.id));
}

/** The rows of one part of the corpus: a half, or a fold of the tuning half. */
export function rowsOfPart(rows: readonly DevRow[], part: Part): DevRow[] {
  if (part === 'tune-a') return tuneFold(rows, 'a');
  if (part === 'tune-b') return tuneFold(rows, 'b');
  return rows.filter((r) => r.split === part);
}

/** A named group of rows of one label: the unit every figure of the bench is given for. */
export interface KindGroup {
  name: string;
  label: 'attack' | 'benign';
  rows: DevRow[];
}

/**
 * The kinds of the issue, in print order: the three benign kinds, attacks by style, attacks in
 * other languages and obfuscated attacks (across styles), injected documents, then totals.
 */
export function kindGroups(rows: readonly DevRow[]): KindGroup[] {
  const of = (name: string, label: KindGroup['label'], keep: (r: DevRow) => boolean): KindGroup => ({ name, label, rows: rows.filter(keep) });
  const attacks = rows.filter((r) => r.kind === 'attack');
  const styles = [...new Set(attacks.map((r) => r.genre))].sort();
  return [
    of('everyday requests', 'benign', (r) => r.kind === 'everyday_request'),
    of('hard negatives', 'benign', (r) => r.kind === 'hard_negative'),
    of('benign documents', 'benign', (r) => r.kind === 'benign_document'),
    ...styles.map((s) => of(`attacks: ${s}`, 'attack', (r) => r.kind === 'attack' && r.genre === s)),
    of('attacks in other languages', 'attack', (r) => r.kind === 'attack' && r.lang !== 'en'),
    of('obfuscated attacks', 'attack', (r) => r.kind === 'attack' && r.obfuscation !== undefined),
    of('injected documents', 'attack', (r) => r.kind === 'injected_document'),
    of('all attacks (attacks + injected)', 'attack', (r) => r.label === 'attack'),
    of('all benign', 'benign', (r) => r.label === 'benign'),
  ];
}
