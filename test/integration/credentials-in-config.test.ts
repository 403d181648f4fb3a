/**
 * Credentials written into a cast where they would be stored with the run and printed: a literal
 * key in a guard API's Authorization header, a key pasted into api_key_env, a key in a URL
 * fragment. `hive wargame` and `hive doctor` refuse each (exit 2) with a masked one-line message,
 * and the secret is nowhere: not on stdout, not on stderr, not in any database file.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hive, tempDir } from '../helpers/cli.js';

const tmp = tempDir('hive-config-secrets-');
afterAll(() => tmp.cleanup());

const SECRET = 'sk-live-8Zq3LmN0pR7vX2cT9wQ4';
const PASTED = 'gsk_8Zq3LmN0pR7vX2cT9wQ4yB6n';

const guard = (extra: string, url = 'http://127.0.0.1:9/scan'): string =>
  `name: c\nconsensus: { threshold: 1 }\ndefenders:\n  - name: api\n    provider: http\n    url: "${url}"\n    body: { text: "{{text}}" }\n    block_when: { pointer: /flagged, equals: true }\n${extra}`;

const CASES: Array<{ name: string; yaml: string; secret: string; message: RegExp }> = [
  {
    name: 'a literal Authorization header',
    yaml: guard(`    headers: { Authorization: "Bearer ${SECRET}" }\n`),
    secret: SECRET,
    message: /defenders\[0\]\.headers\.Authorization holds a literal value \("Bear…"\).*Authorization: "Bearer \$\{NAME\}"/,
  },
  {
    name: 'a literal X-Api-Key header',
    yaml: guard(`    headers: { X-Api-Key: "${SECRET}" }\n`),
    secret: SECRET,
    message: /defenders\[0\]\.headers\.X-Api-Key holds a literal value \("sk-l…"\)/,
  },
  {
    name: 'a key pasted into api_key_env',
    yaml: `name: c\nconsensus: { threshold: 1 }\ndefenders:\n  - { name: groq, provider: openai, model: llama, base_url: "http://127.0.0.1:9/v1", api_key_env: ${PASTED} }\n`,
    secret: PASTED,
    message: /defenders\[0\]\.api_key_env: must be the name of an environment variable \(upper case letters, digits, underscores\), not "gsk_…"/,
  },
  {
    name: 'a key in a URL fragment',
    yaml: guard('', `http://127.0.0.1:9/scan#token=${SECRET}`),
    secret: SECRET,
    message: /defenders\[0\]\.url "http:\/\/127\.0\.0\.1:9\/scan#\*\*\*" carries a fragment/,
  },
];

describe('credentials written into a cast', () => {
  for (const c of CASES) {
    it(`refuses ${c.name} in one masked line (exit 2), and stores and prints it nowhere`, async () => {
      const file = join(tmp.dir, `${c.name.replace(/\W+/g, '-')}.yaml`);
      writeFileSync(file, c.yaml);
      const db = join(tmp.dir, `${c.name.replace(/\W+/g, '-')}.db`);
      for (const args of [['wargame', '--rounds', '10', '--cast', file, '--db', db], ['doctor', '--cast', file]]) {
        const r = await hive(args, { GUARD_KEY: SECRET });
        expect(r.stderr, args[0]).toMatch(c.message);
        expect(r.stderr.trim().split('\n'), args[0]).toHaveLength(1);
        expect(r.code, args[0]).toBe(2);
        expect(`${r.stdout}${r.stderr}`, args[0]).not.toContain(c.secret.slice(4));
      }
      for (const f of existsSync(tmp.dir) ? readdirSync(tmp.dir).filter((x) => x.includes('.db')) : []) {
        expect(readFileSync(join(tmp.dir, f)).includes(Buffer.from(c.secret.slice(4))), f).toBe(false);
      }
    });
  }

  it('accepts the same header through ${NAME}', async () => {
    const file = join(tmp.dir, 'from-env.yaml');
    writeFileSync(file, guard('    headers: { Authorization: "Bearer ${GUARD_KEY}", X-Project: hive }\n'));
    const r = await hive(['doctor', '--cast', file], { GUARD_KEY: SECRET });
    expect(r.stdout).not.toMatch(/literal value/);
    expect(`${r.stdout}${r.stderr}`).not.toContain(SECRET);
  });
});
