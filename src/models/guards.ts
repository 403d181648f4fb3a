/**
 * The dedicated guard models hive knows by name, whatever server runs them (Ollama tags such as
 * `llama-guard3:1b`, or Hugging Face ids such as `meta-llama/Llama-Guard-3-8B` on vLLM), with the
 * answer format each one writes. `hive doctor` (preflight.ts) flags an entry that would read a
 * guard's answers as hive's JSON: every one of its votes would abstain.
 */
import type { AnswerFormat } from '../config/schemas.js';

export interface KnownGuard {
  family: string;
  format: Exclude<AnswerFormat, 'json'>;
  /** What the answer looks like, for messages. */
  answers: string;
  /** The `system` text to give it, when the model reads its task from the system message. */
  system?: string;
}

const KNOWN: ReadonlyArray<{ pattern: RegExp } & KnownGuard> = [
  { pattern: /llama[-_ ]?guard[-_ ]?3/i, family: 'Llama Guard 3', format: 'llama_guard', answers: '"safe" or "unsafe" and category codes' },
  // Granite Guardian on Ollama picks the risk it judges from the system message.
  { pattern: /granite[-_.0-9]*guardian/i, family: 'Granite Guardian', format: 'yes_no', answers: '"Yes" or "No"', system: 'jailbreak' },
  { pattern: /shield[-_ ]?gemma/i, family: 'ShieldGemma', format: 'yes_no', answers: '"Yes" or "No"' },
];

export function knownGuard(model: string): KnownGuard | undefined {
  const hit = KNOWN.find((k) => k.pattern.test(model));
  if (!hit) return undefined;
  const { pattern: _pattern, ...guard } = hit;
  return guard;
}

/** A problem and its fix when an entry's answer_format does not match the guard model it names. */
export function guardFormatProblem(model: string, answerFormat: AnswerFormat): { problem: string; fix: string } | undefined {
  const guard = knownGuard(model);
  if (!guard || guard.format === answerFormat) return undefined;
  const system = guard.system ? ` and system: ${guard.system}` : '';
  return {
    problem: `${model} is ${guard.family}, which answers ${guard.answers}, not answer_format ${answerFormat}: every vote would abstain`,
    fix: `set answer_format: ${guard.format}${system} on the entry`,
  };
}
