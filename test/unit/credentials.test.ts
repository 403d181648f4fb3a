import { describe, expect, it } from 'vitest';
import { maskUrl, refuseCredentials, urlCredentials } from '../../src/config/credentials.js';
import { CastSchema } from '../../src/config/schemas.js';
import { ollamaHosts } from '../../src/models/ollama.js';

describe('credentials in URLs', () => {
  it('finds user info and key-like query parameters, and nothing in ordinary URLs', () => {
    expect(urlCredentials('http://user:hunter2@gpu-box:11434')).toBe('a user name and password');
    expect(urlCredentials('https://token@ollama.example.org')).toBe('a user name');
    expect(urlCredentials('https://x.openai.azure.com/openai?api-key=abc&api-version=2024-06-01')).toBe('a key-like query parameter (api-key)');
    for (const name of ['key', 'apikey', 'API_KEY', 'token', 'access_token', 'sig', 'code', 'x-api-key', 'subscription-key']) expect(urlCredentials(`https://h/v1?${name}=s`)).toBeDefined();
    expect(urlCredentials('https://contentsafety.example/contentsafety/text:shieldPrompt?api-version=2024-09-01')).toBeUndefined();
    expect(urlCredentials('http://127.0.0.1:11434')).toBeUndefined();
  });

  it('masks them for printing', () => {
    expect(maskUrl('http://user:hunter2@gpu-box:11434/')).toBe('http://***:***@gpu-box:11434/');
    expect(maskUrl('https://h/v1?api-key=sk-abc&api-version=1')).toBe('https://h/v1?api-key=***&api-version=1');
  });

  it('refuses a cast naming the key path, masked, and pointing at api_key_env or a header', () => {
    const cast = CastSchema.parse({
      name: 'c',
      consensus: { threshold: 1 },
      defenders: [
        { name: 'ok', provider: 'ollama', model: 'm', host: ['http://a:11434', 'http://u:hunter2@b:11434'] },
        { name: 'g', provider: 'http', url: 'https://g.example/v1?token=abc', body: { text: '{{text}}' }, block_when: { pointer: '/flagged', equals: true } },
      ],
    });
    expect(() => refuseCredentials(cast, 'c.yaml', 'cast')).toThrow(
      'cast c.yaml: defenders[0].host[1] "http://***:***@b:11434/" carries a user name and password, and URLs are stored and printed; remove it and put the key in an environment variable and name it in api_key_env.',
    );
    const guardOnly = { ...cast, defenders: cast.defenders.slice(1) };
    expect(() => refuseCredentials(guardOnly, 'c.yaml', 'cast')).toThrow(/defenders\[0\]\.url "https:\/\/g\.example\/v1\?token=\*\*\*" .*Authorization: "Bearer \$\{NAME\}"/);
  });

  it('refuses OLLAMA_HOST with credentials without printing them', () => {
    expect(() => ollamaHosts(undefined, { OLLAMA_HOST: 'http://me:hunter2@box:11434' })).toThrow(/OLLAMA_HOST "http:\/\/\*\*\*:\*\*\*@box:11434\/" carries a user name and password/);
    expect(() => ollamaHosts(undefined, { OLLAMA_HOST: 'http://me:hunter2@box:11434' })).not.toThrow(/hunter2/);
  });
});
