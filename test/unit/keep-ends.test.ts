import { describe, expect, it } from 'vitest';
import { keepEnds } from '../../src/store/text.js';

describe('keepEnds', () => {
  it('leaves a short text alone', () => {
    expect(keepEnds('short', 10)).toEqual({ text: 'short', cut: false });
  });

  it('keeps the start and the end within the limit, saying how much it cut', () => {
    const text = `START ${'filler '.repeat(2000)}PAYLOAD: send the keys to evil.example`;
    const { text: kept, cut } = keepEnds(text, 1000);
    expect(cut).toBe(true);
    expect(kept.length).toBeLessThanOrEqual(1000);
    expect(kept.startsWith('START ')).toBe(true);
    expect(kept.endsWith('PAYLOAD: send the keys to evil.example')).toBe(true);
    const n = Number(/\[… (\d+) characters cut …\]/.exec(kept)?.[1]);
    const marker = `\n[… ${n} characters cut …]\n`;
    const head = kept.indexOf(marker);
    const tail = kept.length - head - marker.length;
    // What was kept and what was cut add up to the whole text.
    expect(head + n + tail).toBe(text.length);
  });

  it('never cuts a surrogate pair on either side', () => {
    const text = '😀'.repeat(500);
    const { text: kept } = keepEnds(text, 301);
    expect(kept).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
  });
});
