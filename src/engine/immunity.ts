/**
 * The engine's side of the immune system: asking druids about a breach, and what antibodies cost.
 *
 * Druid timing (why outcomes stay independent of it): a druid is asked inside the breached round's
 * own work, right after consensus says BREACHED, and it is shown only that round's attack text,
 * never healer state or other rounds. Its phrases travel with the judged round and are handed to
 * the healer when that round is finalised, in round order, and they screen from round + lag like
 * any lesson of that round. So whichever round finishes first, every round sees the same patterns;
 * the only thing that can vary is the druid model's own answer, which is stored as events. Runs
 * without a druid (the embedded cast) never call one and stay bit-for-bit reproducible.
 */
import { randomBytes } from 'node:crypto';
import { MAX_ANTIBODY_CHARS } from '../defense/prompts.js';
import type { Antibody, Defender } from '../domain.js';
import { errorMessage } from '../errors.js';
import type { Breach, DruidProposal } from '../healer/healer.js';

/** Defenders that can propose indicator phrases, in cast order. */
export function druidsOf(defenders: readonly Defender[]): Defender[] {
  return defenders.filter((d) => typeof d.proposeIndicators === 'function');
}

/** Asks every druid at once; a failing druid proposes nothing and says why. */
export async function askDruids(druids: readonly Defender[], breach: Breach, limit: number, signal?: AbortSignal): Promise<DruidProposal[]> {
  const nonce = randomBytes(9).toString('base64url');
  return Promise.all(
    druids.map(async (d): Promise<DruidProposal> => {
      try {
        const answer = await (d.proposeIndicators as NonNullable<Defender['proposeIndicators']>)({ ...breach, nonce }, limit, signal);
        return { defender: d.name, phrases: answer.phrases, ...(answer.error ? { error: answer.error } : {}) };
      } catch (err) {
        return { defender: d.name, phrases: [], error: errorMessage(err) };
      }
    }),
  );
}

/**
 * Estimated prompt tokens the antibodies add to one defender prompt: characters / 4 (no
 * tokenizer is assumed), counting each antibody as the prompt shows it (clipped) plus its markers.
 */
export function antibodyTokens(antibodies: readonly Antibody[]): number {
  const MARKERS = 60;
  let chars = 0;
  for (const a of antibodies) chars += Math.min(a.text.trim().length, MAX_ANTIBODY_CHARS) + MARKERS;
  return Math.ceil(chars / 4);
}
