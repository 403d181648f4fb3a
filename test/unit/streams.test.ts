import { describe, expect, it } from 'vitest';
import { foldNdjson, foldSse, StreamError } from '../../src/models/streams.js';

const sse = (...events: unknown[]) => `${events.map((e) => `data: ${typeof e === 'string' ? e : JSON.stringify(e)}\n\n`).join('')}data: [DONE]\n\n`;
const chunk = (delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}) => ({
  id: 'c1',
  object: 'chat.completion.chunk',
  created: 7,
  model: 'm',
  choices: [{ index: 0, delta, finish_reason: finish, ...extra }],
});

describe('foldSse', () => {
  it('joins content and reasoning deltas, keeps the last finish reason, the usage chunk and the logprobs', () => {
    const body = sse(
      chunk({ role: 'assistant', content: '' }),
      chunk({ reasoning_content: 'let me ' }),
      chunk({ reasoning_content: 'think' }),
      chunk({ content: 'Ye' }, null, { logprobs: { content: [{ token: 'Ye', logprob: -0.1, top_logprobs: [] }] } }),
      chunk({ content: 's' }),
      chunk({}, 'length'),
      { id: 'c1', choices: [], usage: { prompt_tokens: 9, completion_tokens: 4 } },
    );
    expect(foldSse(body)).toMatchObject({
      object: 'chat.completion',
      model: 'm',
      choices: [{ message: { content: 'Yes', reasoning_content: 'let me think' }, finish_reason: 'length', logprobs: { content: [{ token: 'Ye' }] } }],
      usage: { prompt_tokens: 9, completion_tokens: 4 },
    });
  });

  it('folds a stream without any choice to choices: [] and without usage to no usage', () => {
    const folded = foldSse(sse({ id: 'x', choices: [] }));
    expect(folded.choices).toEqual([]);
    expect(folded.usage).toBeUndefined();
  });

  it('returns a whole object followed by a stray [DONE] as it is', () => {
    expect(foldSse('{"object":"chat.completion","choices":[]}\n\ndata: [DONE]\n\n')).toEqual({ object: 'chat.completion', choices: [] });
  });

  it('throws StreamError for an error event and SyntaxError for a body that is no stream', () => {
    expect(() => foldSse(sse(chunk({ content: 'a' }), { error: { message: 'upstream died' } }))).toThrow(StreamError);
    expect(() => foldSse('<html>502</html>')).toThrow(SyntaxError);
    expect(() => foldSse('data: {"id":\n\n')).toThrow(SyntaxError);
  });
});

describe('foldNdjson', () => {
  const line = (o: unknown) => `${JSON.stringify(o)}\n`;
  it('joins content and thinking pieces and takes counts and done_reason from the done line', () => {
    const body =
      line({ message: { role: 'assistant', content: '', thinking: 'hm' }, done: false }) +
      line({ message: { role: 'assistant', content: 'safe' }, done: false, logprobs: [{ token: 'safe', logprob: 0 }] }) +
      line({ message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop', eval_count: 3 });
    expect(foldNdjson(body)).toMatchObject({ done: true, done_reason: 'stop', eval_count: 3, message: { content: 'safe', thinking: 'hm' }, logprobs: [{ token: 'safe' }] });
  });

  it('throws StreamError for an error line or a stream without its done line', () => {
    expect(() => foldNdjson(line({ message: { content: 'a' }, done: false }) + line({ error: 'runner crashed' }))).toThrow('runner crashed');
    expect(() => foldNdjson(line({ message: { content: 'a' }, done: false }))).toThrow(StreamError);
  });
});
