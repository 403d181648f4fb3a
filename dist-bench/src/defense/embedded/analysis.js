import { extractFeatures } from './features.js';
import { deepFold, lowerForm, maskLinks, mixedScriptWords, sanitize, words } from './text.js';
/**
 * Everything the embedded detectors derive from one input, computed lazily and at most once. The
 * five detectors of a round see the same text, so a run shares one Analysis per text (see
 * EmbeddedKnowledge.analyse), but each detector asks only for the forms it uses.
 */
export class Analysis {
    text;
    lexicon;
    _raw;
    _lower;
    _lowerWords;
    _lowerIds;
    _fold;
    _foldIds;
    _foldText;
    _features;
    _mixed;
    _masked;
    constructor(text, lexicon) {
        this.text = text;
        this.lexicon = lexicon;
    }
    /** Clipped, well-formed, without terminal escapes and control characters. */
    get raw() {
        return (this._raw ??= sanitize(this.text));
    }
    /** NFKC, lower case, apostrophes dropped. Zero-width characters and homoglyphs untouched. */
    get lower() {
        return (this._lower ??= lowerForm(this.raw));
    }
    get lowerWords() {
        return (this._lowerWords ??= words(this.lower));
    }
    get lowerIds() {
        return (this._lowerIds ??= this.lexicon.idsOf(this.lowerWords));
    }
    /** Deobfuscated tokens of the masked form: invisibles removed, homoglyphs folded, leetspeak and spacing undone. */
    get fold() {
        if (this._fold)
            return this._fold;
        const masked = this.maskedLower;
        return (this._fold = deepFold(masked, this.lexicon, masked === this.lower ? this.lowerWords : undefined));
    }
    /** Word ids of the folded tokens; the very same array as lowerIds when folding changed nothing. */
    get foldIds() {
        if (this._foldIds)
            return this._foldIds;
        const folded = this.fold.tokens;
        const plain = this.lowerWords;
        let same = folded.length === plain.length;
        for (let i = 0; same && i < folded.length; i++)
            same = folded[i] === plain[i];
        return (this._foldIds = same ? this.lowerIds : this.lexicon.idsOf(folded));
    }
    get foldText() {
        return (this._foldText ??= this.fold.tokens.join(' '));
    }
    /** The lower form with URLs, e-mail addresses and host names replaced by placeholders. */
    get maskedLower() {
        return (this._masked ??= maskLinks(this.lower));
    }
    get features() {
        return (this._features ??= extractFeatures(this.raw, this.raw.toLowerCase()));
    }
    get mixedScriptWords() {
        return (this._mixed ??= mixedScriptWords(this.lower));
    }
}
/** A small map of recent analyses, so the five detectors of a round share the work. */
export class AnalysisCache {
    lexicon;
    capacity;
    map = new Map();
    constructor(lexicon, capacity = 64) {
        this.lexicon = lexicon;
        this.capacity = capacity;
    }
    get(text) {
        // Huge inputs are analysed afresh rather than kept alive by the cache.
        if (text.length > 256 * 1024)
            return new Analysis(text, this.lexicon);
        let a = this.map.get(text);
        if (a)
            return a;
        a = new Analysis(text, this.lexicon);
        if (this.map.size >= this.capacity) {
            // Drop the oldest entry (Map keeps insertion order).
            const first = this.map.keys().next();
            if (!first.done)
                this.map.delete(first.value);
        }
        this.map.set(text, a);
        return a;
    }
}
//# sourceMappingURL=analysis.js.map