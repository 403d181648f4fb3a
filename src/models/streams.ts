/**
 * Streams a server sent when it was asked for one object. hive asks every call unstreamed, but
 * some OpenAI-compatible servers and proxies answer `text/event-stream` anyway (or a complete
 * object followed by `data: [DONE]`), and proxies in front of Ollama may answer NDJSON; the
 * official clients then fail to parse it or hand back a string. These functions fold such a
 * body into the one object the protocol promised, so the provider reads it like any other.
 * Pure functions over the body text: nothing here touches the network.
 */

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A folded stream that carried an error event: the error's message. */
export class StreamError extends Error {}

function errorText(e: unknown): string {
  if (typeof e === 'string') return e;
  if (isObj(e) && typeof e.message === 'string') return e.message;
  return JSON.stringify(e);
}

/**
 * An SSE chat-completion stream (`data: {chunk}` … `data: [DONE]`) as one `chat.completion`:
 * deltas joined (content, reasoning_content, reasoning), the last finish_reason, log-probabilities
 * in order, the usage chunk when one came. A stream without any choice folds to `choices: []`.
 * A body that is already one object (with a stray `data: [DONE]` after it) is returned as it is.
 * Throws StreamError for an error event, and SyntaxError for a body that is neither.
 */
export function foldSse(body: string): Obj {
  const trimmed = body.trim();
  if (trimmed.startsWith('{')) {
    const whole = parse(trimmed.replace(/(?:\s*data:\s*\[DONE\])+$/, ''));
    if (isObj(whole)) return whole;
  }
  const events = trimmed
    .split(/\r?\n/)
    .filter((l) => l.startsWith('data:'))
    .map((l) => l.slice(5).trim())
    .filter((d) => d !== '' && d !== '[DONE]');
  if (events.length === 0 && trimmed !== '') throw new SyntaxError('the stream held no data events');
  let head: Obj | undefined;
  let sawChoice = false;
  let content = '';
  let reasoningContent = '';
  let reasoning = '';
  let finish: unknown = null;
  let usage: unknown;
  const logprobs: unknown[] = [];
  for (const data of events) {
    const chunk = parse(data);
    if (!isObj(chunk)) throw new SyntaxError(`a stream event is not JSON: ${data.slice(0, 80)}`);
    if (chunk.error !== undefined) throw new StreamError(errorText(chunk.error));
    head ??= chunk;
    if (isObj(chunk.usage)) usage = chunk.usage;
    const choice = Array.isArray(chunk.choices) ? chunk.choices[0] : undefined;
    if (!isObj(choice)) continue;
    sawChoice = true;
    const delta = isObj(choice.delta) ? choice.delta : {};
    if (typeof delta.content === 'string') content += delta.content;
    if (typeof delta.reasoning_content === 'string') reasoningContent += delta.reasoning_content;
    if (typeof delta.reasoning === 'string') reasoning += delta.reasoning;
    if (choice.finish_reason !== null && choice.finish_reason !== undefined) finish = choice.finish_reason;
    const lp = isObj(choice.logprobs) && Array.isArray(choice.logprobs.content) ? choice.logprobs.content : [];
    logprobs.push(...lp);
  }
  const message: Obj = { role: 'assistant', content };
  if (reasoningContent !== '') message.reasoning_content = reasoningContent;
  if (reasoning !== '') message.reasoning = reasoning;
  return {
    id: head?.id ?? 'folded-stream',
    object: 'chat.completion',
    created: head?.created ?? 0,
    model: head?.model ?? '',
    choices: sawChoice ? [{ index: 0, message, finish_reason: finish, logprobs: logprobs.length > 0 ? { content: logprobs } : null }] : [],
    ...(usage !== undefined ? { usage } : {}),
  };
}

/**
 * An Ollama NDJSON chat stream as the one object `"stream": false` returns: message pieces
 * (content, thinking) joined, log-probabilities in order, counts and done_reason from the last
 * (`done`) line. Throws StreamError for an `{"error": …}` line, SyntaxError for a line that is
 * not JSON, and StreamError when the stream ends without its done line.
 */
export function foldNdjson(body: string): Obj {
  let content = '';
  let thinking = '';
  const logprobs: unknown[] = [];
  let last: Obj | undefined;
  for (const line of body.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const part = parse(line);
    if (!isObj(part)) throw new SyntaxError(`a stream line is not JSON: ${line.slice(0, 80)}`);
    if (part.error !== undefined) throw new StreamError(errorText(part.error));
    const m = isObj(part.message) ? part.message : {};
    if (typeof m.content === 'string') content += m.content;
    if (typeof m.thinking === 'string') thinking += m.thinking;
    if (Array.isArray(part.logprobs)) logprobs.push(...part.logprobs);
    last = part;
  }
  if (!last || last.done !== true) throw new StreamError('the stream ended before its done line');
  const message: Obj = { ...(isObj(last.message) ? last.message : {}), role: 'assistant', content };
  if (thinking !== '') message.thinking = thinking;
  return { ...last, message, ...(logprobs.length > 0 ? { logprobs } : {}) };
}
