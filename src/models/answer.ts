/**
 * What a model answered, apart from what it thought first. Reasoning models put their thoughts in
 * a field of their own (Ollama `thinking`, `reasoning_content`, `reasoning`) or at the start of the
 * content (`<think>…</think>`, `<thinking>…</thinking>`; a template that opens the block in the
 * prompt leaves only the closing tag; a thought cut at the token cap never closes). Thoughts are
 * never a verdict or an attack: a draft `{"verdict": "allow"}` in them must not vote, and "I
 * can't help thinking…" in them must not make an attack a refusal. They are kept apart, for the
 * record (votes.reasoning, attacks.reasoning).
 *
 * Only blocks at the very start of the content count: an attack may carry `<think>` tags in its
 * body (fake reasoning is an attack technique) and must keep them.
 */
import type { ChatResult } from './chat.js';

const OPENING = /^\s*<(think|thinking)\s*>/i;
const CLOSING: Readonly<Record<string, RegExp>> = { think: /<\/think\s*>/i, thinking: /<\/thinking\s*>/i };
/** A closing tag with no opening one counts only at the start of a line, where templates put it (not inside a quoted string). */
const LINE_CLOSING = /(?:^|\n)[ \t]*<\/(?:think|thinking)\s*>/i;
const ANY_OPENING = /<(?:think|thinking)\s*>/i;

/** The content with its leading reasoning blocks taken out; `reasoning` is what they held, trimmed. */
export function splitReasoning(content: string): { text: string; reasoning: string } {
  let rest = content;
  const thoughts: string[] = [];
  for (let open = OPENING.exec(rest); open; open = OPENING.exec(rest)) {
    const after = rest.slice(open[0].length);
    const close = (CLOSING[(open[1] as string).toLowerCase()] as RegExp).exec(after);
    if (!close) {
      // Never closed: the model was still thinking when the answer ended.
      thoughts.push(after);
      rest = '';
      break;
    }
    thoughts.push(after.slice(0, close.index));
    rest = after.slice(close.index + close[0].length);
  }
  if (thoughts.length === 0) {
    const orphan = LINE_CLOSING.exec(rest);
    if (!orphan || ANY_OPENING.test(rest.slice(0, orphan.index))) return { text: content, reasoning: '' };
    thoughts.push(rest.slice(0, orphan.index));
    rest = rest.slice(orphan.index + orphan[0].length);
  }
  return { text: rest.trim(), reasoning: joinThoughts(thoughts) };
}

function joinThoughts(parts: ReadonlyArray<string | undefined>): string {
  return parts
    .map((p) => (p ?? '').trim())
    .filter((p) => p !== '')
    .join('\n\n');
}

export type ReadAnswer =
  | { ok: true; text: string; reasoning: string }
  /** No usable text: what is wrong, for the vote's or the round's error. */
  | { ok: false; error: string; reasoning: string };

/**
 * The usable text of a call's answer, with everything the model thought (field and blocks)
 * joined in `reasoning`. No text outside the reasoning is an error, never an answer: an empty
 * answer, one cut at the token cap before it said anything, one that held only reasoning.
 */
export function readAnswer(res: Pick<ChatResult, 'text' | 'reasoning' | 'finishReason'>): ReadAnswer {
  const blocks = splitReasoning(res.text);
  const reasoning = joinThoughts([res.reasoning, blocks.reasoning]);
  const text = blocks.text.trim();
  if (text !== '') return { ok: true, text: blocks.text, reasoning };
  const cut = res.finishReason === 'length';
  if (reasoning !== '') return { ok: false, error: `the answer held only reasoning; raise max_tokens${cut ? ' (cut at the token cap)' : ''}`, reasoning };
  return { ok: false, error: cut ? 'empty answer, cut at the token cap; raise max_tokens' : 'empty answer', reasoning };
}
