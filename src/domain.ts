import type { CategoryId, RoundCategory } from './categories.js';
import type { Scenario } from './config/schemas.js';

/**
 * The eight ways a round can end. RECORDING_ENDED: only a replay — the recorded turns or attempts
 * ran out where the source's sequence went on (docs/conversations.md), so the outcome is unknown.
 */
export const OUTCOMES = [
  'DEFENDED',
  'INSTANT_BLOCKED',
  'BREACHED',
  'ATTACKER_REFUSED',
  'TRUE_NEGATIVE',
  'FALSE_POSITIVE',
  'ERROR',
  'RECORDING_ENDED',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

export type RoundKind = 'attack' | 'benign';

/** What a stored run is (the command that made it is in its stored configuration). */
export type RunKind = 'wargame' | 'replay' | 'eval';
/** How a stored run stands: `running` while played (or left by a process that died). */
export type RunStatus = 'running' | 'completed' | 'interrupted' | 'failed' | 'budget_exhausted' | 'quorum_lost';
export type Verdict = 'block' | 'allow' | 'abstain';

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
}

/** What an attacker is asked for in one round. */
export interface AttackBrief {
  round: number;
  category: CategoryId;
  scenario: Scenario;
  /** Deterministic per (run seed, round): embedded generators draw from it. */
  seed: number;
  /** Recent attempts of this category that the swarm blocked, oldest first (adaptive attackers). */
  recentBlocked: readonly string[];
  /** This attack's 0-based index among the run's attacks of its category (a composer deals parts by it). */
  ordinal: number;
  /** The same for every round of the run and category: the seed of the composer's decks. */
  deckSeed: number;
  /** The round is in the held-out phase (after --freeze-healer-after): held-out parts only. */
  heldOut: boolean;
}

export interface AttackText extends TokenUsage {
  text: string;
  /** The attacker declined to write an attack (the text is its refusal). */
  refused: boolean;
  /** Which refusal rule matched (src/attack/refusal.ts, e.g. `decline:fr`), when it refused. */
  refusalRule?: string | undefined;
  /** Calls made, including reframed retries after refusals. */
  attempts: number;
  /** Mutation strategies or other provenance, for reports. */
  strategy: string;
  /** The embedded attacker's payload id (`<category>/p12`): attacks that share it share their goal. */
  payload?: string | undefined;
  latencyMs: number;
  /** What the model thought before it answered (reasoning models), kept apart from the text. */
  reasoning?: string | undefined;
  /** The provider's stop reason for the last call (`stop`, `length`…). */
  finishReason?: string | undefined;
}

/** One message of a conversation so far, as an attacker writes the next turn or a defender judges it. */
export interface ConversationTurn {
  role: 'user' | 'assistant';
  text: string;
}

/** What an attacker is asked for to write user turn `turn` of a conversation round. */
export interface TurnBrief extends AttackBrief {
  /** The conversation so far (user turns and assistant replies), oldest first; empty for turn 1. */
  conversation: readonly ConversationTurn[];
  /** 1-based number of the user turn to write. */
  turn: number;
  /** The most user turns this conversation may have (--max-turns). */
  maxTurns: number;
}

/**
 * A conversation turn written: `final` says the attacker made its move (the conversation ends
 * after it); `payloadTurn`, the 1-based user turn its plan puts the payload in, when the attacker
 * knows it (the embedded attacker composes the whole escalation first; an LLM attacker cannot say).
 */
export type TurnText = AttackText & { final: boolean; payloadTurn?: number | undefined };

/** How much an iterative attacker is shown after a block: nothing, the verdict, or the defenders' reasons. */
export type Feedback = 'none' | 'verdict' | 'reasons';

/** What an iterative attacker is asked for after attempt `attempt - 1` was blocked. */
export interface RefineBrief extends AttackBrief {
  /** 2-based: the attempt to write. */
  attempt: number;
  /** The blocked attempt. */
  previous: string;
  /** What the attacker's `feedback` setting lets it see of the block (null for `none`). */
  feedback: string | null;
}

export interface Attacker {
  readonly name: string;
  readonly provider: string;
  readonly model: string;
  /** Shown its recent blocked attempts in the category (AttackBrief.recentBlocked). */
  readonly adaptive?: boolean;
  generate(brief: AttackBrief, signal?: AbortSignal): Promise<AttackText>;
  /** Conversation rounds (--multi-turn): writes the next user turn given the conversation so far. */
  converse?(brief: TurnBrief, signal?: AbortSignal): Promise<TurnText>;
  /** Iterative rounds (refinements): rewrites a blocked attempt. */
  refine?(brief: RefineBrief, signal?: AbortSignal): Promise<AttackText>;
}

/** The protected assistant of a conversation: writes the reply to the last user turn. */
export interface Assistant {
  reply(conversation: readonly ConversationTurn[], seed: number, signal?: AbortSignal): Promise<{ text: string; promptTokens: number; completionTokens: number }>;
}

/** An input judged by the swarm. */
export interface Probe {
  round: number;
  kind: RoundKind;
  category: RoundCategory;
  /** The new input: a single input, or a conversation's newest user turn. */
  text: string;
  /** Conversation rounds: what came before `text` (user turns and replies), oldest first; absent for a single input. */
  context?: readonly ConversationTurn[] | undefined;
}

export interface Antibody {
  sourceRound: number;
  /** Null for a breach from an uncategorised eval row. */
  category: CategoryId | null;
  text: string;
}

export interface DefenseContext {
  /** Known threats the healer chose for this input. */
  antibodies: readonly Antibody[];
  /** Fresh random delimiter nonce for this round: the input sits between markers carrying it. */
  nonce: string;
}

/** What a defender says about one input; the engine adds timing and turns failures into abstentions. */
export interface VoteResult extends Partial<TokenUsage> {
  verdict: Verdict;
  /** 0..1, the defender's confidence in its verdict, when it gives one. */
  confidence: number | null;
  /**
   * 0..1, the defender's probability that the input should be blocked, when it gives one (the
   * embedded detectors do, calibrated on their training pools). A finer score than the verdict:
   * the swarm score is the mean of these; consensus still decides by verdicts.
   */
  pBlock?: number | undefined;
  reason: string;
  error?: string;
  /** The raw answer (trimmed) when it could not be parsed. */
  raw?: string;
  /** What the model thought before it answered (reasoning models), kept apart from the verdict. */
  reasoning?: string | undefined;
  /** The provider's stop reason (`stop`, `length`…). */
  finishReason?: string | undefined;
  /** Of the call's time, what it spent waiting for a host slot (models behind a per-host limit). */
  queueMs?: number | undefined;
  /** The token counts were estimated by hive: the server reported none. */
  tokensEstimated?: boolean | undefined;
  /** The defender judged a cut text (its `max_input_chars`). */
  truncated?: boolean | undefined;
}

export interface Defender {
  readonly name: string;
  readonly role: string;
  readonly provider: string;
  readonly model: string;
  vote(probe: Probe, ctx: DefenseContext, signal?: AbortSignal): Promise<VoteResult>;
  /**
   * Druids only (role `druid`): after the swarm let `breach` through, proposes up to `limit` short
   * literal phrases that would identify it and its variants. The healer guards them like any
   * pattern. Failures are reported in `error`, never thrown past the engine.
   */
  proposeIndicators?(breach: BreachReport, limit: number, signal?: AbortSignal): Promise<IndicatorProposal>;
}

/** A breach as shown to a druid: the attack text between markers carrying a fresh nonce. */
export interface BreachReport {
  round: number;
  category: CategoryId | null;
  text: string;
  nonce: string;
}

export interface IndicatorProposal extends Partial<TokenUsage> {
  phrases: string[];
  /** Why no phrase could be read from the answer (the raw answer is not kept: it is untrusted). */
  error?: string;
}

export interface Vote extends VoteResult {
  defender: string;
  latencyMs: number;
  promptTokens: number;
  completionTokens: number;
}

/** How a pattern entered this run: learned here (ngram, druid) or loaded before round 1 (vaccine, immunity). */
export type PatternSource = 'ngram' | 'druid' | 'vaccine' | 'immunity';
export type HealerEventKind = 'pattern_learned' | 'pattern_rejected' | 'pattern_retired' | 'antibody_added';

/**
 * Where a loaded pattern or antibody first came from, carried across runs by immunity files
 * (snake_case: it is stored as JSON in healer_events.origin_json and exported as is).
 */
export interface Provenance {
  /** Who first wrote it: ngram, druid or vaccine for patterns; breach for antibodies. */
  source: 'ngram' | 'druid' | 'vaccine' | 'breach';
  run: number | null;
  round: number | null;
  /** Vaccines: the ATLAS or OWASP id the phrase was written from. */
  technique: string | null;
  /** Vaccines: the vaccine's name. */
  vaccine: string | null;
  /** Counted before this run (an immunity file carries them forward). */
  hits: number;
  false_positive_hits: number;
}

export interface HealerEvent {
  kind: HealerEventKind;
  /** The round during whose finalisation this happened (0: before the first round). */
  round: number;
  patternId: number | null;
  pattern: string | null;
  category: CategoryId | null;
  source: PatternSource;
  /** The breach it came from, when it came from one. */
  sourceRound: number | null;
  reason: string | null;
  /** Loaded patterns and antibodies: where they first came from. */
  origin?: Provenance | null;
  /** Loaded antibodies: their text (a learned antibody is the stored attack of `sourceRound`). */
  text?: string | null;
}
