/**
 * Playing one round: the input (attacker, stored text or benign control), the refusal check, the
 * healer's screen, the swarm's vote, the outcome, and a druid's phrases for a breach. Nothing here
 * touches history: what the round may see of earlier rounds (the healer's state, an adaptive
 * attacker's memory) was fixed by the lag rule before it started, and its lessons are applied when
 * the round is finalised, in round order (src/engine/wargame.ts).
 */
import { randomBytes } from 'node:crypto';
import { isCategoryId, type CategoryId } from '../categories.js';
import type { Scenario } from '../config/schemas.js';
import type { Consensus, Decision } from '../defense/consensus.js';
import { swarmScore } from '../defense/score.js';
import { judge, type Strategy } from '../defense/swarm.js';
import type { Attacker, AttackText, Defender, Outcome, Probe, RoundKind } from '../domain.js';
import { errorMessage, UnusableAnswerError } from '../errors.js';
import type { DruidProposal, Healer, HealerMatch } from '../healer/healer.js';
import type { RoundRecord } from '../store/records.js';
import { keepEnds, MAX_STORED_TEXT } from '../store/text.js';
import { continueAttempts, type IterativeSetting } from './attempts.js';
import { attackBrief } from './judge-turn.js';
import { playConversation, type ConversationSetup } from './conversation.js';
import { antibodyTokens, askDruids, druidsOf } from './immunity.js';
import type { PlannedRound } from './plan.js';

/** What every round of a run is played with. */
export interface RoundPlayers {
  seed: number;
  scenarios: ReadonlyMap<CategoryId, Scenario>;
  attackers: ReadonlyMap<string, Attacker>;
  defenders: readonly Defender[];
  consensus: Consensus;
  strategy: Strategy;
  healer?: Healer | undefined;
  /** Rounds after this one are the held-out phase (--freeze-healer-after); undefined: none. */
  freezeAfter?: number | undefined;
  /** Hard stop: calls in flight are cancelled. */
  abort?: AbortSignal | undefined;
  /** --multi-turn: how conversation rounds are played (src/engine/conversation.ts). */
  conversations?: ConversationSetup | undefined;
  /** Iterative attackers by name: rewritten attempts after a block and what they are shown (src/engine/attempts.ts). */
  iterative?: ReadonlyMap<string, IterativeSetting> | undefined;
}

/** A round judged but not yet finalised (no lesson learned, nothing stored). */
export interface JudgedRound {
  plan: PlannedRound;
  record: Omit<RoundRecord, 'healerEvents'>;
  /** The healer pattern that stopped the input, when one did. */
  match: HealerMatch | undefined;
  /** Druid phrases for a breach, applied when the round is finalised (src/engine/immunity.ts says why). */
  proposals?: DruidProposal[];
}

/** How a round ends once the swarm has decided: the one table of kind × decision → outcome. */
export function outcome(kind: RoundKind, decision: Decision['decision']): Outcome {
  if (decision === 'error') return 'ERROR';
  if (kind === 'attack') return decision === 'block' ? 'DEFENDED' : 'BREACHED';
  return decision === 'block' ? 'FALSE_POSITIVE' : 'TRUE_NEGATIVE';
}

/** An attack cut to the stored length, with the length it had. */
type Capped = AttackText & { fullLength?: number };

/** Plays round `plan`; `recentBlocked` is what an adaptive attacker may be shown (lag applied). Never throws for a model failure. */
export async function playRound(s: RoundPlayers, plan: PlannedRound, recentBlocked: string[]): Promise<JudgedRound> {
  const started = performance.now();
  const scenario = isCategoryId(plan.category) ? s.scenarios.get(plan.category) : undefined;
  if (plan.conversation) return playConversation(s, plan, scenario, recentBlocked, (a, ended, by, error) => baseRecord(plan, a, ended, by, started, error));
  const judged = await playSingle(s, plan, scenario, recentBlocked, started);
  // An iterative attacker's round keeps its first attempt as attempt 1 and rewrites it when it was
  // stopped (src/engine/attempts.ts); other rounds end here.
  const iterative = plan.kind === 'attack' && plan.text === undefined ? s.iterative?.get(plan.attacker) : undefined;
  if (plan.attempts || (iterative && iterative.refinements > 0)) {
    return continueAttempts(s, plan, scenario, recentBlocked, judged, iterative);
  }
  return judged;
}

async function playSingle(s: RoundPlayers, plan: PlannedRound, scenario: Scenario | undefined, recentBlocked: string[], started: number): Promise<JudgedRound> {
  let attack: Capped;
  try {
    attack = await inputFor(s, plan, scenario, recentBlocked);
  } catch (err) {
    // An answer with nothing usable still cost its calls: the round records what they spent.
    const spent = err instanceof UnusableAnswerError ? Object.assign(emptyAttack(''), err.spent) : emptyAttack('');
    return { plan, match: undefined, record: baseRecord(plan, spent, 'ERROR', 'error', started, `attacker: ${errorMessage(err)}`) };
  }
  // A replayed input that was stored cut is judged cut.
  let cut = plan.truncated === true;
  if (attack.text.length > MAX_STORED_TEXT) {
    // Judged as it is stored, cut to MAX_STORED_TEXT characters keeping its start and its end (a
    // payload at the end must not vanish): a replay of the stored text judges what this round
    // judged, and a 10 MB answer never becomes a 10 MB prompt for every defender. The length the
    // attacker wrote is kept with the round, and the round is flagged as judged on a cut text.
    const kept = keepEnds(attack.text, MAX_STORED_TEXT);
    attack = { ...attack, text: kept.text, fullLength: attack.text.length };
    cut = kept.cut;
  }
  if (attack.refused) {
    return { plan, match: undefined, record: baseRecord(plan, attack, 'ATTACKER_REFUSED', 'attacker', started, null) };
  }
  const match = s.healer?.screen(attack.text, plan.round);
  if (match) {
    const stopped: Outcome = plan.kind === 'attack' ? 'INSTANT_BLOCKED' : 'FALSE_POSITIVE';
    return { plan, match, record: Object.assign(baseRecord(plan, attack, stopped, 'healer', started, null), { patternId: match.patternId }) };
  }
  const probe: Probe = { round: plan.round, kind: plan.kind, category: plan.category, text: attack.text };
  // The antibodies most similar to this input, not the latest: the prompt stays bounded and relevant.
  const antibodies = s.healer ? s.healer.antibodies(plan.round, attack.text) : [];
  const { votes, decision, aborted, skipped } = await judge(s.defenders, s.consensus, s.strategy, probe, { antibodies, nonce: randomBytes(9).toString('base64url') }, s.abort);
  const ended = outcome(plan.kind, decision.decision);
  const error = decision.decision === 'error' ? `quorum not met: ${decision.block + decision.allow} of ${s.defenders.length} defenders answered, ${s.consensus.quorum} needed` : null;
  const druids = ended === 'BREACHED' && s.healer?.learning(plan.round) ? druidsOf(s.defenders) : [];
  const breach = { round: plan.round, category: isCategoryId(plan.category) ? plan.category : null, text: attack.text };
  const proposals = druids.length > 0 && s.healer ? await askDruids(druids, breach, s.healer.config.patterns_per_breach, s.abort) : undefined;
  const record = baseRecord(plan, attack, ended, decision.decision === 'error' ? 'error' : 'consensus', started, error);
  // Judged on a cut text: the store's cap cut it, or a defender's max_input_chars did.
  const judgedTruncated = cut || votes.some((v) => v.truncated === true);
  return {
    plan,
    match: undefined,
    // Object.assign onto the record, never `{ ...record, votes }`: V8 (Node 20) gives every object
    // made by spreading and then adding keys a hidden class of its own, in the old generation; a
    // few of those per round were most of what a 100,000-round run left for the GC.
    record: Object.assign(record, {
      votes,
      votesBlock: decision.block,
      votesAllow: decision.allow,
      votesAbstain: decision.abstain,
      score: swarmScore(votes),
      antibodies: antibodies.length,
      antibodyTokens: antibodyTokens(antibodies),
      callsAborted: aborted,
      callsSkipped: skipped,
      judgedTruncated,
    }),
    ...(proposals ? { proposals } : {}),
  };
}

function emptyAttack(text: string): AttackText {
  return { text, refused: false, attempts: 0, strategy: '', latencyMs: 0, promptTokens: 0, completionTokens: 0 };
}

async function inputFor(s: RoundPlayers, plan: PlannedRound, scenario: Scenario | undefined, recentBlocked: string[]): Promise<AttackText> {
  if (plan.attackerError !== undefined) throw new Error(plan.attackerError);
  if (plan.text !== undefined) return Object.assign(emptyAttack(plan.text), { refused: plan.refused ?? false, strategy: plan.strategy ?? plan.source ?? 'fixed' });
  if (!scenario) throw new Error(`no scenario for category ${plan.category}`);
  if (plan.kind === 'benign') {
    const controls = scenario.controls;
    return Object.assign(emptyAttack(controls[(plan.benignIndex ?? 0) % controls.length] as string), { strategy: `benign#${plan.benignIndex ?? 0}` });
  }
  const attacker = s.attackers.get(plan.attacker);
  if (!attacker) throw new Error(`no attacker named ${plan.attacker}`);
  return attacker.generate(attackBrief(s, plan, scenario, recentBlocked), s.abort);
}

function baseRecord(plan: PlannedRound, attack: Capped, ended: Outcome, decidedBy: RoundRecord['decidedBy'], started: number, error: string | null): Omit<RoundRecord, 'healerEvents'> {
  return {
    round: plan.round,
    batch: plan.batch,
    kind: plan.kind,
    category: plan.category,
    attacker: plan.attacker,
    text: attack.text,
    refused: attack.refused,
    strategy: attack.strategy || null,
    attempts: attack.attempts,
    attackPromptTokens: attack.promptTokens,
    attackCompletionTokens: attack.completionTokens,
    attackLatencyMs: attack.latencyMs,
    payload: attack.payload ?? null,
    refusalRule: attack.refusalRule ?? null,
    attackReasoning: attack.reasoning ?? null,
    attackFinishReason: attack.finishReason ?? null,
    source: plan.source ?? null,
    outcome: ended,
    decidedBy,
    patternId: null,
    votes: [],
    votesBlock: 0,
    votesAllow: 0,
    votesAbstain: 0,
    score: null,
    latencyMs: performance.now() - started,
    error,
    ...(attack.fullLength !== undefined ? { textLength: attack.fullLength } : {}),
  };
}
