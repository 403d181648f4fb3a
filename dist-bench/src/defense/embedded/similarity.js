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
/** Characters of the folded text shingled at most. */
const MAX_CHARS = 8192;
/** Distinct hashed character 4-grams of a space-joined token string (padded with spaces), sorted. */
export function shingles(folded) {
    const n = Math.min(folded.length, MAX_CHARS);
    if (n === 0)
        return new Int32Array(0);
    // The text padded with a space on both sides.
    const codes = new Uint16Array(n + 2);
    codes[0] = 32;
    codes[n + 1] = 32;
    for (let i = 0; i < n; i++)
        codes[i + 1] = folded.charCodeAt(i);
    const out = new Int32Array(n - 1);
    let k = 0;
    for (let i = 0; i + 4 <= n + 2; i++) {
        let h = 0x811c9dc5;
        h = Math.imul(h ^ codes[i], 0x01000193);
        h = Math.imul(h ^ codes[i + 1], 0x01000193);
        h = Math.imul(h ^ codes[i + 2], 0x01000193);
        h = Math.imul(h ^ codes[i + 3], 0x01000193);
        out[k++] = h & 0x3fffffff;
    }
    const kept = out.subarray(0, k);
    kept.sort();
    let m = 0;
    for (let i = 0; i < kept.length; i++)
        if (i === 0 || kept[i] !== kept[i - 1])
            kept[m++] = kept[i];
    return kept.subarray(0, m);
}
/** Size of the intersection of two sorted, duplicate-free arrays. */
function intersect(a, b) {
    let i = 0;
    let j = 0;
    let n = 0;
    while (i < a.length && j < b.length) {
        const x = a[i];
        const y = b[j];
        if (x === y) {
            n++;
            i++;
            j++;
        }
        else if (x < y)
            i++;
        else
            j++;
    }
    return n;
}
function cosine(inter, a, b) {
    return inter === 0 ? 0 : inter / Math.sqrt(a * b);
}
/**
 * An inverted index over shingle hashes in flat typed arrays (open addressing), so a query costs
 * a few array reads per shingle and allocates almost nothing.
 */
export class SimilarityIndex {
    fold;
    docs = [];
    invSqrtSize;
    isAttack;
    mask;
    keys;
    start;
    count;
    postings;
    antibodyCache = new Map();
    constructor(attacks, benign, 
    /** Turns a raw text into the folded, space-joined form that is shingled. */
    fold) {
        this.fold = fold;
        const sets = [];
        const kinds = [];
        const add = (doc, attack) => {
            const set = shingles(this.fold(doc.text));
            if (set.length === 0)
                return;
            sets.push(set);
            this.docs.push(doc);
            kinds.push(attack ? 1 : 0);
        };
        for (const a of attacks)
            add(a, true);
        benign.forEach((text, i) => add({ category: null, text, source: `benign ${i}` }, false));
        this.invSqrtSize = Float64Array.from(sets.map((s) => 1 / Math.sqrt(s.length)));
        this.isAttack = Uint8Array.from(kinds);
        const df = new Map();
        for (const set of sets)
            for (const h of set)
                df.set(h, (df.get(h) ?? 0) + 1);
        let cap = 1024;
        while (cap < df.size * 2)
            cap *= 2;
        this.mask = cap - 1;
        this.keys = new Int32Array(cap).fill(-1);
        this.start = new Int32Array(cap);
        this.count = new Int32Array(cap);
        let offset = 0;
        for (const [h, n] of df) {
            let slot = this.slotOf(h);
            while (this.keys[slot] !== -1)
                slot = (slot + 1) & this.mask;
            this.keys[slot] = h;
            this.start[slot] = offset;
            offset += n;
        }
        this.postings = new Int32Array(offset);
        sets.forEach((set, id) => {
            for (const h of set) {
                const slot = this.find(h);
                this.postings[this.start[slot] + this.count[slot]] = id;
                this.count[slot] = this.count[slot] + 1;
            }
        });
    }
    slotOf(h) {
        return Math.imul(h, 0x9e3779b1) >>> 0 & this.mask;
    }
    /** Slot of hash `h`, or -1. */
    find(h) {
        let slot = this.slotOf(h);
        for (;;) {
            const k = this.keys[slot];
            if (k === h)
                return slot;
            if (k === -1)
                return -1;
            slot = (slot + 1) & this.mask;
        }
    }
    /** Known attacks indexed. */
    get attackCount() {
        let n = 0;
        for (const a of this.isAttack)
            n += a;
        return n;
    }
    antibodyShingles(text) {
        let s = this.antibodyCache.get(text);
        if (!s) {
            s = shingles(this.fold(text));
            if (this.antibodyCache.size >= 2048)
                this.antibodyCache.clear();
            this.antibodyCache.set(text, s);
        }
        return s;
    }
    nearest(folded, antibodies) {
        const input = shingles(folded);
        const none = { margin: 0, nearest: undefined, cosine: 0, antibody: false };
        if (input.length === 0)
            return none;
        const docs = this.docs.length;
        const counts = new Int32Array(docs);
        for (let i = 0; i < input.length; i++) {
            const slot = this.find(input[i]);
            if (slot < 0)
                continue;
            const from = this.start[slot];
            const to = from + this.count[slot];
            for (let p = from; p < to; p++) {
                const d = this.postings[p];
                counts[d] = counts[d] + 1;
            }
        }
        // One pass: cosine = shared / sqrt(|input| · |doc|), keeping the top three of each class.
        const inputScale = 1 / Math.sqrt(input.length);
        let a0 = 0;
        let a1 = 0;
        let a2 = 0;
        let b0 = 0;
        let b1 = 0;
        let b2 = 0;
        let best = -1;
        for (let id = 0; id < docs; id++) {
            const shared = counts[id];
            if (shared === 0)
                continue;
            const c = shared * inputScale * this.invSqrtSize[id];
            if (this.isAttack[id] === 1) {
                if (c > a2) {
                    if (c > a0) {
                        a2 = a1;
                        a1 = a0;
                        a0 = c;
                        best = id;
                    }
                    else if (c > a1) {
                        a2 = a1;
                        a1 = c;
                    }
                    else
                        a2 = c;
                }
            }
            else if (c > b2) {
                if (c > b0) {
                    b2 = b1;
                    b1 = b0;
                    b0 = c;
                }
                else if (c > b1) {
                    b2 = b1;
                    b1 = c;
                }
                else
                    b2 = c;
            }
        }
        const result = {
            margin: (a0 + a1 + a2) / 3 - (b0 + b1 + b2) / 3,
            nearest: best >= 0 ? this.docs[best] : undefined,
            cosine: a0,
            antibody: false,
        };
        for (const ab of antibodies) {
            const set = this.antibodyShingles(ab.text);
            if (set.length === 0)
                continue;
            const c = cosine(intersect(input, set), input.length, set.length);
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