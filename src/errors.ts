import { getSystemErrorMap } from 'node:util';

/**
 * The errors a user can cause. Each carries one line that says what is wrong and how to fix it;
 * the CLI prints that line and exits with `exitCode`, never a stack trace.
 */
export class HiveError extends Error {
  readonly exitCode: number = 2;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad YAML, unknown keys, unknown category, missing file. */
export class ConfigError extends HiveError {}

/** Bad command-line usage (e.g. --rounds 0). */
export class UsageError extends HiveError {}

/** The database is locked, corrupt, or not a hive database. */
export class StoreError extends HiveError {}

/** A model call failed; `retryable` says whether the policy wrapper may try again. */
export class ModelError extends HiveError {
  readonly retryable: boolean;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  constructor(
    message: string,
    opts: { retryable: boolean; status?: number; retryAfterMs?: number; cause?: unknown },
  ) {
    super(message, { cause: opts.cause });
    this.retryable = opts.retryable;
    this.status = opts.status;
    this.retryAfterMs = opts.retryAfterMs;
  }
}

/**
 * A call answered, but with nothing usable: empty, cut at the token cap before any text, or only
 * reasoning. Never a refusal; `spent` is what the call cost, so the round still records it.
 */
export class UnusableAnswerError extends ModelError {
  constructor(
    message: string,
    readonly spent: { promptTokens: number; completionTokens: number; latencyMs: number; attempts: number; finishReason?: string | undefined; reasoning?: string | undefined },
  ) {
    super(message, { retryable: false });
  }
}

/** A gate in `hive ci` failed, or a run failed: exit 1. */
export class GateError extends HiveError {
  override readonly exitCode: number = 1;
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/**
 * A system error in words with its code, e.g. "no space left on device (ENOSPC)", from Node's own
 * table of libuv messages; any other error's message as it is.
 */
export function systemErrorText(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const known = typeof e?.errno === 'number' ? getSystemErrorMap().get(e.errno) : undefined;
  if (known) return `${known[1]} (${known[0]})`;
  return e?.code ? `${errorMessage(err)} (${e.code})` : errorMessage(err);
}
