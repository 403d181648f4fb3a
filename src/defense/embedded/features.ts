import { lookalikePackages } from './lookalike.js';

/**
 * Structural features of an input, found with a handful of fixed regular expressions (written
 * here, never built from input). Every expression is either bounded or has disjoint repeated
 * classes, so each scan is linear in the (already clipped) input.
 */

export interface Features {
  urls: number;
  /** URLs that carry query data (`?x=`) or a template placeholder (`{…}`, `$VAR`, `<…>`, ALL_CAPS). */
  urlsWithData: number;
  markdownImages: number;
  /** Markdown images or <img> tags whose URL carries data or a placeholder. */
  imagesWithData: number;
  htmlImages: number;
  /** HTML comments, display:none, zero-size or white text, aria-hidden. */
  hiddenMarkup: number;
  emails: number;
  /** Candidate base64 runs (at most 16, each at most 16 KiB). */
  base64: string[];
  /** Candidate hex runs, as contiguous hex digits (at most 16). */
  hex: string[];
  /** Runs of %XX URL escapes. */
  urlEncoded: string[];
  shellDestructive: number;
  sqlDestructive: number;
  pipeToShell: number;
  /** Package-manager installs from a URL, git remote or extra index. */
  remoteInstall: number;
  openToWorld: number;
  /** Package, module or image names imitating well-known ones (typosquats). */
  lookalikes: { name: string; imitates: string }[];
  /** The longest run of one unit of 1-4 code units repeated back to back, white space between allowed ("zx zx zx …", "🙂🙂🙂…"), in repetitions. */
  flood: number;
  /** The same for separator units ("]]]]]", "====="): documents have them, but not by the hundred. */
  punctFlood: number;
  /** Requests to output a fixed quoted phrase ("say 'Access Granted'", "reply only with \"yes\""). */
  forcedOutput: number;
}

const URL = /\bhttps?:\/\/[^\s"'<>)\]`]{1,2048}/gi;
const MD_IMAGE = /!\[[^\]\n]{0,300}\]\(\s{0,8}([^)\s]{1,2048})/g;
const HTML_IMG = /<img\b[^>]{0,300}?src\s{0,4}=\s{0,4}["']?([^"'\s>]{1,2048})/gi;
const HIDDEN = /<!--|display\s{0,4}:\s{0,4}none|font-size\s{0,4}:\s{0,4}0|color\s{0,4}:\s{0,4}(?:white|#fff\b|#ffffff)|aria-hidden|white text|visibility\s{0,4}:\s{0,4}hidden|opacity\s{0,4}:\s{0,4}0\b/gi;
const EMAIL = /[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}/g;
const BASE64 = /[A-Za-z0-9+/_-]{20,16384}={0,2}/g;
const HEX = /(?:[0-9a-fA-F]{2}[\s:,]?){12,8192}/g;
const HEX_ESCAPED = /(?:(?:\\x|0x)[0-9a-fA-F]{2}[\s,]{0,2}){6,8192}/g;
const URL_ENCODED = /(?:%[0-9a-fA-F]{2}){3,8192}/g;
/** Destructive shell commands, each with a cheap literal gate checked on the lower-case text first. */
const SHELL: readonly (readonly [string, RegExp])[] = [
  ['rm ', /\brm\s{1,8}-[a-zA-Z]{0,8}[rRf][a-zA-Z]{0,8}\s{1,8}(?:-[a-zA-Z-]{1,20}\s{1,8}){0,3}(?:\/|~|\*|\.|\$)/],
  ['mkfs', /\bmkfs\b/],
  ['shred', /\bshred\s{1,8}-/],
  ['wipefs', /\bwipefs\b/],
  ['dd', /\bdd\s{1,8}if=/],
  [':(', /:\(\)\s{0,4}\{\s{0,4}:\s{0,4}\|\s{0,4}:/],
  ['777', /\bchmod\s{1,8}(?:-R\s{1,8})?0?777\s{1,8}\//],
  ['userdel', /\b(?:userdel|deluser)\s{1,8}-r\b/],
  ['kill', /\bkill(?:all)?\s{1,8}-9\s{1,8}(?:-1\b|\$\()/],
  ['push ', /\bgit\s{1,8}push\s{1,8}(?:[^\n`]{0,80}\s)?(?:-f\b|--force\b(?!-with-lease))/],
  ['format ', /\bformat\s{1,8}[a-zA-Z]:/],
  ['del ', /\bdel\s{1,8}\/[sSfFqQ]\b/],
  ['--', /--drop-existing|--no-verify\b|--insecure\b/],
  ['iptables', /\biptables\s{1,8}-F\b/],
  ['ufw', /\bufw\s{1,8}disable\b/],
  ['setenforce', /\bsetenforce\s{1,8}0\b/],
];
const SQL = /\b(?:drop\s{1,8}(?:all\s{1,8})?(?:tables?|database|schema)|truncate\s{1,8}(?:table\s{1,8})?\w|delete\s{1,8}from\s{1,8}\w{1,64}\s{0,8}(?:;|$|where\s{1,8}1\s{0,4}=\s{0,4}1))/gim;
const PIPE_SHELL = /\b(?:curl|wget|iwr|invoke-webrequest)\b[^\n|]{0,300}\|\s{0,8}(?:sudo\s{1,8})?(?:ba|z|da)?sh\b|\b(?:bash|sh)\s{1,8}<\(\s{0,8}(?:curl|wget)/gi;
const REMOTE_INSTALL = /(?:--(?:extra-)?index-url|--registry)[\s=]{1,4}\S|\b(?:pip3?|npm|yarn|pnpm|gem|cargo|go)\s{1,8}(?:install|add|get)\b[^\n]{0,120}(?:git\+|https?:\/\/|\.tgz\b|\.whl\b)|\bweights_only\s{0,4}=\s{0,4}False\b|\btrust_remote_code\s{0,4}=\s{0,4}True\b|\b(?:pre|post)install\b[^\n]{0,160}(?:curl|wget|https?:\/\/|node\s{1,8}-e)/gi;
const OPEN_WORLD = /\b0\.0\.0\.0\/0\b|::\/0|\bpublic-read(?:-write)?\b|\bAllUsers\b/g;
const QUOTED = /'((?:[^'\\\n]|\\.){2,600})'|"((?:[^"\\\n]|\\.){2,600})"|«([^»\n]{2,600})»/g;
const CONCAT = /\b[A-Za-z_]\w{0,15}\s{0,4}\+\s{0,4}(?:'[^'\n]{0,8}'\s{0,4}\+\s{0,4})?[A-Za-z_]\w{0,15}\b/g;

/** A say-verb, at most a few words, then a short quoted phrase; or "and nothing else" after one. */
const FORCED =
  /\b(?:say|says|print|output|respond|reply|answer|write|type|return|repeat|begin|start|end|conclude)\b[^\n"'“”‘’«»]{0,40}?["“‘'«]([^"”’'»\n]{1,60})["”’'»]|\b(?:and|but) nothing (?:else|more)\b|\bno other (?:text|words|output)\b|\bonly (?:the|those|these) (?:words?|phrase|text)\b/gi;

/** A quote FORCED's first branch needs (its other branches are gated on their words). */
const FORCED_GATE = /["“‘'«]/;

const MAX_ITEMS = 16;

function collect(re: RegExp, text: string, pick: (m: RegExpExecArray) => string | undefined, max = MAX_ITEMS): string[] {
  re.lastIndex = 0;
  const out: string[] = [];
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const v = pick(m);
    if (v !== undefined) out.push(v);
    if (out.length >= max) break;
  }
  re.lastIndex = 0;
  return out;
}

function count(re: RegExp, text: string, max = 64): number {
  re.lastIndex = 0;
  let n = 0;
  while (re.exec(text) !== null && n < max) n++;
  re.lastIndex = 0;
  return n;
}

function hasUpperAndLowerAndDigit(s: string): boolean {
  let up = false;
  let low = false;
  let dig = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) up = true;
    else if (c >= 97 && c <= 122) low = true;
    else if (c >= 48 && c <= 57) dig = true;
  }
  return (up && low && dig) || (up && low && s.length >= 28 && /[+/]|=$/.test(s));
}

/** Whether a URL carries data: a query with a value, or a template placeholder. */
export function urlCarriesData(url: string): boolean {
  const q = url.indexOf('?');
  if (q >= 0 && url.indexOf('=', q) > q) return true;
  return url.includes('{') || url.includes('$') || url.includes('<') || /[/=][A-Z][A-Z0-9]{2,}_[A-Z0-9_]{2,}/.test(url);
}

/**
 * One linear pass: whether `raw` has a run of ≥ 20 base64-alphabet characters, and a run of
 * ≥ 24 characters made of hex digits and separators (the only places blobs can be).
 */
function blobRuns(raw: string): { b64: boolean; hex: boolean } {
  let b64 = 0;
  let hex = 0;
  let hasB64 = false;
  let hasHex = false;
  for (let i = 0; i < raw.length && !(hasB64 && hasHex); i++) {
    const c = raw.charCodeAt(i);
    const digit = c >= 48 && c <= 57;
    const hexLetter = (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (letter || digit || c === 43 || c === 47 || c === 95 || c === 45) {
      if (++b64 >= 20) hasB64 = true;
    } else b64 = 0;
    if (digit || hexLetter || c === 32 || c === 58 || c === 44 || c === 120 || c === 92) {
      if (++hex >= 24) hasHex = true;
    } else hex = 0;
  }
  return { b64: hasB64, hex: hasHex };
}

/** Structural features of the sanitised text `raw`; `low` is its lower-case form (computed when not given). */
export function extractFeatures(raw: string, low: string = raw.toLowerCase()): Features {
  const runs = blobRuns(raw);
  const urls = low.includes('http') ? collect(URL, raw, (m) => m[0], 64) : [];
  const md = raw.includes('![') ? collect(MD_IMAGE, raw, (m) => m[1] ?? '', 64) : [];
  const img = low.includes('<img') ? collect(HTML_IMG, raw, (m) => m[1] ?? '', 64) : [];
  const images = [...md, ...img];
  let shell = 0;
  for (const [gate, re] of SHELL) if (low.includes(gate) && re.test(raw)) shell++;
  const hidden =
    low.includes('<!--') || low.includes('display') || low.includes('font-size') || low.includes('color') || low.includes('hidden') || low.includes('white text') || low.includes('opacity') || low.includes('visibility');
  return {
    urls: urls.length,
    urlsWithData: urls.filter(urlCarriesData).length,
    markdownImages: md.length,
    htmlImages: img.length,
    imagesWithData: images.filter((u) => /^https?:/i.test(u) && urlCarriesData(u)).length,
    hiddenMarkup: hidden ? count(HIDDEN, raw) : 0,
    emails: raw.includes('@') ? count(EMAIL, raw) : 0,
    base64: runs.b64 ? collect(BASE64, raw, (m) => (hasUpperAndLowerAndDigit(m[0]) ? m[0] : undefined)) : [],
    hex: runs.hex
      ? [
          ...collect(HEX, raw, (m) => {
            const h = m[0].replace(/[^0-9a-fA-F]/g, '');
            return h.length >= 24 && h.length % 2 === 0 ? h : undefined;
          }),
          ...collect(HEX_ESCAPED, raw, (m) => m[0].replace(/\\x|0x|[\s,]/g, '')),
        ]
      : [],
    urlEncoded: raw.includes('%') ? collect(URL_ENCODED, raw, (m) => m[0]) : [],
    shellDestructive: shell,
    sqlDestructive: low.includes('drop') || low.includes('truncate') || low.includes('delete') ? count(SQL, raw) : 0,
    pipeToShell: raw.includes('|') || raw.includes('<(') ? count(PIPE_SHELL, raw) : 0,
    remoteInstall:
      low.includes('index-url') || low.includes('--registry') || low.includes('install') || low.includes('weights_only') || low.includes('trust_remote_code') || low.includes(' get ') || low.includes(' add ')
        ? count(REMOTE_INSTALL, raw)
        : 0,
    lookalikes: lookalikePackages(raw),
    openToWorld: low.includes('0.0.0.0') || low.includes('::/0') || low.includes('public-read') || low.includes('allusers') ? count(OPEN_WORLD, raw) : 0,
    ...floodRuns(raw),
    forcedOutput: FORCED_GATE.test(raw) || low.includes('nothing') || low.includes('no other') || low.includes('only th') ? count(FORCED, raw, 8) : 0,
  };
}

/**
 * The longest runs of one unit of 1–4 code units repeated back to back, white space between
 * repetitions allowed ("ö ö ö", "zx zx zx", "🙂🙂🙂"): separator units ("=====", "-----",
 * "····") apart from the others. One pass, no allocation but for a new longest run.
 */
export function floodRuns(raw: string): { flood: number; punctFlood: number } {
  const n = Math.min(raw.length, 64 * 1024);
  // The last four characters that were not white space, in code units (an emoji is two), and
  // for each period 1-4 how many characters in a row equal the one that many before them.
  const last = [-1, -1, -1, -1];
  const run = [0, 0, 0, 0];
  let flood = 0;
  let punctFlood = 0;
  for (let i = 0; i < n; i++) {
    const c = raw.charCodeAt(i);
    if (c === 32 || c === 10 || c === 9 || c === 13) continue;
    for (let len = 1; len <= 4; len++) {
      if (last[len - 1] !== c) {
        run[len - 1] = 0;
        continue;
      }
      const reps = Math.floor(((run[len - 1] = (run[len - 1] as number) + 1) + len) / len);
      if (reps <= Math.min(flood, punctFlood)) continue;
      // The unit: the current character and the len - 1 before it (skipping white space).
      const unit = unitEndingAt(raw, i, len);
      if (PUNCT_UNIT.test(unit)) punctFlood = Math.max(punctFlood, reps);
      else flood = Math.max(flood, reps);
    }
    last[3] = last[2] as number;
    last[2] = last[1] as number;
    last[1] = last[0] as number;
    last[0] = c;
  }
  return { flood, punctFlood };
}

/** The `len` characters up to index `end` of `s`, white space skipped. */
function unitEndingAt(s: string, end: number, len: number): string {
  let out = '';
  for (let i = end; i >= 0 && out.length < len; i--) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 9 && c !== 13) out = s.charAt(i) + out;
  }
  return out;
}

/** Separator lines of documents: ASCII punctuation, dashes, dots, bullets, box drawing. */
const PUNCT_UNIT = /^[\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e\u2010-\u2027\u2500-\u257f\u00b7]+$/;

/** Quoted string literals (for split-payload reassembly), at most 16, unescaped. */
export function quotedStrings(raw: string): string[] {
  if (!raw.includes("'") && !raw.includes('"') && !raw.includes('«')) return [];
  return collect(QUOTED, raw, (m) => (m[1] ?? m[2] ?? m[3] ?? '').replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c)));
}

/** "a + b" style joins of identifiers. */
export function concatenations(raw: string): number {
  return raw.includes('+') ? count(CONCAT, raw) : 0;
}
