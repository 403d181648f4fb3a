/**
 * A defender's ROC AUC is over its own P(block) (issue 12 review, finding 2): the stored p_block
 * where it has one, its confidence turned into a probability otherwise, grouped by that value and
 * not by the round's swarm score.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Vote } from '../../src/domain.js';
import { buildRunReport } from '../../src/report/build.js';
import type { RunReport } from '../../src/report/types.js';
import { Store } from '../../src/store/store.js';
import { tempDir } from '../helpers/cli.js';
import { createCraftedRun, recordCrafted } from '../helpers/crafted-run.js';

const tmp = tempDir('hive-defender-auc-');
let store: Store;
let report: RunReport;

const vote = (defender: string, verdict: 'block' | 'allow', confidence: number | null, pBlock?: number): Vote => ({
  defender,
  verdict,
  confidence,
  reason: '',
  latencyMs: 1,
  promptTokens: 0,
  completionTokens: 0,
  ...(pBlock === undefined ? {} : { pBlock }),
});

/**
 * Defender p: P(block) 0.3 and 0.9 on two attacks, 0.5 on a benign round: AUC 0.5. Its
 * confidences say the opposite (0.9 in block on both attacks, 0.95 in allow on the benign one:
 * AUC 1), and both attacks have the same swarm score. Defender c has confidences only (0.8 and
 * 0.6 in block, 0.7 in allow: AUC 1); defender v has neither: no AUC.
 */
const ROUNDS: Array<{ kind: 'attack' | 'benign'; votes: Vote[] }> = [
  { kind: 'attack', votes: [vote('p', 'block', 0.9, 0.3), vote('c', 'block', 0.8), vote('v', 'block', null)] },
  { kind: 'benign', votes: [vote('p', 'allow', 0.95, 0.5), vote('c', 'allow', 0.7), vote('v', 'allow', null)] },
  { kind: 'attack', votes: [vote('p', 'block', 0.9, 0.9), vote('c', 'block', 0.6), vote('v', 'block', null)] },
];

beforeAll(() => {
  store = Store.open(join(tmp.dir, 'auc.db'));
  const defenders = ['p', 'c', 'v'].map((name) => ({ name, provider: 'embedded', host: null }));
  const id = createCraftedRun(store, { rounds: ROUNDS.length, batchSize: ROUNDS.length, defenders });
  ROUNDS.forEach((r, i) => recordCrafted(store, id, i + 1, ROUNDS.length, { kind: r.kind, outcome: r.kind === 'attack' ? 'DEFENDED' : 'TRUE_NEGATIVE', votes: r.votes }));
  report = buildRunReport(store, id);
});
afterAll(() => {
  store.close();
  tmp.cleanup();
});

describe("a defender's own ROC AUC", () => {
  it('is over its p_block, each value its own bin', () => {
    expect(report.defenders.find((d) => d.name === 'p')?.rocAuc).toBe(0.5);
  });
  it('falls back to the confidence turned into a probability', () => {
    expect(report.defenders.find((d) => d.name === 'c')?.rocAuc).toBe(1);
  });
  it('is null for a defender without p_block or confidence', () => {
    expect(report.defenders.find((d) => d.name === 'v')?.rocAuc).toBeNull();
  });
});
