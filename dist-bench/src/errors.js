/**
 * The errors a user can cause. Each carries one line that says what is wrong and how to fix it;
 * the CLI prints that line and exits with `exitCode`, never a stack trace.
 */
export class HiveError extends Error {
    exitCode = 2;
    constructor(message, options) {
        super(message, options);
        this.name = new.target.name;
    }
}
/** Bad YAML, unknown keys, unknown category, missing file. */
export class ConfigError extends HiveError {
}
/** Bad command-line usage (e.g. --rounds 0). */
export class UsageError extends HiveError {
}
/** The database is locked, corrupt, or not a hive database. */
export class StoreError extends HiveError {
}
/** A model call failed; `retryable` says whether the policy wrapper may try again. */
export class ModelError extends HiveError {
    retryable;
    status;
    retryAfterMs;
    constructor(message, opts) {
        super(message, { cause: opts.cause });
        this.retryable = opts.retryable;
        this.status = opts.status;
        this.retryAfterMs = opts.retryAfterMs;
    }
}
/** A gate in `hive ci` failed, or a run failed: exit 1. */
export class GateError extends HiveError {
    exitCode = 1;
}
export function errorMessage(err) {
    if (err instanceof Error)
        return err.message;
    return String(err);
}
//# sourceMappingURL=errors.js.map