import { lowerForm, words } from './text.js';
const ANY = -2;
function expand(pattern) {
    const open = pattern.indexOf('(');
    if (open < 0)
        return [pattern];
    const close = pattern.indexOf(')', open);
    if (close < 0)
        throw new Error(`unbalanced pattern: ${pattern}`);
    const head = pattern.slice(0, open);
    const optional = pattern.charAt(close + 1) === '?';
    const tail = pattern.slice(close + (optional ? 2 : 1));
    const alts = pattern
        .slice(open + 1, close)
        .split('|')
        .map((a) => a.trim())
        .filter(Boolean);
    // One-word alternatives share one slot; only multi-word ones need a variant of their own.
    const single = alts.filter((a) => !a.includes(' '));
    const variants = alts.filter((a) => a.includes(' '));
    if (single.length > 0)
        variants.unshift(single.join('|'));
    if (optional)
        variants.push('');
    return variants.flatMap((alt) => expand(`${head} ${alt} ${tail}`));
}
export class PhraseMatcher {
    rules;
    lexicon;
    frequencyTexts;
    compiled = [];
    /** anchors[id]: the compiled variants anchored on word id `id` (their rarest slot). */
    anchors;
    constructor(rules, lexicon, 
    /** Everyday texts used to estimate how common each word is, to anchor patterns on rare words. */
    frequencyTexts = []) {
        this.rules = rules;
        this.lexicon = lexicon;
        this.frequencyTexts = frequencyTexts;
        rules.forEach((rule, r) => {
            for (const variant of expand(rule.pattern))
                this.compile(variant, r);
        });
    }
    compile(variant, rule) {
        const slots = [];
        const gaps = [];
        const any = [];
        let gap = 0;
        for (const part of variant.trim().split(/\s+/)) {
            if (part.startsWith('~')) {
                const n = Number(part.slice(1));
                if (!Number.isInteger(n) || n < 0)
                    throw new Error(`bad gap in pattern: ${variant}`);
                gap += n;
                continue;
            }
            const set = new Set();
            let isAny = false;
            for (const alt of part.split('|')) {
                if (alt === '*') {
                    isAny = true;
                    set.add(ANY);
                    continue;
                }
                if (alt === '#') {
                    set.add(this.lexicon.intern('#'));
                    continue;
                }
                const ws = words(lowerForm(alt));
                if (ws.length !== 1)
                    throw new Error(`pattern slot "${alt}" must be one word (in: ${variant})`);
                set.add(this.lexicon.intern(ws[0]));
            }
            slots.push(set);
            gaps.push(gap);
            any.push(isAny);
            gap = 0;
        }
        if (slots.length === 0)
            throw new Error(`empty pattern for rule ${rule}`);
        if (any.every(Boolean))
            throw new Error(`pattern needs at least one word slot: ${variant}`);
        this.compiled.push({ rule, slots, gaps, any, anchor: 0 });
    }
    /** Anchors every variant on its rarest slot (estimated on `frequencyTexts`). Built on first scan. */
    buildAnchors() {
        const freq = new Map();
        for (const t of this.frequencyTexts) {
            for (const w of words(lowerForm(t))) {
                const id = this.lexicon.idOf(w);
                if (id >= 0)
                    freq.set(id, (freq.get(id) ?? 0) + 1);
            }
        }
        const anchors = [];
        this.compiled.forEach((p, c) => {
            let best = -1;
            let bestCost = Infinity;
            p.slots.forEach((set, j) => {
                if (p.any[j])
                    return;
                let cost = 0;
                for (const id of set)
                    cost += 1 + 4 * (freq.get(id) ?? 0);
                if (cost < bestCost) {
                    bestCost = cost;
                    best = j;
                }
            });
            p.anchor = best;
            for (const id of p.slots[best])
                (anchors[id] ??= []).push(c);
        });
        return anchors;
    }
    /** Indices of the rules that match `ids` (each rule once, in order of first match). */
    scan(ids) {
        const anchors = (this.anchors ??= this.buildAnchors());
        let hit;
        const out = [];
        const n = ids.length;
        for (let i = 0; i < n; i++) {
            const id = ids[i];
            if (id < 0)
                continue;
            const list = anchors[id];
            if (list === undefined)
                continue;
            for (const c of list) {
                const p = this.compiled[c];
                if (hit !== undefined && hit[p.rule] === 1)
                    continue;
                if (this.matchAround(p, ids, i)) {
                    hit ??= new Uint8Array(this.rules.length);
                    hit[p.rule] = 1;
                    out.push(p.rule);
                }
            }
        }
        return out;
    }
    /** Matches the slots before the anchor backwards and those after it forwards, nearest first. */
    matchAround(p, ids, at) {
        let pos = at;
        for (let j = p.anchor - 1; j >= 0; j--) {
            const limit = Math.max(0, pos - 1 - p.gaps[j + 1]);
            const set = p.slots[j];
            const any = p.any[j];
            let found = -1;
            for (let q = pos - 1; q >= limit; q--) {
                if (any || set.has(ids[q])) {
                    found = q;
                    break;
                }
            }
            if (found < 0)
                return false;
            pos = found;
        }
        pos = at;
        const n = ids.length;
        for (let j = p.anchor + 1; j < p.slots.length; j++) {
            const limit = Math.min(n - 1, pos + 1 + p.gaps[j]);
            const set = p.slots[j];
            const any = p.any[j];
            let found = -1;
            for (let q = pos + 1; q <= limit; q++) {
                if (any || set.has(ids[q])) {
                    found = q;
                    break;
                }
            }
            if (found < 0)
                return false;
            pos = found;
        }
        return true;
    }
}
//# sourceMappingURL=phrases.js.map