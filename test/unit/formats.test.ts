import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { CI_FORMATS, COMPARE_FORMATS, REPORT_FORMATS, REPRODUCE_FORMATS } from '../../src/report/render/formats.js';
import { chooseFormat, textFormat } from '../../src/report/render/registry.js';

describe('the format registry', () => {
  it('lists each subject\'s formats once, the default first', () => {
    expect(REPORT_FORMATS.map((f) => f.id)).toEqual(['table', 'json', 'csv', 'md', 'html']);
    expect(COMPARE_FORMATS.map((f) => f.id)).toEqual(['table', 'json', 'md']);
    expect(REPRODUCE_FORMATS.map((f) => f.id)).toEqual(['table', 'json', 'md']);
    expect(CI_FORMATS.map((f) => f.id)).toEqual(['junit', 'md']);
    for (const list of [REPORT_FORMATS, COMPARE_FORMATS, REPRODUCE_FORMATS, CI_FORMATS]) {
      const endings = list.flatMap((f) => f.extensions);
      expect(new Set(endings).size).toBe(endings.length);
    }
  });

  it('picks by --format in any case ("markdown" is md), else by the --out ending (.txt is the table; an unknown ending is refused), else the first', () => {
    expect(chooseFormat(REPORT_FORMATS, 'JSON').id).toBe('json');
    expect(chooseFormat(REPORT_FORMATS, 'Markdown').id).toBe('md');
    expect(chooseFormat(REPORT_FORMATS, 'csv', 'report.md').id).toBe('csv');
    expect(chooseFormat(REPORT_FORMATS, undefined, 'out/report.HTM').id).toBe('html');
    expect(chooseFormat(REPORT_FORMATS, undefined, 'report.txt').id).toBe('table');
    expect(() => chooseFormat(REPORT_FORMATS, undefined, 'report.xyz')).toThrow(/cannot tell the format of --out report.xyz from its ending ".xyz"/);
    expect(chooseFormat(REPORT_FORMATS, undefined).id).toBe('table');
  });

  it('refuses an unknown format in one line that lists the known ones', () => {
    expect(() => chooseFormat(COMPARE_FORMATS, 'csv')).toThrow(UsageError);
    expect(() => chooseFormat(COMPARE_FORMATS, 'csv')).toThrow('--format must be one of table, json, md (got "csv").');
  });

  it('ends a text format with exactly one newline', () => {
    const chunks: string[] = [];
    const f = textFormat<string>('x', [], (s) => s);
    f.write('a', (c) => chunks.push(c), { color: false, terminal: false, width: Infinity });
    f.write('b\n', (c) => chunks.push(c), { color: false, terminal: false, width: Infinity });
    expect(chunks).toEqual(['a\n', 'b\n']);
  });
});
