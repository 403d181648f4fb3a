/**
 * The development corpus (corpora/dev, README there) as the detector bench reads it: rows of one
 * half, grouped into the kinds the bench reports on. Only the bench and the pool tests read this
 * folder; no detector, classifier or calibration does.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/config/paths.js';

export type Half = 'tune' | 'report';

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
