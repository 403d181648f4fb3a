import type { RoundCategory } from '../categories.js';
import type { HealerEvent, Outcome, RoundKind, RunKind, RunStatus, Vote } from '../domain.js';
import type { OutcomeCounts } from '../stats/outcomes.js';
import type { Rate } from '../stats/wilson.js';

export interface ModelRecord {
  role: 'defender' | 'attacker';
  name: string;
  defenderRole: string | null;
  provider: string;
  model: string;
  host: string | null;
  digest: string | null;
}

export interface RunManifest {
  kind: RunKind;
  seed: number;
  castName: string;
  attackersName: string | null;
  roundsPlanned: number;
  batchSize: number;
  replayOf: number | null;
  /** Everything needed to run it again (cast, pool, options); never secrets. */
  config: unknown;
  plan: unknown;
  models: ModelRecord[];
}

export interface RoundRecord {
  round: number;
  batch: number;
  kind: RoundKind;
  category: RoundCategory;
  attacker: string;
  text: string;
  /** The length the attacker wrote when the engine cut `text` to the stored cap (else text.length). */
  textLength?: number;
  refused: boolean;
  strategy: string | null;
  attempts: number;
  attackPromptTokens: number;
  attackCompletionTokens: number;
  attackLatencyMs: number;
  /** The embedded attacker's payload id, when it wrote the attack. */
  payload?: string | null;
  /** ATTACKER_REFUSED rounds: the refusal rule that matched. */
  refusalRule?: string | null;
  /** What a reasoning attacker thought before it wrote the attack (never part of `text`). */
  attackReasoning?: string | null;
  /** The attacker's last call's stop reason (`stop`, `length`…); null when no model was called. */
  attackFinishReason?: string | null;
  source: string | null;
  outcome: Outcome;
  decidedBy: 'healer' | 'consensus' | 'attacker' | 'error';
  patternId: number | null;
  votes: Vote[];
  votesBlock: number;
  votesAllow: number;
  votesAbstain: number;
  /** The swarm score (src/defense/score.ts): mean probability of block of the defenders that answered; null when none did. */
  score: number | null;
  latencyMs: number;
  error: string | null;
  healerEvents: HealerEvent[];
  /** Antibodies shown in each defender prompt of the round, and their estimated tokens in one prompt. */
  antibodies?: number;
  antibodyTokens?: number;
  /** Cascade consensus: calls cancelled in flight once the decision was reached, and defenders never asked. */
  callsAborted?: number;
  callsSkipped?: number;
  /** The swarm judged a cut text: the store's cap or a defender's max_input_chars cut it. */
  judgedTruncated?: boolean;
  /** Attack conversations: the 1-based user turn that carries the payload, as the attacker planned it; null or absent when it cannot say. */
  payloadTurn?: number | null;
  /** Iterative rounds: how many attempts the round could play (1 + refinements; a replay: the source's); null or absent otherwise. */
  attemptsAllowed?: number | null;
  /**
   * Conversation and iterative rounds: every user turn, assistant reply, attempt and context-free
   * judgement, in order, each with its votes (stored in `turns`, the votes with `turn` = its
   * 1-based position). `votes` then holds the deciding judgement's votes only (also in here).
   * Absent for a single-input round.
   */
  turns?: TurnRecord[];
}

/** What a turns row is: a user turn, an assistant reply, an attempt, or a user turn judged alone. */
export type TurnRole = 'user' | 'assistant' | 'attempt' | 'alone';
/** How a turn was decided: by the swarm (block, allow, error) or stopped by the healer; null: not judged. */
export type TurnDecision = 'block' | 'allow' | 'error' | 'healer' | null;

/** One row of `turns` (src/store/turns.ts). */
export interface TurnRecord {
  role: TurnRole;
  /** The user turn's or the attempt's 1-based number (an assistant reply: the user turn it answers; `alone`: the user turn judged). */
  step: number;
  text: string;
  decision: TurnDecision;
  /** This judgement decided the round: its votes are the round's. */
  decisive: boolean;
  votes: Vote[];
  votesBlock: number;
  votesAllow: number;
  votesAbstain: number;
  /** The attacker's tokens for writing this turn or attempt. */
  promptTokens: number;
  completionTokens: number;
  /** Attempts after the first: what the attacker was shown of the previous block (feedback setting). */
  feedback?: string | null;
  /** Cascade consensus: this judgement's calls cancelled in flight and defenders never asked (summed into the round's). */
  callsAborted?: number;
  callsSkipped?: number;
}

/** How one defender held up in one batch. */
export interface DefenderBatchHealth {
  defender: string;
  /** Votes it was asked for in the batch (cascade asks fewer than every defender every round). */
  asked: number;
  abstained: number;
  /** Abstained on more than the run's degraded share of those votes. */
  degraded: boolean;
  /** The last error it abstained with in the batch (untrusted text: neutralise before printing). */
  lastError: string | null;
}

export interface BatchRecord {
  batch: number;
  firstRound: number;
  lastRound: number;
  counts: OutcomeCounts;
  /** The batch's defence rate, its interval with the text as the unit (src/stats/text-unit.ts): what the live line prints and the row stores. */
  defenceRate: Rate;
  /** How each defender held up in the batch (stored in defender_batches); absent for runs without a swarm. */
  defenders?: DefenderBatchHealth[];
}

export interface RunRow {
  id: number;
  kind: RunKind;
  status: RunStatus;
  stopReason: string | null;
  createdAt: string;
  finishedAt: string | null;
  seed: number;
  toolVersion: string;
  castName: string;
  attackersName: string | null;
  roundsPlanned: number;
  batchSize: number;
  replayOf: number | null;
  configJson: string;
  configHash: string;
  planJson: string;
  roundsDone: number;
}

export interface StoredRound {
  round: number;
  batch: number;
  kind: RoundKind;
  category: RoundCategory;
  attacker: string;
  outcome: Outcome;
  decidedBy: RoundRecord['decidedBy'];
  patternId: number | null;
  votesBlock: number;
  votesAllow: number;
  votesAbstain: number;
  calls: number;
  score: number | null;
  latencyMs: number;
  error: string | null;
  /** SHA-256 of the stored input ('' for a round stored without one). */
  sha256: string;
}

/** A stored round with the input it judged (`hive replay` plays these again). */
export type StoredInput = Pick<StoredRound, 'round' | 'batch' | 'kind' | 'category' | 'attacker' | 'outcome' | 'decidedBy' | 'calls' | 'error'> & {
  text: string;
  /** Stored cut to the store's cap. */
  truncated: boolean;
  refused: boolean;
  strategy: string | null;
  source: string | null;
  sha256: string;
  /** Attack conversations: the user turn that carries the payload (rounds.payload_turn); null unknown or not a conversation. */
  payloadTurn: number | null;
  /** Iterative rounds: how many attempts the source round could play (rounds.attempts_allowed); null otherwise. */
  attemptsAllowed: number | null;
};
