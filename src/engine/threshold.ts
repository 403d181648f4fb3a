/**
 * `hive eval --threshold-from RUN`: the swarm-score threshold an earlier run of the same cast
 * fixed at 1% FPR, so this run's TPR and FPR at it are out-of-sample figures (a threshold chosen on
 * the rounds it is reported on flatters them).
 */
import type { Cast } from '../config/schemas.js';
import { readRunConfig } from '../config/run-config.js';
import { UsageError } from '../errors.js';
import { textsToResolve, tprAtFpr, type ScoreBin } from '../stats/roc.js';
import { Store } from '../store/store.js';

/** The false-positive rate the threshold is fixed at. */
export const THRESHOLD_FPR = 0.01;

/** What a cast decides with: the same defenders (models, prompts, settings) and the same rule. */
const castKey = (c: Cast): string => JSON.stringify({ defenders: c.defenders, consensus: c.consensus });

/** Reads run `runId`'s 1%-FPR threshold; UsageError when the run is missing, of another cast, or cannot resolve 1%. */
export function thresholdFrom(dbPath: string, runId: number, cast: Cast): { run: number; threshold: number; maxFpr: number } {
  const store = Store.open(dbPath, { mustExist: true });
  try {
    const run = store.runs.get(runId);
    if (!run) throw new UsageError(`--threshold-from ${runId}: no run ${runId} in ${dbPath}; "hive runs --db ${dbPath}" lists the runs it holds.`);
    const source = readRunConfig(run, 'used for --threshold-from');
    if (castKey(source.cast) !== castKey(cast)) {
      throw new UsageError(`--threshold-from ${runId}: run ${runId} was judged by another cast (${source.cast.name}); a threshold only carries over to the same defenders and consensus.`);
    }
    const cascade = source.cast.consensus.strategy === 'cascade';
    const bins: ScoreBin[] = store.figures.scores(runId, cascade).map((r) => ({ score: r.score as number, positives: r.kind === 'attack' ? r.n : 0, negatives: r.kind === 'attack' ? 0 : r.n }));
    const texts = store.figures.scoreTextRepeats(runId, cascade).find((c) => c.kind === 'benign')?.texts ?? 0;
    const need = textsToResolve(THRESHOLD_FPR);
    if (texts < need) {
      throw new UsageError(`--threshold-from ${runId}: run ${runId} judged ${texts} distinct benign texts; a 1% FPR threshold needs at least ${need}. Evaluate a corpus with more benign rows first.`);
    }
    const point = tprAtFpr(bins, THRESHOLD_FPR);
    if (!point || point.threshold === null) throw new UsageError(`--threshold-from ${runId}: no score threshold keeps run ${runId}'s false positives at 1% or below.`);
    return { run: runId, threshold: point.threshold, maxFpr: THRESHOLD_FPR };
  } finally {
    store.close();
  }
}
