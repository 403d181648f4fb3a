import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ticks } from '../../src/report/render/svg.js';
import { Store } from '../../src/store/store.js';
import { hive, tempDir } from '../helpers/cli.js';
import { closeSqlite, sqlite } from '../helpers/sqlite.js';

const HOSTILE = `<script>alert("x")</script> & 'q' \u001b[31m <img src=https://evil.example/x.png>`;

/** The embedded cast under a name no browser should ever run. */
const CAST = `name: "evil <b>cast</b> & co"
consensus: { threshold: 3, on_abstain: allow, strategy: parallel }
healer: { enabled: true, antibodies: 8, patterns_per_breach: 3, lag: 16 }
defenders:
  - { name: signatures,   role: sentinel,        provider: embedded, model: signatures }
  - { name: heuristics,   role: guardian,        provider: embedded, model: heuristics }
  - { name: deobfuscator, role: trace_forensics, provider: embedded, model: deobfuscator }
  - { name: classifier,   role: auditor,         provider: embedded, model: classifier }
  - { name: similarity,   role: generic,         provider: embedded, model: similarity }
`;

const CHROMIUM = '/usr/bin/chromium';

describe('hive report --format html', () => {
  const tmp = tempDir();
  const db = join(tmp.dir, 'hive.db');
  const out = join(tmp.dir, 'report.html');
  let html = '';

  beforeAll(async () => {
    const cast = join(tmp.dir, 'cast.yaml');
    writeFileSync(cast, CAST);
    const r = await hive(['wargame', '--rounds', '200', '--seed', '3', '--cast', cast, '--db', db, '-q']);
    expect(r.code, r.stderr).toBe(0);
    // A learned pattern carrying markup, quotes and an escape sequence, as an attacker could write it.
    const store = Store.open(db, { mustExist: true });
    try {
      const next = (sqlite(store.path).prepare(`SELECT coalesce(max(pattern_id), -1) + 1 AS id FROM healer_events WHERE run_id = 1`).get() as { id: number }).id;
      sqlite(store.path)
        .prepare(`INSERT INTO healer_events (run_id, round, kind, pattern_id, pattern, category, source, source_round) VALUES (1, 120, 'pattern_learned', ?, ?, 'obfuscation', 'ngram', 100)`)
        .run(next, HOSTILE);
      sqlite(store.path).prepare(`UPDATE rounds SET decided_by = 'healer', pattern_id = ?, outcome = 'INSTANT_BLOCKED' WHERE run_id = 1 AND round = 150 AND kind = 'attack'`).run(next);
    } finally {
      closeSqlite();
      store.close();
    }
    const rep = await hive(['report', '1', '--db', db, '--format', 'html', '--out', out]);
    expect(rep.code, rep.stderr).toBe(0);
    html = readFileSync(out, 'utf8');
  });
  afterAll(() => tmp.cleanup());

  it('is one self-contained HTML document', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('</html>');
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    // No script, no external resource of any kind. Escaped text holds no raw < or >, so every
    // match of <…> is markup hive wrote: the checks look at tags and the style sheet, not at text.
    const tags = html.match(/<[^>]*>/g) ?? [];
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    expect(tags.length).toBeGreaterThan(100);
    for (const tag of tags) {
      expect(tag).not.toMatch(/^<(script|link|img|iframe|object|embed|audio|video|source|base|form)\b/i);
      expect(tag).not.toMatch(/\s(src|href|xlink:href|srcset|action|on[a-z]+)\s*=/i);
      expect(tag).not.toMatch(/https?:|\/\/|url\(/i);
    }
    expect(style).not.toMatch(/url\(|@import|https?:/i);
  });

  it('draws the four charts as inline SVG built by hive', () => {
    const svgs = html.match(/<svg\b[\s\S]*?<\/svg>/g) ?? [];
    expect(svgs).toHaveLength(4);
    for (const s of svgs) {
      expect(XMLValidator.validate(s), s.slice(0, 200)).toBe(true);
      expect(s).toMatch(/viewBox="0 0 \d+ \d+"/);
    }
    const [batches, timeline, categories, defenders] = svgs as [string, string, string, string];
    // Defence per batch: the interval band, the rate line and one dot per batch (200 rounds / 50).
    expect(batches).toContain('<polygon class="band"');
    expect(batches).toContain('<polyline class="rate"');
    expect(batches.match(/<circle class="dot"/g)).toHaveLength(4);
    // Breaches over time, with the healer's patterns marked.
    expect(timeline).toContain('<path class="breach"');
    expect(timeline).toContain('<path class="instant"');
    expect((timeline.match(/<path class="pattern" d="M[\d.]+,/g) ?? []).length).toBeGreaterThan(0);
    // One bar per category (13), defence plus false-positive bars.
    expect(categories.match(/<rect class="bar"/g)?.length).toBe(13);
    expect(categories).toContain('class="fpbar"');
    // One point per defender.
    expect(defenders.match(/<circle class="defender/g)).toHaveLength(5);
    for (const name of ['signatures', 'heuristics', 'deobfuscator', 'classifier', 'similarity']) expect(defenders).toContain(`>${name}</text>`);
  });

  it('shows the tables', () => {
    for (const title of ['Totals', 'Batches', 'Categories', 'Defenders', 'Attackers', 'Healer', 'Top patterns']) expect(html).toContain(`<h2>${title}</h2>`);
    expect(html.match(/<table>/g)?.length).toBeGreaterThanOrEqual(7);
  });

  it('escapes all untrusted text', () => {
    expect(html).not.toContain('<b>cast</b>');
    expect(html).toContain('evil &lt;b&gt;cast&lt;/b&gt; &amp; co');
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;');
    expect(html).not.toContain('\u001b');
    expect(html).toContain('\\x1b[31m');
  });

  it('labels count axes with whole numbers only (a run without breaches has no 0.25 breaches)', () => {
    expect(ticks(1, 4, true)).toEqual([0, 1]);
    expect(ticks(3, 6, true)).toEqual([0, 1, 2, 3]);
    expect(ticks(500, 6, true)).toEqual([0, 100, 200, 300, 400, 500]);
    const [, timeline] = (html.match(/<svg\b[\s\S]*?<\/svg>/g) ?? []) as string[];
    const labels = [...(timeline ?? '').matchAll(/<text class="tick"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(labels.length).toBeGreaterThan(4);
    for (const l of labels) expect(l).toMatch(/^\d+$/);
  });

  it.skipIf(!existsSync(CHROMIUM))('renders in headless Chromium: no error, no chart label over another, no interval cut at an axis, no table scrolling at 1200 px', () => {
    const png = join(tmp.dir, 'report.png');
    const r = spawnSync(process.execPath, ['--experimental-websocket', '--no-warnings', 'scripts/render-report.mjs', out, png], { encoding: 'utf8', timeout: 90_000 });
    // In the test log, so CI shows the page was really rendered (and what Chromium found).
    console.log(`report-html: ${CHROMIUM} rendered the report:\n${r.stdout}${r.stderr}`);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('4 charts (4 drawn at size)');
    expect(r.stdout).toContain('requests beyond the file itself: 0');
    expect(r.stdout).toContain('overlapping chart labels: 0');
    expect(r.stdout).toContain('intervals cut at an axis: 0');
    expect(r.stdout).toContain('tables scrolling sideways at 1200 px: 0');
    expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
  });
});
