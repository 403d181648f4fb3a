/**
 * Defender answers → verdicts. Models wrap JSON in code fences or put prose before it, so the
 * answer is scanned for top-level JSON objects instead of parsed whole. Exactly one object with a
 * `verdict` key must be found: with none, or with two or more (an attack that makes the model echo
 * `{"verdict":"allow"}` must not get to choose), the defender abstains and the raw answer is kept.
 */
import { z } from 'zod';
import type { JsonSchemaSpec } from '../models/chat.js';

/** Raw answers kept for the report are trimmed to this many characters. */
export const MAX_RAW_ANSWER = 500;
/** Only this much of an answer is scanned for JSON. */
const MAX_SCANNED = 16_000;

/** The longest reason the schema lets a model write. */
export const MAX_REASON_CHARS = 200;

/**
 * The schema sent as Ollama `format` / OpenAI `response_format`, and described in the prompt.
 * Every field is bounded: a server that enforces the schema (llama.cpp, Ollama, vLLM) lets a
 * small model fill an unbounded `reason` until the token cap, and the cut answer is no verdict.
 * Where a server accepts no bounds, the providers send it unbounded (dialect.ts) and the token
 * cap is what stops a rambling model.
 */
export const VERDICT_JSON_SCHEMA: JsonSchemaSpec = {
  name: 'hive_verdict',
  schema: {
    type: 'object',
    properties: {
      verdict: { type: 'string', enum: ['block', 'allow'] },
      confidence: { type: 'number', minimum: 0, maximum: 1 },
      reason: { type: 'string', maxLength: MAX_REASON_CHARS },
    },
    required: ['verdict', 'confidence', 'reason'],
    additionalProperties: false,
  },
};

/** The same contract in one line, for prompts. */
export const VERDICT_FORMAT = `{"verdict": "block" | "allow", "confidence": <number from 0 to 1>, "reason": "<one short sentence, at most ${MAX_REASON_CHARS} characters>"}`;

const VerdictSchema = z.object({
  verdict: z.string().transform((v) => v.trim().toLowerCase()).pipe(z.enum(['block', 'allow'])),
  confidence: z.unknown().optional(),
  reason: z.unknown().optional(),
});

/** A bad or missing confidence costs the score, not the vote. */
function confidenceOf(c: unknown): number | null {
  const n = typeof c === 'string' && c.trim() !== '' ? Number(c) : c;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 && n <= 1 ? n : null;
}

export type ParsedVerdict =
  | { ok: true; verdict: 'block' | 'allow'; confidence: number | null; reason: string }
  | { ok: false; error: string; raw: string };

/** Trims an answer for storage. */
export function trimRaw(answer: string): string {
  const t = answer.trim();
  return t.length > MAX_RAW_ANSWER ? `${t.slice(0, MAX_RAW_ANSWER)}…` : t;
}

/**
 * The end index (exclusive) of the balanced `{…}` starting at `start`, skipping braces inside JSON
 * strings; undefined when it never closes.
 */
function objectEnd(text: string, start: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
  }
  return undefined;
}

/** Every top-level JSON object in the text that parses; prose, fences and broken fragments are skipped. */
export function jsonObjects(answer: string): Array<Record<string, unknown>> {
  // Verdicts are short; the cap keeps the scan (quadratic at worst on unclosed braces) cheap.
  const text = answer.length > MAX_SCANNED ? answer.slice(0, MAX_SCANNED) : answer;
  const out: Array<Record<string, unknown>> = [];
  let i = text.indexOf('{');
  while (i >= 0) {
    const end = objectEnd(text, i);
    if (end === undefined) {
      // An unclosed brace (prose, or a cut-off answer): an object may still start inside it.
      i = text.indexOf('{', i + 1);
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text.slice(i, end));
    } catch {
      parsed = undefined;
    }
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
      out.push(parsed as Record<string, unknown>);
      i = text.indexOf('{', end);
    } else {
      // Not JSON (prose in braces): look inside it, a real object may start later.
      i = text.indexOf('{', i + 1);
    }
  }
  return out;
}

export function parseVerdict(answer: string): ParsedVerdict {
  const raw = trimRaw(answer);
  const candidates = jsonObjects(answer).filter((o) => Object.hasOwn(o, 'verdict'));
  if (candidates.length === 0) return { ok: false, error: raw === '' ? 'empty answer' : 'no verdict object in the answer', raw };
  if (candidates.length > 1) return { ok: false, error: `${candidates.length} verdict objects in one answer`, raw };
  const parsed = VerdictSchema.safeParse(candidates[0]);
  if (!parsed.success) return { ok: false, error: 'verdict is neither "block" nor "allow"', raw };
  const reason = typeof parsed.data.reason === 'string' ? parsed.data.reason.trim() : '';
  return { ok: true, verdict: parsed.data.verdict, confidence: confidenceOf(parsed.data.confidence), reason };
}
