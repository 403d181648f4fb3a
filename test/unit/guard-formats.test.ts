import { describe, expect, it } from 'vitest';
import { confidenceFromLogprobs, parseLlamaGuard, parseYesNo } from '../../src/defense/guard-formats.js';
import { guardFormatProblem, knownGuard } from '../../src/models/guards.js';

describe('Llama Guard answers', () => {
  it('reads safe and unsafe with its category codes, after leading blank lines', () => {
    expect(parseLlamaGuard('\n\nsafe')).toEqual({ ok: true, verdict: 'allow', confidence: null, reason: 'safe' });
    expect(parseLlamaGuard('\n\nunsafe\nS1,S14')).toEqual({ ok: true, verdict: 'block', confidence: null, reason: 'unsafe: S1,S14' });
    expect(parseLlamaGuard('unsafe\ns2, s10\n')).toMatchObject({ verdict: 'block', reason: 'unsafe: S2,S10' });
    expect(parseLlamaGuard('unsafe')).toMatchObject({ verdict: 'block', reason: 'unsafe' });
  });

  it('is no verdict when the first line is anything else', () => {
    expect(parseLlamaGuard('The input is safe.')).toEqual({ ok: false, error: 'not a Llama Guard answer (expected "safe" or "unsafe")', raw: 'The input is safe.' });
    expect(parseLlamaGuard('')).toMatchObject({ ok: false });
  });
});

describe('Yes/No answers', () => {
  it('reads Yes as block and No as allow, with whitespace, punctuation, tags and a confidence tag around', () => {
    expect(parseYesNo('Yes')).toEqual({ ok: true, verdict: 'block', confidence: null, reason: 'yes' });
    expect(parseYesNo('  No.\n')).toMatchObject({ verdict: 'allow', reason: 'no' });
    expect(parseYesNo('<score> yes </score>')).toMatchObject({ verdict: 'block', reason: 'yes' });
    expect(parseYesNo('Yes\n<confidence> High </confidence>')).toMatchObject({ verdict: 'block', reason: 'yes (confidence high)' });
    expect(parseYesNo('**No**')).toMatchObject({ verdict: 'allow' });
  });

  it('is no verdict for anything else', () => {
    expect(parseYesNo('Maybe')).toMatchObject({ ok: false, error: 'not a Yes/No answer' });
    expect(parseYesNo('Yesterday it was fine')).toMatchObject({ ok: false });
  });
});

describe('confidence from log-probabilities', () => {
  it('weighs the chosen word against the other at the first place either appears', () => {
    const lp = [
      { token: '\n\n', logprob: -0.01, top: [] },
      { token: 'unsafe', logprob: Math.log(0.8), top: [{ token: 'unsafe', logprob: Math.log(0.8) }, { token: 'safe', logprob: Math.log(0.15) }, { token: 'The', logprob: Math.log(0.05) }] },
    ];
    expect(confidenceFromLogprobs(lp, 'unsafe', 'safe')).toBeCloseTo(0.8 / 0.95, 10);
    expect(parseLlamaGuard('unsafe\nS1', lp).ok && parseLlamaGuard('unsafe\nS1', lp)).toMatchObject({ confidence: expect.closeTo(0.8421, 3) });
  });

  it('counts every spelling of a word, and gives null without log-probabilities or without the word', () => {
    const lp = [{ token: 'Yes', logprob: Math.log(0.6), top: [{ token: ' yes', logprob: Math.log(0.2) }, { token: 'No', logprob: Math.log(0.2) }] }];
    expect(confidenceFromLogprobs(lp, 'yes', 'no')).toBeCloseTo(0.8, 10);
    expect(confidenceFromLogprobs(undefined, 'yes', 'no')).toBeNull();
    expect(confidenceFromLogprobs([{ token: 'Hmm', logprob: 0, top: [] }], 'yes', 'no')).toBeNull();
  });
});

describe('known guard models', () => {
  it('knows Llama Guard 3, Granite Guardian and ShieldGemma by their Ollama tags and Hugging Face ids', () => {
    expect(knownGuard('llama-guard3:1b')).toMatchObject({ format: 'llama_guard' });
    expect(knownGuard('meta-llama/Llama-Guard-3-8B')).toMatchObject({ format: 'llama_guard' });
    expect(knownGuard('granite3-guardian:2b')).toMatchObject({ format: 'yes_no', system: 'jailbreak' });
    expect(knownGuard('shieldgemma:2b')).toMatchObject({ format: 'yes_no' });
    expect(knownGuard('qwen2.5:7b')).toBeUndefined();
  });

  it('names the fix when an entry would read a guard as json', () => {
    expect(guardFormatProblem('llama-guard3:1b', 'json')).toMatchObject({ fix: 'set answer_format: llama_guard on the entry' });
    expect(guardFormatProblem('granite3-guardian:2b', 'json')?.fix).toBe('set answer_format: yes_no and system: jailbreak on the entry');
    expect(guardFormatProblem('llama-guard3:1b', 'llama_guard')).toBeUndefined();
    expect(guardFormatProblem('my-own-guard', 'yes_no')).toBeUndefined();
  });
});
