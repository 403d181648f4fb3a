/**
 * Reply helpers for the loopback servers: they read hive's prompts the way a model would, so
 * tests can script defenders and attackers by what they are shown.
 */
function text(m) {
    return typeof m?.content === 'string' ? m.content : '';
}
/** The input a defender was asked to judge (between the INPUT markers), or undefined for other prompts. */
export function judgedInput(messages) {
    const user = text(messages.find((m) => m.role === 'user'));
    const open = /<<<INPUT (\S+)>>>\n/.exec(user);
    if (!open)
        return undefined;
    const close = `\n<<<END INPUT ${open[1]}>>>`;
    const start = open.index + open[0].length;
    const end = user.indexOf(close, start);
    return end < 0 ? undefined : user.slice(start, end);
}
/** Whether the request comes from an attacker (the red-team system prompt). */
export function isAttackerPrompt(messages) {
    return text(messages[0]).includes('red-team author');
}
/** The category an attacker was asked for. */
export function requestedCategory(messages) {
    return /^Category: (\S+)/m.exec(text(messages.find((m) => m.role === 'user')))?.[1] ?? 'unknown';
}
export function verdictJson(verdict, confidence = 0.9, reason = 'scripted') {
    return JSON.stringify({ verdict, confidence, reason });
}
//# sourceMappingURL=llm-replies.js.map