/**
 * How the swarm holds up while a run plays: per-batch abstention of every defender (a defender
 * that abstains on more than a set share of a batch is "degraded", stored with the batch so
 * reports can show it), and a watch on consecutive quorum-error rounds (a host that is down turns
 * every round into an ERROR; after a few in a row the run stops as `quorum_lost` instead of
 * recording hundreds of them).
 */
import { missingPointer } from '../defense/http-guard.js';
import { POINTERS_MISSING } from '../run-stops.js';
import type { Verdict } from '../domain.js';
import type { DefenderBatchHealth } from '../store/records.js';

export type { DefenderBatchHealth };

/** A defender abstaining on more than this share of the votes it was asked for in a batch is degraded. */
export const DEFAULT_DEGRADED_SHARE = 0.2;
/** Consecutive quorum-error rounds after which the run stops as `quorum_lost`. */
export const DEFAULT_QUORUM_LOSS_AFTER = 5;

interface Tally {
  asked: number;
  abstained: number;
  lastError: string | null;
}

type VoteLike = { defender: string; verdict: Verdict; error?: string | null | undefined };

/** Counts votes per batch and defender; `finish` turns a batch into its health rows. */
export class BatchHealth {
  private readonly batches = new Map<number, Map<string, Tally>>();

  constructor(
    /** Every defender of the cast, so one that was never asked still gets a row. */
    private readonly defenders: readonly string[],
    private readonly degradedShare = DEFAULT_DEGRADED_SHARE,
  ) {}

  add(batch: number, votes: readonly VoteLike[]): void {
    let m = this.batches.get(batch);
    if (!m) this.batches.set(batch, (m = new Map()));
    for (const v of votes) {
      const t = m.get(v.defender) ?? { asked: 0, abstained: 0, lastError: null };
      t.asked += 1;
      if (v.verdict === 'abstain') {
        t.abstained += 1;
        t.lastError = v.error ?? t.lastError;
      }
      m.set(v.defender, t);
    }
  }

  finish(batch: number): DefenderBatchHealth[] {
    const m = this.batches.get(batch) ?? new Map<string, Tally>();
    this.batches.delete(batch);
    const names = [...this.defenders, ...[...m.keys()].filter((n) => !this.defenders.includes(n))];
    return names.map((defender) => {
      const t = m.get(defender) ?? { asked: 0, abstained: 0, lastError: null };
      return { defender, ...t, degraded: t.asked > 0 && t.abstained / t.asked > this.degradedShare };
    });
  }
}

/** One line for a degraded defender, e.g. for a warning; the error is untrusted text. */
export function degradedLine(batch: number, h: DefenderBatchHealth): string {
  const share = h.asked === 0 ? 0 : Math.round((100 * h.abstained) / h.asked);
  return `batch ${batch}: defender ${h.defender} is degraded: abstained on ${h.abstained} of ${h.asked} votes (${share}%)${h.lastError ? `; last error: ${h.lastError}` : ''}`;
}

/** A round the watch looks at: its outcome, its votes, and why it errored. */
export interface WatchedRound {
  round: number;
  outcome: string;
  decidedBy: string;
  votes: readonly VoteLike[];
}

/**
 * Whether a round is a quorum error: the swarm was asked and too few answered. (An attacker
 * failure also gives an ERROR round, but says nothing about the defenders.)
 */
export function isQuorumError(r: WatchedRound): boolean {
  return r.outcome === 'ERROR' && r.decidedBy === 'error' && r.votes.length > 0;
}


/** The reason a run stops after `rounds` quorum-error rounds in a row, naming the failing defenders. */
export function quorumLostReason(rounds: readonly WatchedRound[], defenders: number, quorum: number): string {
  const first = rounds[0]?.round ?? 0;
  const last = rounds.at(-1)?.round ?? first;
  const failing = new Map<string, string>();
  const errors: Array<string | null | undefined> = [];
  for (const r of rounds) {
    for (const v of r.votes) {
      if (v.verdict !== 'abstain') continue;
      failing.set(v.defender, v.error ?? 'no answer');
      errors.push(v.error);
    }
  }
  const who = [...failing].map(([d, e]) => `${d} (${e.length > 120 ? `${e.slice(0, 120)}…` : e})`).join(', ');
  // Hosts that answer, with answers the cast reads wrong: waiting for the hosts would not help.
  const pointers = errors.map(missingPointer);
  const shape = pointers.length > 0 && pointers.every((p) => p !== undefined) ? `${POINTERS_MISSING}${[...new Set(pointers)].join(', ')}` : '';
  return `quorum lost: ${rounds.length} rounds in a row (${first}-${last}) had fewer than ${quorum} of ${defenders} defenders answering${who ? `; failing: ${who}` : ''}${shape}`;
}
