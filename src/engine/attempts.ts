/**
 * Playing an iterative round (PAIR-style refinement): when the healer or the swarm stopped an
 * attack, its attacker rewrites it, shown what its `feedback` setting allows, up to `refinements`
 * more attempts; the round is BREACHED as soon as one attempt passes, DEFENDED (or
 * INSTANT_BLOCKED when the healer stopped the last) when none did. Every attempt and its votes are
 * stored as `attempt` turns. A replay plays the stored attempts instead of asking an attacker.
 * Played inside the round: determinism and the lag rule hold as for single inputs.
 */
import type { Scenario } from '../config/schemas.js';
import type { AttackText, Feedback, Outcome } from '../domain.js';
import { errorMessage, UnusableAnswerError } from '../errors.js';
import type { TurnRecord } from '../store/records.js';
import { keepEnds, MAX_STORED_TEXT } from '../store/text.js';
import { attackBrief, decidingFields, feedbackOf, judgedTurn, judgeTurn, sequenceScore, stopped, type TurnJudgement } from './judge-turn.js';
import type { PlannedRound } from './plan.js';
import type { JudgedRound, RoundPlayers } from './round.js';

/** An attacker's iterative setting: its entry's, else --refinements; feedback defaults to `verdict`. */
export interface IterativeSetting {
  refinements: number;
  feedback: Feedback;
}

export const DEFAULT_FEEDBACK: Feedback = 'verdict';

/** The first attempt, as the single-input round judged it, made attempt 1. */
function firstAttempt(first: JudgedRound): { row: TurnRecord; judgement: TurnJudgement } {
  const r = first.record;
  const judgement: TurnJudgement = first.match
    ? { by: 'healer', match: first.match }
    : { by: 'swarm', votes: r.votes, decision: { decision: r.outcome === 'DEFENDED' ? 'block' : r.outcome === 'ERROR' ? 'error' : 'allow', block: r.votesBlock, allow: r.votesAllow, abstain: r.votesAbstain, score: r.votesBlock / Math.max(1, r.votesBlock + r.votesAllow) }, aborted: r.callsAborted ?? 0, skipped: r.callsSkipped ?? 0, antibodies: [] };
  return { row: judgedTurn('attempt', 1, r.text, judgement, { promptTokens: r.attackPromptTokens, completionTokens: r.attackCompletionTokens }), judgement };
}

/**
 * Continues round `plan` after its first attempt (`first`, already judged) was stopped, or plays
 * a replay's stored attempts. Never throws for a model failure: an attacker failure ends the
 * round as an ERROR with every attempt so far.
 */
export async function continueAttempts(
  s: RoundPlayers,
  plan: PlannedRound,
  scenario: Scenario | undefined,
  recentBlocked: string[],
  first: JudgedRound,
  setting: IterativeSetting | undefined,
): Promise<JudgedRound> {
  const { row, judgement } = firstAttempt(first);
  const turns: TurnRecord[] = [row];
  const stored = plan.attempts;
  // What "the last attempt" is: a replay keeps the source's count (its recording may end sooner).
  const record = Object.assign(first.record, { attemptsAllowed: plan.attemptsAllowed ?? (stored ? stored.length : (setting?.refinements ?? 0) + 1) });
  if (first.record.outcome === 'ATTACKER_REFUSED' || first.record.outcome === 'ERROR' || !stopped(judgement)) {
    // A refusal was never judged; an error is one.
    if (first.record.outcome === 'ATTACKER_REFUSED') row.decision = null;
    if (first.record.outcome === 'ERROR') row.decision = 'error';
    row.decisive = true;
    return { ...first, record: Object.assign(record, { turns }) };
  }
  const more = stored ? stored.length - 1 : (setting?.refinements ?? 0);
  const feedback = setting?.feedback ?? DEFAULT_FEEDBACK;
  const attacker = s.attackers.get(plan.attacker);
  let last = { text: record.text, judgement };
  const spent = { promptTokens: record.attackPromptTokens, completionTokens: record.attackCompletionTokens, latencyMs: record.attackLatencyMs };
  let outcome: Outcome = record.outcome;
  let error: string | null = null;
  const strategies = [record.strategy ?? ''];
  for (let attempt = 2; attempt <= more + 1; attempt++) {
    const shown = feedbackOf(last.judgement, feedback);
    let written: AttackText;
    if (stored) written = { text: stored[attempt - 1] as string, refused: false, attempts: 1, strategy: 'replayed', latencyMs: 0, promptTokens: 0, completionTokens: 0 };
    else {
      if (!scenario || !attacker?.refine) {
        error = `attacker: ${plan.attacker} cannot rewrite a blocked attempt`;
        outcome = 'ERROR';
        break;
      }
      try {
        written = await attacker.refine({ ...attackBrief(s, plan, scenario, recentBlocked), attempt, previous: last.text, feedback: shown }, s.abort);
      } catch (err) {
        const cost = err instanceof UnusableAnswerError ? err.spent : undefined;
        spent.promptTokens += cost?.promptTokens ?? 0;
        spent.completionTokens += cost?.completionTokens ?? 0;
        error = `attacker: ${errorMessage(err)}`;
        outcome = 'ERROR';
        break;
      }
    }
    spent.promptTokens += written.promptTokens;
    spent.completionTokens += written.completionTokens;
    spent.latencyMs += written.latencyMs;
    strategies.push(written.strategy);
    const text = written.text.length > MAX_STORED_TEXT ? keepEnds(written.text, MAX_STORED_TEXT).text : written.text;
    const tokens = { promptTokens: written.promptTokens, completionTokens: written.completionTokens };
    if (written.refused) {
      // The attacker gave up: the round stays stopped by its earlier attempts.
      turns.push({ role: 'attempt', step: attempt, text, decision: null, decisive: false, votes: [], votesBlock: 0, votesAllow: 0, votesAbstain: 0, feedback: shown, ...tokens });
      break;
    }
    const j = await judgeTurn(s, plan, text, []);
    turns.push({ ...judgedTurn('attempt', attempt, text, j, tokens), feedback: shown });
    last = { text, judgement: j };
    if (j.by === 'healer') outcome = 'INSTANT_BLOCKED';
    else if (j.decision.decision === 'error') {
      outcome = 'ERROR';
      error = `quorum not met at attempt ${attempt}: ${j.decision.block + j.decision.allow} of ${s.defenders.length} defenders answered, ${s.consensus.quorum} needed`;
      break;
    } else if (j.decision.decision === 'allow') {
      outcome = 'BREACHED';
      break;
    } else outcome = 'DEFENDED';
  }
  // A replay whose recording ran out before the source's attempts would have (the source breached
  // at attempt k with refinements left) cannot say what came next: stopped at its last recorded
  // attempt is not a defence.
  if (stored && (outcome === 'DEFENDED' || outcome === 'INSTANT_BLOCKED') && stored.length < record.attemptsAllowed) outcome = 'RECORDING_ENDED';
  // The last judged attempt decided the round.
  const decisiveIndex = turns.map((t) => t.decision !== null).lastIndexOf(true);
  (turns[decisiveIndex] as TurnRecord).decisive = true;
  const j = last.judgement;
  Object.assign(record, {
    text: last.text,
    outcome,
    error,
    decidedBy: outcome === 'ERROR' ? 'error' : j.by === 'healer' ? 'healer' : 'consensus',
    patternId: j.by === 'healer' ? j.match.patternId : null,
    strategy: strategies.filter(Boolean).join(' > ') || null,
    attackPromptTokens: spent.promptTokens,
    attackCompletionTokens: spent.completionTokens,
    attackLatencyMs: spent.latencyMs,
    turns,
  });
  // A recording that ran out has no sequence score: what came next was never judged (not ranked in the ROC).
  if (j.by === 'swarm') Object.assign(record, decidingFields(j), { score: outcome === 'RECORDING_ENDED' ? null : sequenceScore(turns, 'attempt') });
  else Object.assign(record, { votes: [], votesBlock: 0, votesAllow: 0, votesAbstain: 0, score: null });
  return { plan, record, match: j.by === 'healer' ? j.match : undefined };
}
