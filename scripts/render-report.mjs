#!/usr/bin/env node
// Opens an HTML file in headless Chromium through the DevTools protocol, prints every console
// message, exception, failed or blocked request and log entry the page produced, checks that the
// charts are there, and saves a full-page screenshot.
//
//   node --experimental-websocket scripts/render-report.mjs report.html docs/report.png [--full]
//
// The screenshot holds the charts (down to the last chart); --full takes the whole page.
// Exit 0: rendered, no error; 1: the page logged an error, requested anything, or has no charts;
// 2: Chromium could not be started. No dependencies: Node 20's WebSocket (behind the flag above;
// built in from Node 22) and Debian's `chromium` package (CHROMIUM=/path overrides /usr/bin/chromium).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const full = args.includes('--full');
const [htmlArg, pngArg] = args.filter((a) => a !== '--full');
if (!htmlArg || !pngArg) {
  console.error('usage: render-report.mjs <report.html> <screenshot.png> [--full]');
  process.exit(2);
}
if (typeof WebSocket === 'undefined') {
  console.error('render-report: this Node has no WebSocket; run it with node --experimental-websocket (Node 20) or Node 22+.');
  process.exit(2);
}
const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  console.error(`render-report: ${chromium} not found; apt-get install -y chromium (or set CHROMIUM).`);
  process.exit(2);
}

const WIDTH = 1200;
const profile = mkdtempSync(join(tmpdir(), 'hive-chromium-'));
const browser = spawn(
  chromium,
  [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-default-apps',
    '--disable-extensions',
    '--no-first-run',
    '--no-default-browser-check',
    '--hide-scrollbars',
    '--mute-audio',
    `--user-data-dir=${profile}`,
    '--remote-debugging-port=0',
    `--window-size=${WIDTH},900`,
    'about:blank',
  ],
  { stdio: ['ignore', 'ignore', 'pipe'] },
);
let stderr = '';
browser.stderr.on('data', (d) => (stderr += d));

const removeProfile = () => {
  try {
    rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  } catch {
    // A child process may still hold it for a moment; it is a temporary folder either way.
  }
};
const cleanup = () => {
  try {
    browser.kill('SIGKILL');
  } catch {}
  removeProfile();
};
/** Closes Chromium politely and waits for it, so the profile folder can be removed. */
async function closeBrowser(send) {
  const exited = browser.exitCode !== null ? Promise.resolve() : new Promise((r) => browser.once('exit', r));
  try {
    await Promise.race([send('Browser.close'), new Promise((r) => setTimeout(r, 2000))]);
  } catch {}
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  cleanup();
}

function fail(code, msg) {
  console.error(`render-report: ${msg}`);
  cleanup();
  process.exit(code);
}

const timer = setTimeout(() => fail(2, 'timed out after 60 s'), 60_000);

async function devtoolsUrl() {
  const file = join(profile, 'DevToolsActivePort');
  for (let i = 0; i < 200; i++) {
    if (existsSync(file)) {
      const [port, path] = readFileSync(file, 'utf8').trim().split('\n');
      if (port && path) return `ws://127.0.0.1:${port}${path}`;
    }
    if (browser.exitCode !== null) fail(2, `chromium exited (${browser.exitCode}):\n${stderr.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  fail(2, `chromium did not open its DevTools port:\n${stderr.slice(-2000)}`);
}

const ws = new WebSocket(await devtoolsUrl());
await new Promise((res, rej) => {
  ws.onopen = res;
  ws.onerror = () => rej(new Error('cannot connect to chromium'));
});
let nextId = 1;
const pending = new Map();
const listeners = [];
ws.onmessage = (ev) => {
  const msg = JSON.parse(typeof ev.data === 'string' ? ev.data : Buffer.from(ev.data).toString());
  if (msg.id && pending.has(msg.id)) {
    const { resolve: ok, reject } = pending.get(msg.id);
    pending.delete(msg.id);
    if (msg.error) reject(new Error(`${msg.error.message} (${msg.error.code})`));
    else ok(msg.result);
  } else if (msg.method) for (const l of listeners) l(msg);
};
const send = (method, params = {}, sessionId) =>
  new Promise((ok, reject) => {
    const id = nextId++;
    pending.set(id, { resolve: ok, reject });
    ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
  });

const problems = [];
const messages = [];
const requests = [];
const pageUrl = pathToFileURL(resolve(htmlArg)).href;

const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
let loaded;
const loadedP = new Promise((r) => (loaded = r));
listeners.push((m) => {
  if (m.sessionId !== sessionId) return;
  const p = m.params;
  switch (m.method) {
    case 'Runtime.consoleAPICalled': {
      const text = p.args.map((a) => a.value ?? a.description ?? '').join(' ');
      messages.push(`console.${p.type}: ${text}`);
      if (p.type === 'error' || p.type === 'assert') problems.push(`console.${p.type}: ${text}`);
      break;
    }
    case 'Runtime.exceptionThrown':
      problems.push(`exception: ${p.exceptionDetails.exception?.description ?? p.exceptionDetails.text}`);
      break;
    case 'Log.entryAdded':
      messages.push(`log.${p.entry.level} (${p.entry.source}): ${p.entry.text}`);
      if (p.entry.level === 'error' || p.entry.source === 'security' || p.entry.source === 'violation') problems.push(`log.${p.entry.level} (${p.entry.source}): ${p.entry.text}`);
      break;
    case 'Network.requestWillBeSent':
      if (p.request.url !== pageUrl && !p.request.url.startsWith('data:')) {
        requests.push(p.request.url);
        problems.push(`request: ${p.request.url}`);
      }
      break;
    case 'Network.loadingFailed':
      if (p.blockedReason) problems.push(`blocked request (${p.blockedReason})`);
      break;
    case 'Page.loadEventFired':
      loaded();
      break;
  }
});
for (const domain of ['Page', 'Runtime', 'Log', 'Network']) await send(`${domain}.enable`, {}, sessionId);
await send('Emulation.setDeviceMetricsOverride', { width: WIDTH, height: 900, deviceScaleFactor: 1, mobile: false }, sessionId);
await send('Page.navigate', { url: pageUrl }, sessionId);
await loadedP;

const probe = await send(
  'Runtime.evaluate',
  {
    returnByValue: true,
    expression: `(() => ({
      svgs: document.querySelectorAll('svg.chart').length,
      drawn: [...document.querySelectorAll('svg.chart')].filter((s) => s.getBoundingClientRect().width > 100 && s.getBoundingClientRect().height > 100).length,
      tables: document.querySelectorAll('table').length,
      // Every pair of chart labels that overlap, and every label a whisker runs through.
      overlaps: [...document.querySelectorAll('svg.chart')].flatMap((svg, c) => {
        const box = (e) => e.getBoundingClientRect();
        const meet = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
        const texts = [...svg.querySelectorAll('text')].filter((t) => t.textContent.trim() !== '');
        const whiskers = [...svg.querySelectorAll('line.whisker')];
        const out = [];
        texts.forEach((a, i) => texts.slice(i + 1).forEach((b) => meet(box(a), box(b)) && out.push('chart ' + (c + 1) + ': "' + a.textContent + '" overlaps "' + b.textContent + '"')));
        for (const t of texts) for (const w of whiskers) if (meet(box(t), box(w))) out.push('chart ' + (c + 1) + ': an interval runs through "' + t.textContent + '"');
        return out;
      }),
      // Every interval that reaches past its chart's plotting area (cut at the axis).
      clipped: [...document.querySelectorAll('svg.chart[data-plot]')].flatMap((svg, c) => {
        const [x0, y0, x1, y1] = svg.dataset.plot.split(' ').map(Number);
        return [...svg.querySelectorAll('line.whisker')]
          .filter((l) => ['x1', 'x2'].some((k) => +l.getAttribute(k) < x0 - 0.5 || +l.getAttribute(k) > x1 + 0.5) || ['y1', 'y2'].some((k) => +l.getAttribute(k) < y0 - 0.5 || +l.getAttribute(k) > y1 + 0.5))
          .map((l) => 'chart ' + (c + 1) + ': interval ' + ['x1', 'x2', 'y1', 'y2'].map((k) => l.getAttribute(k)).join(',') + ' outside ' + svg.dataset.plot);
      }),
      // Tables wider than their box at this width (they would need horizontal scrolling).
      scrolling: [...document.querySelectorAll('.scroll')].filter((s) => s.scrollWidth > s.clientWidth + 1).map((s) => s.closest('section')?.querySelector('h2')?.textContent ?? '?'),
      height: Math.ceil(document.documentElement.scrollHeight),
      chartsBottom: Math.ceil(Math.max(0, ...[...document.querySelectorAll('figure')].map((f) => f.getBoundingClientRect().bottom + window.scrollY)) + 16),
      title: document.title,
    }))()`,
  },
  sessionId,
);
const info = probe.result.value;
await send('Emulation.setDeviceMetricsOverride', { width: WIDTH, height: Math.min(info.height, 16000), deviceScaleFactor: 1, mobile: false }, sessionId);
// The charts (the top of the page) unless --full: a README picture, not a scroll.
const clipHeight = full || !info.chartsBottom ? Math.min(info.height, 16000) : Math.min(info.chartsBottom, info.height);
const shot = await send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true, clip: { x: 0, y: 0, width: WIDTH, height: clipHeight, scale: 1 } }, sessionId);
writeFileSync(pngArg, Buffer.from(shot.data, 'base64'));
clearTimeout(timer);

console.log(`rendered "${info.title}": ${info.svgs} charts (${info.drawn} drawn at size), ${info.tables} tables, ${info.height}px tall; screenshot ${WIDTH}x${clipHeight}`);
console.log(`screenshot: ${pngArg}`);
console.log(`console and log messages: ${messages.length}${messages.length ? `\n  ${messages.join('\n  ')}` : ''}`);
console.log(`requests beyond the file itself: ${requests.length}`);
console.log(`overlapping chart labels: ${info.overlaps.length}${info.overlaps.length ? `\n  ${info.overlaps.join('\n  ')}` : ''}`);
console.log(`intervals cut at an axis: ${info.clipped.length}${info.clipped.length ? `\n  ${info.clipped.join('\n  ')}` : ''}`);
console.log(`tables scrolling sideways at ${WIDTH} px: ${info.scrolling.length}${info.scrolling.length ? ` (${info.scrolling.join(', ')})` : ''}`);
if (info.svgs < 4 || info.drawn < info.svgs) problems.push(`expected 4 drawn charts, found ${info.drawn} of ${info.svgs}`);
problems.push(...info.overlaps, ...info.clipped, ...info.scrolling.map((t) => `table "${t}" scrolls sideways at ${WIDTH} px`));
await closeBrowser(send);
ws.close();
if (problems.length) {
  console.error(`render-report: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('no errors');
