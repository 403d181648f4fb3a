/**
 * Reply helpers for the loopback servers: they read hive's prompts the way a model would, so
 * tests can script defenders and attackers by what they are shown.
 */

interface Msg {
  role: string;
  content?: unknown;
}

function text(m: Msg | undefined): string {
  return typeof m?.content === 'string' ? m.content : '';
}

/** The input a defender was asked to judge (between the INPUT markers), or undefined for other prompts. */
export function judgedInput(messages: readonly Msg[]): string | undefined {
  const user = text(messages.find((m) => m.role === 'user'));
  const open = /<<<INPUT (\S+)>>>\n/.exec(user);
  if (!open) return undefined;
  const close = `\n<<<END INPUT ${open[1]}>>>`;
  const start = open.index + open[0].length;
  const end = user.indexOf(close, start);
  return end < 0 ? undefined : user.slice(start, end);
}

/** Whether the request comes from an attacker (the red-team system prompt). */
export function isAttackerPrompt(messages: readonly Msg[]): boolean {
  return text(messages[0]).includes('red-team author');
}

/** The category an attacker was asked for. */
export function requestedCategory(messages: readonly Msg[]): string {
  return /^Category: (\S+)/m.exec(text(messages.find((m) => m.role === 'user')))?.[1] ?? 'unknown';
}

export function verdictJson(verdict: 'block' | 'allow', confidence = 0.9, reason = 'scripted'): string {
  return JSON.stringify({ verdict, confidence, reason });
}

/**
 * A model whose server enforces the schema and which fills every field as far as the schema
 * lets it (a small model that never stops): verdict "block", confidence with the 16 decimals a
 * llama.cpp grammar allows, reason up to its maxLength (unbounded: forever). One character is one
 * token, the worst case; past `maxTokens` the answer is cut, as a server cuts it.
 */
export function paddedVerdict(schema: unknown, maxTokens: number): { chunks: string[]; cut: boolean } {
  const reason = (schema as { properties?: { reason?: { maxLength?: number } } } | undefined)?.properties?.reason?.maxLength;
  const text = `{"verdict": "block", "confidence": 0.${'9'.repeat(16)}, "reason": "${'x'.repeat(reason ?? maxTokens + 1)}"}`;
  const chars = [...text];
  return { chunks: chars.slice(0, maxTokens), cut: chars.length > maxTokens };
}
