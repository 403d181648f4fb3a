import type { Analysis } from './analysis.js';
import { PhraseMatcher } from './phrases.js';
import { ADDRESS_RULES, AI_LABEL, DIRECTIVE_RULES, imperativeStart, type AddressRule } from './rules/address.js';
import type { Lexicon } from './tokens.js';

/** Summed weight of address phrases from which a window counts as speaking to an AI. */
const ADDRESSED = 0.7;

/** Who each window of a document speaks to, and whether it tells its addressee to do something. */
export interface Addressing {
  /**
   * Per window: 0 speaks to people; 1 speaks to an AI (its own address phrases, or it starts with
   * an AI as addressee, "Calendar assistant: …"); 2 follows such a window in the same paragraph.
   */
  level: Uint8Array;
  /** Per window: 1 when it holds a directive (please do, must do, do not tell, an imperative). */
  directive: Uint8Array;
}

/**
 * Reads which windows of a document speak to an AI reader (rules/address.ts), so that
 * "Note for automated assistants: …" carries over to the sentences that follow it, and whether
 * they give it an instruction: an addressed window with a directive is the shape of an indirect
 * prompt injection, whatever it asks for.
 */
export class AddressReader {
  private readonly address: PhraseMatcher<AddressRule>;
  private readonly directives: PhraseMatcher<AddressRule>;
  private last: { a: Analysis; result: Addressing } | undefined;

  constructor(lexicon: Lexicon, frequencies?: () => ReadonlyMap<number, number>) {
    this.address = new PhraseMatcher(
      ADDRESS_RULES.map((r) => ({ pattern: r.pattern, meta: r })),
      lexicon,
      frequencies,
    );
    this.directives = new PhraseMatcher(
      DIRECTIVE_RULES.map((r) => ({ pattern: r.pattern, meta: r })),
      lexicon,
      frequencies,
    );
  }

  /** The addressing of each window of `a.layout` (one window for a message). */
  read(a: Analysis): Addressing {
    if (this.last?.a === a) return this.last.result;
    const { windows } = a.layout;
    const ids = a.lowerIds;
    const level = new Uint8Array(windows.length);
    const directive = new Uint8Array(windows.length);
    windows.forEach((w, i) => {
      const span = ids.subarray(w.from, w.to);
      let weight = 0;
      for (const r of this.address.scan(span)) weight += (ADDRESS_RULES[r] as AddressRule).weight;
      const text = a.windowText(i);
      if (weight >= ADDRESSED || AI_LABEL.test(text)) level[i] = 1;
      else if (i > 0 && level[i - 1] === 1 && (windows[i - 1] as { block: number }).block === w.block) level[i] = 2;
      if (level[i] !== 0 && (this.directives.scan(span).length > 0 || imperativeStart(text))) directive[i] = 1;
    });
    const result = { level, directive };
    this.last = { a, result };
    return result;
  }
}
