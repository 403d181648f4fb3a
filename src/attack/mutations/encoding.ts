import { defineMutation } from './mutation.js';
import { BASE64_WRAPPERS, HEX_WRAPPERS } from './phrases/wrappers.js';
import { fill } from './text-tools.js';

/** The encoding family: the whole payload re-encoded, with an instruction to decode and follow it. */

/** Wraps the payload as base64 (UTF-8) with an instruction to decode and follow it. */
export const base64 = defineMutation({
  id: 'base64',
  family: 'encoding',
  apply(text, rng) {
    const payload = Buffer.from(text, 'utf8').toString('base64');
    return fill(rng.pick(BASE64_WRAPPERS), { payload });
  },
});

/** Wraps the payload as hex bytes (UTF-8), contiguous or space-separated, with a decode-and-follow instruction. */
export const hex = defineMutation({
  id: 'hex',
  family: 'encoding',
  apply(text, rng) {
    const bytes = Buffer.from(text, 'utf8').toString('hex');
    const spaced = rng.chance(0.4);
    const payload = spaced ? (bytes.match(/../g) ?? []).join(' ') : bytes;
    return fill(rng.pick(HEX_WRAPPERS), { payload: rng.chance(0.3) ? payload.toUpperCase() : payload });
  },
});
