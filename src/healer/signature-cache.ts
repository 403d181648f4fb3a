/**
 * The MinHash signatures of the texts a healer signed last, bounded by count. Within a run the same
 * text is signed again and again: a benign control comes back many times (613 distinct texts in
 * 2,000 benign rounds of the default wargame), and a breach is signed for its round's antibody
 * lookup and again when it becomes an antibody itself. Memory stays flat however long the run:
 * at most `capacity` entries (a signature is 256 bytes; a key is a text the round holds anyway).
 */
import { signature, type Signature } from './minhash.js';

/** Enough for the distinct benign controls of all 13 scenarios and the breaches within the lag. */
export const SIGNATURE_CACHE_SIZE = 2048;

export class SignatureCache {
  /** In order of last use, oldest first (a Map iterates in insertion order). */
  private readonly byText = new Map<string, Signature>();

  constructor(private readonly capacity = SIGNATURE_CACHE_SIZE) {}

  get size(): number {
    return this.byText.size;
  }

  /** `signature(text)`, computed once while the text stays among the `capacity` last used. The result is shared: never modify it. */
  of(text: string): Signature {
    const cached = this.byText.get(text);
    if (cached) {
      this.byText.delete(text);
      this.byText.set(text, cached);
      return cached;
    }
    const sig = signature(text);
    this.byText.set(text, sig);
    if (this.byText.size > this.capacity) this.byText.delete(this.byText.keys().next().value as string);
    return sig;
  }
}
