/**
 * Credentials do not belong in URLs: a host or base URL is stored with the run (models.host, the
 * run's config), printed in error lines and shown by `hive doctor`. A URL with user info
 * (`http://user:pass@host`) or a key-like query parameter (`?api-key=…`, `?token=…`) is refused
 * when the config loads, with the URL masked in the message and the place to put the key instead:
 * an environment variable named by `api_key_env` (or, for a guard API, by `${NAME}` in a header).
 * A URL fragment (`#token=…`) is refused too: it is never sent to a server, so it can only be a
 * mistake, and it would be stored. A guard API's credential-like header (Authorization, *api-key*,
 * *token*, *secret*, Cookie, subscription keys) must take its value from `${NAME}`: a literal key
 * there would be stored with the run's config.
 */
import { ConfigError } from '../errors.js';
import type { AttackerPool, Cast, DefenderEntry, AttackerEntry } from './schemas.js';

/** Query parameter names that carry secrets (Azure Functions' `code` and SAS `sig` included). */
const KEY_LIKE = /^(?:x[-_])?(?:api[-_]?key|key|access[-_]?token|token|auth|authorization|secret|client[-_]?secret|password|passwd|pwd|pass|sig|signature|code|subscription[-_]?key|ocp[-_]apim[-_]subscription[-_]key)$/i;

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** Header names whose values are credentials (Authorization, X-Api-Key, X-Auth-Token, Cookie, Ocp-Apim-Subscription-Key …). */
const CREDENTIAL_HEADER = /authorization|api[-_]?key|token|secret|cookie|subscription[-_]?key|password|passwd|credential|session|signature|^(?:x-)?auth|[-_]key$|^key$/i;

/** `${NAME}` in a header value: the value comes from the environment. */
const FROM_ENV = /\$\{[A-Za-z_][A-Za-z0-9_]*\}/;

/** A secret-looking value as it may be printed: its first 4 characters and "…". */
export function maskSecret(value: string): string {
  return `${[...value].slice(0, 4).join('')}…`;
}

/** What credentials a URL carries, in words, or undefined when it carries none. */
export function urlCredentials(url: string): string | undefined {
  const u = parse(url);
  if (!u) return undefined;
  if (u.username !== '' || u.password !== '') return u.password !== '' ? 'a user name and password' : 'a user name';
  const keys = [...u.searchParams.keys()].filter((k) => KEY_LIKE.test(k));
  if (keys.length > 0) return `a key-like query parameter (${keys.join(', ')})`;
  return u.hash !== '' ? 'a fragment (#…, never sent to a server)' : undefined;
}

/** The URL with its user info and key-like query values replaced by ***: safe to print. */
export function maskUrl(url: string): string {
  const u = parse(url);
  if (!u) return '(a URL that does not parse)';
  if (u.username !== '') u.username = '***';
  if (u.password !== '') u.password = '***';
  for (const k of [...u.searchParams.keys()]) if (KEY_LIKE.test(k)) u.searchParams.set(k, '***');
  if (u.hash !== '') u.hash = '***';
  return u.href.replace(/%2A%2A%2A/g, '***');
}

type Located = { path: string; url: string; fix: string };

const VIA_ENV = 'put the key in an environment variable and name it in api_key_env';
const VIA_HEADER = 'put the key in an environment variable and send it in a header, e.g. Authorization: "Bearer ${NAME}"';

function urlsOf(entry: DefenderEntry | AttackerEntry, path: string): Located[] {
  if (entry.provider === 'ollama') {
    const hosts = entry.host === undefined ? [] : typeof entry.host === 'string' ? [entry.host] : entry.host;
    return hosts.map((url, i) => ({ path: typeof entry.host === 'string' ? `${path}.host` : `${path}.host[${i}]`, url, fix: VIA_ENV }));
  }
  if (entry.provider === 'openai') return entry.base_url === undefined ? [] : [{ path: `${path}.base_url`, url: entry.base_url, fix: VIA_ENV }];
  if (entry.provider === 'http') return [{ path: `${path}.url`, url: entry.url, fix: VIA_HEADER }];
  return [];
}

/**
 * Refuses a cast or pool that holds credentials where they would be stored and printed: a URL
 * with user info, a key-like query parameter or a fragment; a guard API header that looks like a
 * credential and holds a literal value instead of `${NAME}`. One ConfigError naming the first,
 * masked.
 */
export function refuseCredentials(config: Cast | AttackerPool, file: string, what: string): void {
  const entries: Array<[DefenderEntry | AttackerEntry, string]> = 'defenders' in config ? config.defenders.map((d, i) => [d, `defenders[${i}]`]) : config.attackers.map((a, i) => [a, `attackers[${i}]`]);
  for (const [entry, path] of entries) {
    if (entry.provider !== 'http') continue;
    for (const [name, value] of Object.entries(entry.headers)) {
      if (CREDENTIAL_HEADER.test(name) && !FROM_ENV.test(value)) {
        throw new ConfigError(
          `${what} ${file}: ${path}.headers.${name} holds a literal value ("${maskSecret(value)}"), and the cast is stored with every run; put the key in an environment variable and write ${name}: "${/^bearer\s/i.test(value) ? 'Bearer ' : ''}\${NAME}" (NAME being that variable).`,
        );
      }
    }
  }
  const located = entries.flatMap(([entry, path]) => urlsOf(entry, path));
  for (const l of located) {
    const carried = urlCredentials(l.url);
    if (carried) {
      const fix = carried.startsWith('a fragment') ? 'remove it' : `remove it and ${l.fix}`;
      throw new ConfigError(`${what} ${file}: ${l.path} "${maskUrl(l.url)}" carries ${carried}, and URLs are stored and printed; ${fix}.`);
    }
  }
}
