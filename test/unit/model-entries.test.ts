import { describe, expect, it } from 'vitest';
import { describeIssues, plainIssue } from '../../src/config/problems.js';
import { AttackerEntrySchema, DefenderEntrySchema } from '../../src/config/schemas.js';

const problem = (raw: unknown, schema: typeof DefenderEntrySchema | typeof AttackerEntrySchema = DefenderEntrySchema): string => {
  const r = schema.safeParse(raw, { error: plainIssue });
  return r.success ? 'ok' : describeIssues(r.error).join('; ');
};

describe('entry keys for real model servers', () => {
  const ollama = { name: 'd', provider: 'ollama', model: 'm' };

  it('takes think, num_ctx, answer_format, system and max_input_chars on defenders', () => {
    expect(DefenderEntrySchema.parse({ ...ollama, think: true, num_ctx: 8192, answer_format: 'llama_guard', max_input_chars: 4000 })).toMatchObject({ think: true, num_ctx: 8192, answer_format: 'llama_guard' });
    expect(DefenderEntrySchema.parse(ollama)).toMatchObject({ answer_format: 'json' });
    expect(DefenderEntrySchema.parse({ ...ollama, think: null })).toMatchObject({ think: null });
    expect(problem({ ...ollama, answer_format: 'xml' })).toMatch(/^answer_format: /);
  });

  it('refuses system on a json defender (it gets hive\'s own prompt) and max_input_chars under 200', () => {
    expect(problem({ ...ollama, system: 'jailbreak' })).toBe("system: is only used with answer_format llama_guard or yes_no (json defenders get hive's own prompt)");
    expect(problem({ ...ollama, answer_format: 'yes_no', system: 'jailbreak' })).toBe('ok');
    expect(problem({ ...ollama, max_input_chars: 50 })).toMatch(/^max_input_chars: /);
  });

  it('gives attackers think but not the defender keys', () => {
    expect(problem({ ...ollama, think: false }, AttackerEntrySchema)).toBe('ok');
    expect(problem({ ...ollama, answer_format: 'json' }, AttackerEntrySchema)).toMatch(/answer_format/);
  });

  const http = { name: 'g', provider: 'http', url: 'https://g.example/v1/check', body: { input: '{{text}}' }, block_when: { pointer: '/flagged', equals: true } };

  it('takes a guard API without a model, with POST by default and no headers', () => {
    expect(DefenderEntrySchema.parse(http)).toMatchObject({ provider: 'http', method: 'POST', headers: {}, role: 'generic' });
    expect(problem({ ...http, model: 'x' })).toMatch(/model/);
  });

  it('refuses a body without "{{text}}", a pointer that is no JSON pointer, and block_when with both tests', () => {
    expect(problem({ ...http, body: { input: 'text' } })).toBe('body: needs a string value that is exactly "{{text}}" (where the input goes)');
    expect(problem({ ...http, block_when: { pointer: 'flagged', equals: true } })).toMatch(/^block_when/);
    expect(problem({ ...http, score: 'scores.injection' })).toBe('score: must be a JSON pointer such as /flagged or /scores/injection');
    expect(problem({ ...http, block_when: { pointer: '/s', equals: 1, at_least: 0.5 } })).toMatch(/^block_when/);
    expect(problem({ ...http, headers: { 'Bad Header': 'x' } })).toMatch(/^headers/);
  });
});
