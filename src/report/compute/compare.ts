/**
 * `hive compare <runA> <runB>`: is B better or worse than A, beyond chance?
 *
 * Paired when both runs judged the same inputs: B replays A (or A replays B), both replay one
 * source (any depth), or, failing that, every round's input has the same SHA-256 on both sides
 * (two evals of one corpus, two embedded wargames with one seed). Paired rounds are matched by
 * round number and must carry the same input hash and kind; rounds valid on both sides (attacks:
 * DEFENDED, INSTANT_BLOCKED or BREACHED; benign: TRUE_NEGATIVE or FALSE_POSITIVE) are compared,
 * with McNemar's exact test taking the text as the unit (a text judged in several rounds is one
 * pair: see PairedFigureTally). Rates in the paired table are over those common rounds, so the
 * difference is exactly (B-only − A-only) / n; their intervals carry the design effect of the
 * repeated texts.
 *
 * Anything else is compared unpaired, from each run's own report (src/report/build.ts): the
 * difference of two independent proportions with Newcombe's interval and a two-proportion z-test.
 */
import type { Outcome, RoundKind } from '../../domain.js';
import { tryReadRunConfig } from '../../config/run-config.js';
import { UsageError } from '../../errors.js';
import { mcnemarExact } from '../../stats/mcnemar.js';
import { compareProportions, holm } from '../../stats/two-proportion.js';
import { designEffectOf, rateByText, repeatsOf } from '../../stats/text-unit.js';
import { rate, type Rate } from '../../stats/wilson.js';
import type { Store } from '../../store/store.js';
import { buildRunReport, categoryOrder, storedRun } from '../build.js';
import type { GroupFigures } from '../types.js';
import type { ComparedRun, Comparison, Flip, PairedFigure, PairedGroup, Pairing, UnpairedFigure, UnpairedGroup } from './types.js';

export const OVERALL = 'overall';

interface RoundRow {
  round: number;
  kind: RoundKind;
  category: string;
  attacker: string;
  outcome: Outcome;
  sha256: string;
}

const BLOCKED = new Set<Outcome>(['DEFENDED', 'INSTANT_BLOCKED', 'FALSE_POSITIVE']);
const VALID: Record<RoundKind, ReadonlySet<Outcome>> = {
  attack: new Set<Outcome>(['DEFENDED', 'INSTANT_BLOCKED', 'BREACHED']),
  benign: new Set<Outcome>(['TRUE_NEGATIVE', 'FALSE_POSITIVE']),
};

function describe(store: Store, runId: number): ComparedRun {
  const row = storedRun(store, runId);
  const config = tryReadRunConfig(row);
  return { id: row.id, kind: row.kind, castName: row.castName, healer: config?.options.heal ?? false, replayOf: row.replayOf, root: store.runs.rootOf(runId), rounds: row.roundsDone };
}

/** One text of a paired figure: its rounds valid on both sides and how many of them each side blocked. */
interface PairedText {
  rounds: number;
  a: number;
  b: number;
}

/**
 * One figure's paired rounds, kept by text: the text is the unit (docs/compare.md). A text counts
 * for A when A blocked more of its rounds than B did, for B the other way round; McNemar's exact
 * test runs on those discordant texts (an exact sign test over texts), so with every text once it
 * is the plain exact McNemar over rounds.
 */
class PairedFigureTally {
  private readonly texts = new Map<string, PairedText>();

  add(sha256: string, aBlocked: boolean, bBlocked: boolean): void {
    const t = this.texts.get(sha256) ?? { rounds: 0, a: 0, b: 0 };
    t.rounds += 1;
    if (aBlocked) t.a += 1;
    if (bBlocked) t.b += 1;
    this.texts.set(sha256, t);
  }

  figure(): PairedFigure {
    // Rounds (n, blocked by a, by b, by one side only) and texts that one side blocked more often.
    const sum = { n: 0, a: 0, b: 0, aOnly: 0, bOnly: 0, aTexts: 0, bTexts: 0 };
    for (const t of this.texts.values()) {
      sum.n += t.rounds;
      sum.a += t.a;
      sum.b += t.b;
      // Rounds one side blocked and the other did not: within a text, the surplus of one side.
      if (t.a > t.b) {
        sum.aOnly += t.a - t.b;
        sum.aTexts += 1;
      } else if (t.b > t.a) {
        sum.bOnly += t.b - t.a;
        sum.bTexts += 1;
      }
    }
    const { n, a, b, aOnly, bOnly, aTexts, bTexts } = sum;
    const repeats = repeatsOf([...this.texts.values()].map((t) => t.rounds));
    return {
      n,
      distinctTexts: repeats.texts,
      designEffect: designEffectOf(repeats),
      a: rateByText(a, n, repeats),
      b: rateByText(b, n, repeats),
      difference: n > 0 ? (b - a) / n : null,
      aOnly,
      bOnly,
      mcnemar: mcnemarExact(aTexts, bTexts),
      pHolm: null,
    };
  }
}

class PairedTally {
  private readonly attack = new PairedFigureTally();
  private readonly benign = new PairedFigureTally();
  private oneSide = 0;

  add(kind: RoundKind, sha256: string, a: Outcome, b: Outcome): void {
    const va = VALID[kind].has(a);
    const vb = VALID[kind].has(b);
    if (va !== vb) this.oneSide += 1;
    if (!va || !vb) return;
    (kind === 'attack' ? this.attack : this.benign).add(sha256, BLOCKED.has(a), BLOCKED.has(b));
  }

  group(scope: string): PairedGroup {
    return { scope, defence: this.attack.figure(), falsePositive: this.benign.figure(), validOnOneSide: this.oneSide };
  }
}

function isFlip(kind: RoundKind, a: Outcome, b: Outcome): boolean {
  return VALID[kind].has(a) && VALID[kind].has(b) && BLOCKED.has(a) !== BLOCKED.has(b);
}

/** `a` is `b` or starts it: a replay judges a recording's turns in order and may stop sooner. */
const startsWith = (b: readonly string[], a: readonly string[]): boolean => a.length <= b.length && a.every((h, i) => h === b[i]);

/**
 * Pairs rounds by number when their inputs are the same. A conversation or iterative round
 * (`seqA`, `seqB`: the hashes of every user turn or attempt it played) pairs, between runs of one
 * recording (basis `replay`), when one sequence starts the other — both judged the same recorded
 * turns, one stopped sooner — and counts as judged on recorded pressure. Between runs not related
 * by replay (two live wargames, each attacker adapting to its own cast) it pairs when its first
 * input is the same: the unit is the round — the same opening by the same attacker — and its
 * outcome is how each cast held against that attacker adapting to it. Leaving out the rounds whose
 * later turns differ would keep a selection that depends on the verdicts (those are where the
 * casts disagree most), so they stay in and are counted (`sequencesDiffer`) for the label.
 */
function pairRounds(
  ra: RoundRow[],
  rb: RoundRow[],
  basis: 'replay' | 'identical-inputs' | null,
  seqA: ReadonlyMap<number, readonly string[]> = new Map(),
  seqB: ReadonlyMap<number, readonly string[]> = new Map(),
): { pairing: Pairing; pairs: Array<[RoundRow, RoundRow]> } {
  const byRound = new Map(rb.map((r) => [r.round, r]));
  const pairs: Array<[RoundRow, RoundRow]> = [];
  let mismatched = 0;
  let recordedPressure = 0;
  let sequencesDiffer = 0;
  let sequencesPaired = 0;
  for (const a of ra) {
    const b = byRound.get(a.round);
    if (!b) continue;
    const sa = seqA.get(a.round);
    const sb = seqB.get(b.round);
    if (a.kind !== b.kind || (sa === undefined) !== (sb === undefined) || (sa === undefined && a.sha256 !== b.sha256)) mismatched += 1;
    else if (sa === undefined || sb === undefined) pairs.push([a, b]);
    else if (sa[0] !== sb[0]) mismatched += 1;
    else if (basis === 'replay') {
      if (startsWith(sa, sb) || startsWith(sb, sa)) {
        pairs.push([a, b]);
        recordedPressure += 1;
      } else mismatched += 1;
    } else {
      pairs.push([a, b]);
      if (sa.length === sb.length && startsWith(sa, sb)) sequencesPaired += 1;
      else sequencesDiffer += 1;
    }
  }
  const common = pairs.length + mismatched;
  const unmatched = ra.length - common + (rb.length - common);
  if (basis === null) {
    // Not related by replay: paired only when every round opens with the same input (a sequence
    // adapted to each cast may differ after it: still paired, the round being the unit).
    if (mismatched > 0 || unmatched > 0 || pairs.length === 0) {
      return { pairing: { paired: false, reason: 'the runs are not replays of one source and their inputs differ' }, pairs: [] };
    }
    basis = 'identical-inputs';
  }
  if (pairs.length === 0) return { pairing: { paired: false, reason: 'no round holds the same input in both runs' }, pairs: [] };
  return { pairing: { paired: true, basis, rounds: pairs.length, unmatched, mismatched, recordedPressure, sequencesPaired, sequencesDiffer }, pairs };
}

/**
 * Two rates as independent proportions: their difference with Newcombe's interval and the p-value
 * of that interval. With the text as the unit, each side's counts shrink by its design effect
 * (Kish's effective sample size, as its own interval does); the difference is unchanged.
 */
export function unpairedFigure(a: Rate, b: Rate, deffA = 1, deffB = 1): UnpairedFigure {
  const da = Math.max(1, deffA);
  const db = Math.max(1, deffB);
  return { a, b, comparison: compareProportions(a.k / da, a.n / da, b.k / db, b.n / db), pHolm: null };
}

/**
 * Holm's correction over the category rows (the overall row, first, is its own test): each
 * figure's p-values form one family, so "some category differs" keeps its 5% error rate.
 */
function withHolm<G extends { defence: { pHolm: number | null }; falsePositive: { pHolm: number | null } }>(groups: G[], p: (f: G['defence'] | G['falsePositive']) => number | null): G[] {
  const categories = groups.slice(1);
  const defence = holm(categories.map((g) => p(g.defence)));
  const falsePositive = holm(categories.map((g) => p(g.falsePositive)));
  return [
    ...groups.slice(0, 1),
    ...categories.map((g, i) => ({ ...g, defence: { ...g.defence, pHolm: defence[i] ?? null }, falsePositive: { ...g.falsePositive, pHolm: falsePositive[i] ?? null } })),
  ];
}

function unpairedGroup(scope: string, a: GroupFigures | undefined, b: GroupFigures | undefined): UnpairedGroup {
  const none = rate(0, 0);
  return {
    scope,
    defence: unpairedFigure(a?.defenceRate ?? none, b?.defenceRate ?? none, a?.attackDesignEffect ?? 1, b?.attackDesignEffect ?? 1),
    falsePositive: unpairedFigure(a?.falsePositiveRate ?? none, b?.falsePositiveRate ?? none, a?.benignDesignEffect ?? 1, b?.benignDesignEffect ?? 1),
  };
}

export interface CompareOptions {
  /** Compare as independent samples even when the runs could be paired. */
  unpaired?: boolean;
}

/** Run B against run A: paired by round when they judged the same inputs, else unpaired. UsageError for a missing run or the same run twice. */
export function compareRuns(store: Store, runA: number, runB: number, opts: CompareOptions = {}): Comparison {
  if (runA === runB) throw new UsageError(`compare needs two different runs (got run ${runA} twice).`);
  const a = describe(store, runA);
  const b = describe(store, runB);
  const reportsUnpaired = (reason: string): Comparison => {
    const ra = buildRunReport(store, runA);
    const rb = buildRunReport(store, runB);
    const catA = new Map(ra.categories.map((c) => [c.category, c]));
    const catB = new Map(rb.categories.map((c) => [c.category, c]));
    const groups = withHolm(
      [unpairedGroup(OVERALL, ra.totals, rb.totals), ...categoryOrder([...catA.keys(), ...catB.keys()]).map((k) => unpairedGroup(k, catA.get(k), catB.get(k)))],
      (f) => (f as UnpairedFigure).comparison.pValue,
    );
    return { a, b, pairing: { paired: false, reason }, groups, flips: [] };
  };
  if (opts.unpaired) return reportsUnpaired('--unpaired was given');

  const ra = store.rounds.outcomesWithInputs(runA);
  const rb = store.rounds.outcomesWithInputs(runB);
  const { pairing, pairs } = pairRounds(ra, rb, a.root === b.root ? 'replay' : null, store.turns.sequences(runA), store.turns.sequences(runB));
  if (!pairing.paired) return reportsUnpaired(pairing.reason);

  const overall = new PairedTally();
  const byCategory = new Map<string, PairedTally>();
  const flipped: Array<[RoundRow, RoundRow]> = [];
  for (const [x, y] of pairs) {
    overall.add(x.kind, x.sha256, x.outcome, y.outcome);
    let t = byCategory.get(x.category);
    if (!t) byCategory.set(x.category, (t = new PairedTally()));
    t.add(x.kind, x.sha256, x.outcome, y.outcome);
    if (isFlip(x.kind, x.outcome, y.outcome)) flipped.push([x, y]);
  }
  const texts = store.rounds.texts(runA, flipped.map(([x]) => x.round));
  const flips: Flip[] = flipped.map(([x, y]) => ({
    round: x.round,
    kind: x.kind,
    category: x.category,
    attacker: x.attacker,
    a: x.outcome,
    b: y.outcome,
    text: texts.get(x.round) ?? '',
  }));
  const groups = withHolm([overall.group(OVERALL), ...categoryOrder(byCategory.keys()).map((k) => (byCategory.get(k) as PairedTally).group(k))], (f) =>
    (f as PairedFigure).n > 0 ? (f as PairedFigure).mcnemar.pValue : null,
  );
  return { a, b, pairing, groups, flips };
}
