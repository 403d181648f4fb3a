import { proposeIndicatorsWith } from './druid.js';
import { defenderMessages } from './prompts.js';
import { parseVerdict, VERDICT_JSON_SCHEMA } from './verdict.js';
export const DEFAULT_DEFENDER_MAX_TOKENS = 128;
export function createLlmDefender(o) {
    return {
        name: o.name,
        role: o.role,
        provider: o.chat.provider,
        model: o.chat.model,
        // A druid also writes indicator phrases after a breach (src/defense/druid.ts, issue 8).
        ...(o.role === 'druid'
            ? { proposeIndicators: (breach, limit, signal) => proposeIndicatorsWith(o.chat, breach, limit, { temperature: o.temperature, seed: o.seed }, signal) }
            : {}),
        async vote(probe, ctx, signal) {
            // Only the text is shown: the round's category and kind are the labels being measured.
            const messages = defenderMessages({ role: o.role, vanguard: o.vanguard, antibodies: ctx.antibodies, nonce: ctx.nonce, text: probe.text });
            const res = await o.chat.chat({
                messages,
                temperature: o.temperature ?? 0,
                seed: o.seed,
                maxTokens: o.maxTokens ?? DEFAULT_DEFENDER_MAX_TOKENS,
                // The provider asks for structured output where it can; the prompt asks for JSON in any case.
                jsonSchema: VERDICT_JSON_SCHEMA,
            }, signal);
            const tokens = { promptTokens: res.promptTokens, completionTokens: res.completionTokens };
            const parsed = parseVerdict(res.text);
            if (!parsed.ok) {
                const cut = res.finishReason === 'length' ? ' (answer cut at the token cap)' : '';
                return { verdict: 'abstain', confidence: null, reason: '', error: `${parsed.error}${cut}`, raw: parsed.raw, ...tokens };
            }
            return { verdict: parsed.verdict, confidence: parsed.confidence, reason: parsed.reason, ...tokens };
        },
    };
}
//# sourceMappingURL=llm-defender.js.map