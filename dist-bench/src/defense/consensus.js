export function tally(verdicts) {
    const t = { block: 0, allow: 0, abstain: 0 };
    for (const v of verdicts)
        t[v] += 1;
    return t;
}
/** Block when at least `threshold` defenders vote block (abstentions count as `on_abstain` says). */
export function thresholdConsensus(config) {
    const threshold = config.threshold;
    const quorum = config.quorum ?? threshold;
    const onAbstain = config.on_abstain;
    const blocking = (t) => t.block + (onAbstain === 'block' ? t.abstain : 0);
    const finish = (t, decision) => ({
        ...t,
        decision,
        score: t.block + t.allow === 0 ? 0 : t.block / (t.block + t.allow),
    });
    return {
        threshold,
        quorum,
        onAbstain,
        decide(verdicts) {
            const t = tally(verdicts);
            if (t.block + t.allow < quorum)
                return finish(t, 'error');
            return finish(t, blocking(t) >= threshold ? 'block' : 'allow');
        },
        decidedEarly(verdicts, pending) {
            const t = tally(verdicts);
            const answered = t.block + t.allow;
            // Quorum can no longer be met whatever the pending defenders say.
            if (answered + pending < quorum)
                return finish(t, 'error');
            // A pending defender may still abstain, so the quorum must already be met to decide early.
            if (answered < quorum)
                return undefined;
            if (blocking(t) >= threshold)
                return finish(t, 'block');
            // Each pending defender adds at most one blocking vote (a block, or an abstention counted as one).
            if (blocking(t) + pending < threshold)
                return finish(t, 'allow');
            return undefined;
        },
    };
}
//# sourceMappingURL=consensus.js.map