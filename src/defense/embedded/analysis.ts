import { extractFeatures, type Features } from './features.js';
import { deepFold, mixedScriptWords, type DeepFold } from './fold.js';
import { layoutOf, surelyMessage, type Layout } from './layout.js';
import { Recent } from './recent.js';
import { lowerForm, maskLinks, sanitize } from './text.js';
import { words, type Lexicon } from './tokens.js';

/**
 * Everything the embedded detectors derive from one input, computed lazily and at most once. The
 * five detectors of a round see the same text, so a run shares one Analysis per text (see
 * EmbeddedKnowledge.analyse), but each detector asks only for the forms it uses.
 */
export class Analysis {
  private _raw?: string;
  private _lower?: string;
  private _lowerWords?: string[];
  private _offsets?: number[];
  private _layout?: Layout;
  private _units?: string[];
  private _lowerIds?: Int32Array;
  private _fold?: DeepFold;
  private _foldIds?: Int32Array;
  private _foldText?: string;
  private _features?: Features;
  private _mixed?: number;
  private _masked?: string;

  constructor(
    readonly text: string,
    private readonly lexicon: Lexicon,
  ) {}

  /** Clipped, well-formed, without terminal escapes and control characters. */
  get raw(): string {
    return (this._raw ??= sanitize(this.text));
  }

  /** NFKC, lower case, apostrophes dropped. Zero-width characters and homoglyphs untouched. */
  get lower(): string {
    return (this._lower ??= lowerForm(this.raw));
  }

  get lowerWords(): string[] {
    if (this._lowerWords === undefined) {
      this._offsets = [];
      this._lowerWords = words(this.lower, this._offsets);
    }
    return this._lowerWords;
  }

  /** The lower-case text of window `i` of the layout. */
  windowText(i: number): string {
    const w = this.layout.windows[i];
    if (w === undefined) return '';
    const offsets = this._offsets as number[];
    const from = w.from < offsets.length ? (offsets[w.from] as number) : this.lower.length;
    const to = w.to < offsets.length ? (offsets[w.to] as number) : this.lower.length;
    return this.lower.slice(from, to);
  }

  /**
   * What the statistical detectors read, links masked: the whole text of a message, each window
   * of a document (so a long benign document is many short benign texts, and one injected
   * paragraph is not drowned in it).
   */
  get units(): string[] {
    if (this._units) return this._units;
    if ((this._layout === undefined && surelyMessage(this.lower)) || !this.layout.document) return (this._units = [this.maskedLower]);
    return (this._units = this.layout.windows.map((_, i) => maskLinks(this.windowText(i))));
  }

  /** Message or document, and the windows of a document (over lowerWords and lowerIds). */
  get layout(): Layout {
    return (this._layout ??= layoutOf(this.lower, (this.lowerWords, this._offsets as number[])));
  }

  get lowerIds(): Int32Array {
    return (this._lowerIds ??= this.lexicon.idsOf(this.lowerWords));
  }

  /** Deobfuscated tokens of the masked form: invisibles removed, homoglyphs folded, leetspeak and spacing undone. */
  get fold(): DeepFold {
    if (this._fold) return this._fold;
    const masked = this.maskedLower;
    return (this._fold = deepFold(masked, this.lexicon, masked === this.lower ? this.lowerWords : undefined));
  }

  /** Word ids of the folded tokens; the very same array as lowerIds when folding changed nothing. */
  get foldIds(): Int32Array {
    if (this._foldIds) return this._foldIds;
    const folded = this.fold.tokens;
    const plain = this.lowerWords;
    if (folded === plain) return (this._foldIds = this.lowerIds);
    let same = folded.length === plain.length;
    for (let i = 0; same && i < folded.length; i++) same = folded[i] === plain[i];
    return (this._foldIds = same ? this.lowerIds : this.lexicon.idsOf(folded));
  }

  get foldText(): string {
    return (this._foldText ??= this.fold.tokens.join(' '));
  }

  /** The lower form with URLs, e-mail addresses and host names replaced by placeholders. */
  get maskedLower(): string {
    return (this._masked ??= maskLinks(this.lower));
  }

  get features(): Features {
    return (this._features ??= extractFeatures(this.raw, this.raw.toLowerCase()));
  }

  get mixedScriptWords(): number {
    return (this._mixed ??= mixedScriptWords(this.lower));
  }
}

/** A small map of recent analyses, so the five detectors of a round share the work. */
export class AnalysisCache {
  private readonly recent: Recent<Analysis>;
  constructor(
    private readonly lexicon: Lexicon,
    capacity = 64,
  ) {
    this.recent = new Recent(capacity);
  }

  get(text: string): Analysis {
    // Huge inputs are analysed afresh rather than kept alive by the cache.
    if (text.length > 256 * 1024) return new Analysis(text, this.lexicon);
    return this.recent.get(text) ?? this.recent.put(text, new Analysis(text, this.lexicon));
  }
}
