/**
 * Error classification shared by the providers: which HTTP statuses and network failures the
 * policy wrapper may retry, and messages short enough to store with a vote. Server bodies are
 * untrusted: they are clipped here and neutralised wherever they are printed.
 */
import { errorMessage, ModelError } from '../errors.js';
import { parseRetryAfter } from './policy.js';
/** 408 and 409 are what OpenAI's own client retries besides 429 and 5xx. */
export function isRetryableStatus(status) {
    return status === 408 || status === 409 || status === 429 || status >= 500;
}
/** One line of at most `max` characters. */
export function clip(text, max = 200) {
    const line = text.replace(/\s+/g, ' ').trim();
    return line.length > max ? `${line.slice(0, max)}…` : line;
}
/** Removes every occurrence of each secret from a message (belt and braces: keys never belong in errors). */
export function redact(text, secrets) {
    let out = text;
    for (const s of secrets)
        if (s && s.length >= 4)
            out = out.split(s).join('***');
    return out;
}
/** The error code of a failed fetch (undici puts it on `cause`), e.g. ECONNREFUSED. */
export function networkCode(err) {
    let e = err;
    for (let depth = 0; depth < 4 && e; depth++) {
        const code = e.code;
        if (typeof code === 'string' && /^[A-Z_]+$/.test(code))
            return code;
        e = e.cause;
    }
    return undefined;
}
/** A request that never got an HTTP answer: refused, reset, DNS, TLS. Always worth a retry. */
export function networkError(where, err) {
    const code = networkCode(err);
    return new ModelError(`cannot reach ${where}${code ? ` (${code})` : `: ${clip(errorMessage(err))}`}`, { retryable: true, cause: err });
}
export function isAbortError(err) {
    return err instanceof Error && (err.name === 'AbortError' || err.name === 'APIUserAbortError');
}
/** An HTTP error answer as a ModelError carrying status and retry-after. */
export function statusError(where, status, detail, headers) {
    const retryAfterMs = headers ? parseRetryAfter((n) => headers.get(n)) : undefined;
    return new ModelError(`${where} answered HTTP ${status}${detail ? `: ${clip(detail)}` : ''}`, {
        retryable: isRetryableStatus(status),
        status,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
}
//# sourceMappingURL=http.js.map