import { round2 } from './signatures.js';
import { snippet } from './text.js';
/**
 * Similarity detector: character 4-gram shingles of the deobfuscated text (links masked), compared
 * by cosine with known attacks (the scenarios' exemplars and the healer's antibodies) and with
 * known benign texts (the benign training split and the generic corpus), through an inverted
 * index built once per run. It blocks when
 * - the input is a near-copy of a known attack or antibody (cosine ≥ NEAR_COPY), or
 * - its three nearest known attacks are, on average, nearer than its three nearest benign texts
 *   by at least MARGIN (a nearest-neighbour vote).
 * The reason names the nearest known attack.
 */
/** Cosine at which an input counts as a copy of a known attack or antibody. */
export const NEAR_COPY = 0.5;
/** Required lead of the mean top-3 attack similarity over the mean top-3 benign similarity. */
export const MARGIN = 0.0;
const TOP = 3;
/** Shingles found in more than this share of the indexed texts are ignored (stop shingles). */
const MAX_DF = 1.0;
/** Characters of the folded text shingled at most. */
const MAX_CHARS = 8192;
/** Distinct hashed character 4-grams of a space-joined token string (padded with spaces). */
export function shingles(folded, skip) {
    const out = new Set();
    const n = Math.min(folded.length, MAX_CHARS);
    if (n === 0)
        return out;
    // The text padded with a space on both sides.
    const codes = new Uint16Array(n + 2);
    codes[0] = 32;
    codes[n + 1] = 32;
    for (let i = 0; i < n; i++)
        codes[i + 1] = folded.charCodeAt(i);
    for (let i = 0; i + 4 <= n + 2; i++) {
        let h = 0x811c9dc5;
        h = Math.imul(h ^ codes[i], 0x01000193);
        h = Math.imul(h ^ codes[i + 1], 0x01000193);
        h = Math.imul(h ^ codes[i + 2], 0x01000193);
        h = Math.imul(h ^ codes[i + 3], 0x01000193);
        // 30 bits keep the value a small integer (no boxing in Sets and Maps).
        const v = h & 0x3fffffff;
        if (skip === undefined || !skip.has(v))
            out.add(v);
    }
    return out;
}
function cosine(inter, a, b) {
    return inter === 0 ? 0 : inter / Math.sqrt(a * b);
}
/** Mean of the k largest values of `xs` (zeros when fewer). */
function topMean(xs, k) {
    const best = [0, 0, 0, 0, 0].slice(0, k);
    for (let i = 0; i < xs.length; i++) {
        const v = xs[i];
        if (v <= best[k - 1])
            continue;
        let j = k - 1;
        while (j > 0 && v > best[j - 1]) {
            best[j] = best[j - 1];
            j--;
        }
        best[j] = v;
    }
    return best.reduce((a, b) => a + b, 0) / k;
}
export class SimilarityIndex {
    fold;
    docs = [];
    sizes = [];
    attack = [];
    postings = new Map();
    /** Shingles so common across the indexed texts (" the", "you ") that they are ignored everywhere. */
    stop = new Set();
    antibodyCache = new Map();
    constructor(attacks, benign, 
    /** Turns a raw text into the folded, space-joined form that is shingled. */
    fold) {
        this.fold = fold;
        const sets = [];
        const add = (doc, isAttack) => {
            const set = shingles(this.fold(doc.text));
            if (set.size === 0)
                return;
            sets.push(set);
            this.docs.push(doc);
            this.attack.push(isAttack);
        };
        for (const a of attacks)
            add(a, true);
        benign.forEach((text, i) => add({ category: null, text, source: `benign ${i}` }, false));
        const df = new Map();
        for (const set of sets)
            for (const h of set)
                df.set(h, (df.get(h) ?? 0) + 1);
        const maxDf = Math.max(3, Math.floor(sets.length * MAX_DF));
        for (const [h, n] of df)
            if (n > maxDf)
                this.stop.add(h);
        sets.forEach((set, id) => {
            let size = 0;
            for (const h of set) {
                if (this.stop.has(h))
                    continue;
                size++;
                const list = this.postings.get(h);
                if (list)
                    list.push(id);
                else
                    this.postings.set(h, [id]);
            }
            this.sizes.push(Math.max(1, size));
        });
    }
    /** Shingles of a folded text without the stop shingles. */
    informative(folded) {
        return shingles(folded, this.stop);
    }
    /** Known attacks indexed. */
    get attackCount() {
        return this.attack.filter(Boolean).length;
    }
    antibodyShingles(text) {
        let s = this.antibodyCache.get(text);
        if (!s) {
            s = this.informative(this.fold(text));
            if (this.antibodyCache.size >= 2048)
                this.antibodyCache.clear();
            this.antibodyCache.set(text, s);
        }
        return s;
    }
    nearest(folded, antibodies) {
        const input = this.informative(folded);
        const none = { margin: 0, nearest: undefined, cosine: 0, antibody: false };
        if (input.size === 0)
            return none;
        const counts = new Int32Array(this.docs.length);
        for (const h of input) {
            const list = this.postings.get(h);
            if (list)
                for (let i = 0; i < list.length; i++) {
                    const d = list[i];
                    counts[d] = counts[d] + 1;
                }
        }
        const simA = new Float64Array(this.docs.length);
        const simB = new Float64Array(this.docs.length);
        let best = -1;
        let bestCos = 0;
        for (let id = 0; id < counts.length; id++) {
            const c = cosine(counts[id], input.size, this.sizes[id]);
            if (this.attack[id]) {
                simA[id] = c;
                if (c > bestCos) {
                    bestCos = c;
                    best = id;
                }
            }
            else
                simB[id] = c;
        }
        const result = { margin: topMean(simA, TOP) - topMean(simB, TOP), nearest: best >= 0 ? this.docs[best] : undefined, cosine: bestCos, antibody: false };
        for (const ab of antibodies) {
            const set = this.antibodyShingles(ab.text);
            if (set.size === 0)
                continue;
            let inter = 0;
            const [small, large] = set.size < input.size ? [set, input] : [input, set];
            for (const h of small)
                if (large.has(h))
                    inter++;
            const c = cosine(inter, input.size, set.size);
            if (c > result.cosine) {
                result.cosine = c;
                result.nearest = { category: ab.category, text: ab.text, source: `antibody from round ${ab.sourceRound}` };
                result.antibody = true;
            }
        }
        return result;
    }
}
export function similarityVote(a, index, antibodies) {
    const near = index.nearest(a.foldText, antibodies);
    const k = near.nearest;
    const what = k ? `${k.source}${k.category ? ` (${k.category})` : ''} "${snippet(k.text, 48)}" at ${near.cosine.toFixed(2)}` : 'none';
    if (near.cosine >= NEAR_COPY) {
        return { verdict: 'block', confidence: round2(0.6 + 0.4 * near.cosine), reason: `near-copy of a known attack: ${what}` };
    }
    if (near.margin > MARGIN) {
        return {
            verdict: 'block',
            confidence: round2(0.55 + Math.min(0.4, near.margin * 4)),
            reason: `closer to known attacks than to benign texts (lead ${near.margin.toFixed(3)}); nearest: ${what}`,
        };
    }
    return {
        verdict: 'allow',
        confidence: round2(0.55 + Math.min(0.4, -near.margin * 4)),
        reason: `closer to benign texts (lead ${near.margin.toFixed(3)}); nearest known attack: ${what}`,
    };
}
//# sourceMappingURL=similarity.js.map