/**
 * Typosquat detection for the supply-chain signatures: package, module and image names in an
 * input that are one or two edits away from a well-known name, differ only in separators, or add
 * a decoy suffix ("-official", "2"). Only names in backticks or right after an install-like verb
 * are checked, and each check is a banded edit distance, so the cost stays linear.
 */

const POPULAR: readonly string[] = [
  'requests', 'urllib3', 'numpy', 'pandas', 'python-dateutil', 'setuptools', 'django', 'flask', 'colorama', 'pyyaml', 'boto3',
  'cryptography', 'jinja2', 'pillow', 'scipy', 'matplotlib', 'tensorflow', 'torch', 'beautifulsoup4', 'transformers',
  'safetensors', 'huggingface-hub', 'openai', 'anthropic', 'lodash', 'express', 'react', 'react-dom', 'axios', 'chalk',
  'commander', 'cross-env', 'eslint', 'eslint-config-airbnb', 'eslint-config-airbnb-base', 'prettier', 'typescript', 'webpack',
  'moment', 'dotenv', 'jquery', 'vue', 'debug', 'uuid', 'yargs', 'event-stream', 'left-pad', 'jsonwebtoken', 'mongoose',
  'socket.io', 'body-parser', 'cors', 'nodemon', 'electron', 'vite', 'rollup', 'jest', 'mocha', 'nginx', 'node', 'python',
  'ubuntu', 'alpine', 'redis', 'postgres', 'mysql', 'golang', 'gorilla/mux', 'gin-gonic/gin', 'serde', 'tokio', 'clap',
  'openssl', 'rails', 'nokogiri', 'bundler', 'kubernetes', 'terraform', 'ansible', 'docker', 'github', 'npm', 'pip', 'pypi',
];

const DECOY_SUFFIXES = ['official', 'offical', 'secure', 'safe', 'pro', 'plus', 'new', 'fixed', 'fork', 'lite', 'light', 'next', 'v2', '2', 'dev', 'latest'];
const VERB = /\b(?:install|add|swap|pull|require|import|package|module|image|dependency|replace|vendor)\b/g;
/** Words that show the text is about packages at all; without one, only backtick spans are checked. */
const ECOSYSTEM = ['pip', 'npm', 'yarn', 'pnpm', 'docker', 'package', 'module', 'dependency', 'dependencies', 'library', 'crate', 'gem ', 'image', 'requirements', 'install', 'plugin', 'extension'];
const SEP = /[-_.]/g;

const byStripped = new Map<string, string>(POPULAR.map((p) => [p.replace(SEP, ''), p]));

/** Edit distance with adjacent transpositions (optimal string alignment) if ≤ `max`, else max + 1. */
export function boundedEditDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const big = max + 1;
  let prev2 = new Array<number>(b.length + 1).fill(big);
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const lo = Math.max(1, i - max);
    const hi = Math.min(b.length, i + max);
    cur.fill(big);
    cur[0] = i;
    let rowMin = i;
    for (let j = lo; j <= hi; j++) {
      const ca = a.charCodeAt(i - 1);
      const cb = b.charCodeAt(j - 1);
      let v = Math.min((prev[j] ?? big) + 1, (cur[j - 1] ?? big) + 1, (prev[j - 1] ?? big) + (ca === cb ? 0 : 1));
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) v = Math.min(v, (prev2[j - 2] ?? big) + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return big;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return Math.min(big, prev[b.length] ?? big);
}

/** The well-known name `candidate` imitates, or undefined. */
export function imitatedName(candidate: string): string | undefined {
  const c = candidate.toLowerCase();
  if (c.length < 4 || c.length > 60) return undefined;
  if (POPULAR.includes(c)) return undefined;
  const stripped = c.replace(SEP, '');
  const sameButSeparators = byStripped.get(stripped);
  if (sameButSeparators !== undefined) return sameButSeparators;
  for (const p of POPULAR) {
    if (c.startsWith(p) && c.length > p.length) {
      const sep = /^[-_.]/.test(c.slice(p.length));
      const rest = c.slice(p.length).replace(/^[-_.]/, '');
      if ((sep || /^\d+$/.test(rest)) && DECOY_SUFFIXES.includes(rest)) return p;
      if (rest === 's' && (p.includes('-') || p.length >= 8)) return p;
    }
    if (Math.abs(c.length - p.length) > 2) continue;
    // Squats keep the start of the name: at least one of the first two characters matches.
    if (c.charCodeAt(0) !== p.charCodeAt(0) && c.charCodeAt(1) !== p.charCodeAt(1)) continue;
    // Edit distance only for names long enough not to be everyday words.
    const max = p.length >= 10 ? 2 : 1;
    if (p.length >= 7 && boundedEditDistance(c, p, max) <= max) return p;
  }
  return undefined;
}

function clean(token: string): string {
  let t = token.replace(/^[`'"([{<]+|[`'")\]}>.,;:!?]+$/g, '');
  // Drop a version or tag: name==1.2, name@1.2, name:latest.
  const cut = t.search(/==|@\d|:[\w.-]+$/);
  if (cut > 0) t = t.slice(0, cut);
  if (t.startsWith('github.com/')) t = t.slice('github.com/'.length);
  return t;
}

/** Names in `raw` that imitate well-known packages, modules or images (at most 8). */
export function lookalikePackages(raw: string): { name: string; imitates: string }[] {
  const out: { name: string; imitates: string }[] = [];
  const seen = new Set<string>();
  const consider = (token: string): void => {
    if (out.length >= 8 || token.length > 120) return;
    const t = clean(token);
    if (t.length < 4 || seen.has(t) || !/^[a-z0-9][a-z0-9._/-]*$/i.test(t)) return;
    seen.add(t);
    const imitates = imitatedName(t);
    if (imitates !== undefined) out.push({ name: t, imitates });
  };
  // Backtick spans.
  let i = raw.indexOf('`');
  let spans = 0;
  while (i >= 0 && spans < 64) {
    const j = raw.indexOf('`', i + 1);
    if (j < 0) break;
    if (j - i <= 80) for (const t of raw.slice(i + 1, j).split(/\s+/)) consider(t);
    i = raw.indexOf('`', j + 1);
    spans++;
  }
  // Words right after install-like verbs.
  const low = raw.length > 64 * 1024 ? raw.slice(0, 64 * 1024).toLowerCase() : raw.toLowerCase();
  let ecosystem = false;
  for (const e of ECOSYSTEM) if (low.includes(e)) ecosystem = true;
  if (!ecosystem) return out;
  VERB.lastIndex = 0;
  let m: RegExpExecArray | null;
  let verbs = 0;
  while ((m = VERB.exec(low)) !== null && verbs++ < 256) {
    const rest = raw.slice(m.index + m[0].length, m.index + m[0].length + 200).trimStart();
    for (const t of rest.split(/\s+/, 3)) consider(t);
  }
  VERB.lastIndex = 0;
  return out;
}
