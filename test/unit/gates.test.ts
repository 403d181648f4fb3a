import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { GatesSchema } from '../../src/config/schemas.js';
import { collectGates, DEFAULT_MAX_ERROR_RATE, evaluateDropGate, evaluateRateGates } from '../../src/report/compute/gates.js';
import { renderJUnit, xmlText } from '../../src/report/render/junit.js';
import { groupFigures } from '../../src/report/group-figures.js';
import type { RunReport } from '../../src/report/types.js';
import type { GateResult, PairedFigure, PairedGroup } from '../../src/report/compute/types.js';
import { mcnemarExact } from '../../src/stats/mcnemar.js';
import { emptyCounts, type OutcomeCounts } from '../../src/stats/outcomes.js';
import { rate } from '../../src/stats/wilson.js';

function counts(defended: number, breached: number, tn: number, fp: number): OutcomeCounts {
  const c = emptyCounts();
  c.DEFENDED = defended;
  c.BREACHED = breached;
  c.TRUE_NEGATIVE = tn;
  c.FALSE_POSITIVE = fp;
  c.attacks = defended + breached;
  c.benign = tn + fp;
  c.rounds = c.attacks + c.benign;
  return c;
}

/** Just enough of a report for the gates: totals and categories. */
function report(total: OutcomeCounts, categories: Record<string, OutcomeCounts>): RunReport {
  return {
    totals: groupFigures(total),
    categories: Object.entries(categories).map(([category, c]) => ({ category, ...groupFigures(c) })),
  } as unknown as RunReport;
}

function paired(aBlocked: number, bBlocked: number, aOnly: number, bOnly: number, n: number): PairedGroup {
  const f: PairedFigure = { n, distinctTexts: n, designEffect: 1, a: rate(aBlocked, n), b: rate(bBlocked, n), difference: (bBlocked - aBlocked) / n, aOnly, bOnly, mcnemar: mcnemarExact(aOnly, bOnly), pHolm: null };
  return { scope: 'overall', defence: f, falsePositive: { ...f, n: 0, a: rate(0, 0), b: rate(0, 0), difference: null, aOnly: 0, bOnly: 0, mcnemar: mcnemarExact(0, 0) }, validOnOneSide: 0 };
}

describe('gates', () => {
  it('a cast may gate some categories only (zod 4 partial record)', () => {
    expect(GatesSchema.safeParse({ categories: { prompt_injection: { min_defence: 0.9 } } }).success).toBe(true);
    expect(GatesSchema.safeParse({ categories: { not_a_category: { min_defence: 0.9 } } }).success).toBe(false);
    expect(GatesSchema.safeParse({ overall: { min_defnce: 0.9 } }).success).toBe(false);
  });

  it('reads min_defense as min_defence (one gate, two spellings), never both at once', () => {
    expect(GatesSchema.parse({ overall: { min_defense: 0.9 } })).toEqual({ overall: { min_defence: 0.9 } });
    expect(GatesSchema.parse({ overall: { min_defence: 0.8 } })).toEqual({ overall: { min_defence: 0.8 } });
    expect(GatesSchema.safeParse({ overall: { min_defence: 0.8, min_defense: 0.9 } }).success).toBe(false);
  });

  it('merges cast, gates file and command line, later ones winning, overall first', () => {
    const specs = collectGates(
      [
        { gates: { overall: { min_defence: 0.9, max_fpr: 0.1 }, categories: { obfuscation: { min_defence: 0.8 }, prompt_injection: { max_fpr: 0.2 } } }, origin: 'cast' },
        { gates: { categories: { obfuscation: { min_defence: 0.7 } } }, origin: 'file' },
      ],
      { minDefence: 0.95 },
    );
    expect(specs.map((s) => [s.kind, s.scope, s.threshold, s.origin])).toEqual([
      ['min-defence', 'overall', 0.95, 'command line'],
      ['max-fpr', 'overall', 0.1, 'cast'],
      ['max-error-rate', 'overall', 0.05, 'default'],
      ['max-fpr', 'prompt_injection', 0.2, 'cast'],
      ['min-defence', 'obfuscation', 0.7, 'file'],
    ]);
    // The error-rate gate is on by default; a gates file or the command line moves it.
    expect(collectGates([{ gates: { overall: { max_error_rate: 0.1 } }, origin: 'file' }], {}).find((s) => s.kind === 'max-error-rate')).toMatchObject({ threshold: 0.1, origin: 'file' });
    expect(collectGates([], { maxErrorRate: 0.02 }).find((s) => s.kind === 'max-error-rate')).toMatchObject({ threshold: 0.02, origin: 'command line' });
  });

  it("docs/ci.md's gate table has a row for every overall gate, the default error-rate gate with its default", () => {
    const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'ci.md'), 'utf8');
    const rows = doc.split('\n').filter((l) => l.startsWith('| `'));
    const kinds = collectGates([], { minDefence: 0.9, maxFpr: 0.1, maxErrorRate: 0.1, minMultiTurnDefence: 0.9, minIterativeDefence: 0.9 }).map((g) => g.kind);
    for (const kind of [...kinds, 'max-drop']) expect(rows.some((r) => r.startsWith(`| \`${kind}\` |`)), kind).toBe(true);
    const errorRow = rows.find((r) => r.startsWith('| `max-error-rate` |')) ?? '';
    expect(errorRow).toContain(`default ${DEFAULT_MAX_ERROR_RATE}`);
    expect(errorRow).toContain('`--max-error-rate R`');
  });

  it('compares point estimates with thresholds, and fails a gate it cannot measure', () => {
    const r = report(counts(90, 10, 95, 5), { obfuscation: counts(8, 2, 0, 0) });
    const specs = collectGates(
      [{ gates: { overall: { min_defence: 0.9, max_fpr: 0.04 }, categories: { obfuscation: { min_defence: 0.8, max_fpr: 0.5 }, tool_misuse: { min_defence: 0.1 } } }, origin: 'cast' }],
      {},
    );
    const results = Object.fromEntries(evaluateRateGates(r, specs).map((g) => [g.name, g]));
    expect(results['min-defence']).toMatchObject({ passed: true, value: 0.9 });
    expect(results['max-fpr']).toMatchObject({ passed: false, value: 0.05 });
    expect(results['max-fpr']?.detail).toMatch(/^false-positive rate 5\.0% \[.*\] \(5\/100\) > 4\.0%$/);
    expect(results['min-defence:obfuscation']).toMatchObject({ passed: true, value: 0.8 });
    expect(results['max-fpr:obfuscation']).toMatchObject({ passed: false, value: null });
    expect(results['max-fpr:obfuscation']?.detail).toContain('no judged benign rounds in obfuscation');
    expect(results['min-defence:tool_misuse']).toMatchObject({ passed: false, value: null });
  });

  it('a paired drop is a regression only when McNemar also finds it significant', () => {
    // 10 rounds lost, 0 gained of 200: p = 2 / 1024 < 0.05 → regression.
    const big = evaluateDropGate({ paired: true, label: 'baseline run 1', group: paired(190, 180, 10, 0, 200) }, 0.01, 0.05);
    expect(big).toMatchObject({ name: 'max-drop', passed: false });
    expect(big.value).toBeCloseTo(0.05, 12);
    expect(big.detail).toContain('McNemar p = 0.00195');
    // 4 lost, 1 gained: a 1.5-point drop beyond 1 point, but p = 0.375 → not a regression.
    const noisy = evaluateDropGate({ paired: true, label: 'baseline run 1', group: paired(190, 187, 4, 1, 200) }, 0.01, 0.05);
    expect(noisy.passed).toBe(true);
    expect(noisy.detail).toContain('not significant');
    // Significant but within the allowed drop.
    expect(evaluateDropGate({ paired: true, label: 'b', group: paired(190, 180, 10, 0, 200) }, 0.1, 0.05).passed).toBe(true);
    // An improvement is never a regression.
    expect(evaluateDropGate({ paired: true, label: 'b', group: paired(180, 190, 0, 10, 200) }, 0, 0.05).passed).toBe(true);
  });

  it('an unpaired drop is judged by its size alone', () => {
    const group = {
      scope: 'overall',
      defence: { a: rate(95, 100), b: rate(93, 100), comparison: { difference: -0.02, ci: { low: -0.08, high: 0.04 }, z: -0.6, pValue: 0.55 }, pHolm: null },
      falsePositive: { a: rate(0, 0), b: rate(0, 0), comparison: { difference: null, ci: null, z: null, pValue: null }, pHolm: null },
    };
    expect(evaluateDropGate({ paired: false, label: 'file', group }, 0.01, 0.05).passed).toBe(false);
    expect(evaluateDropGate({ paired: false, label: 'file', group }, 0.03, 0.05).passed).toBe(true);
  });
});

describe('JUnit', () => {
  const gate = (name: string, passed: boolean, detail: string): GateResult => ({ name, kind: 'min-defence', scope: 'overall', passed, value: 0.5, threshold: 0.9, detail, origin: 'cast <x> & "y"' });

  it('escapes everything XML cannot hold and parses with one test case per gate', () => {
    expect(xmlText(`a<b>&"c"'d'\u0000\u001b`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;\\x00\\x1b');
    const xml = renderJUnit({
      name: 'hive ci: run 3 (cast <evil> & "co")',
      gates: [gate('min-defence', false, 'defence rate 50.0% < 90.0% <script>\u0007'), gate('max-fpr', true, 'ok'), gate('min-defence:obfuscation', true, 'fine')],
      seconds: 1.5,
      timestamp: '2026-01-01T00:00:00.000Z',
      properties: [['cast', '<evil> & "co"']],
    });
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, isArray: (n) => n === 'testcase' }).parse(xml);
    const suite = doc.testsuites.testsuite;
    expect(suite['@_name']).toBe('hive ci: run 3 (cast <evil> & "co")');
    expect(suite['@_tests']).toBe('3');
    expect(suite['@_failures']).toBe('1');
    expect(suite.testcase.map((c: { '@_name': string }) => c['@_name'])).toEqual(['min-defence', 'max-fpr', 'min-defence:obfuscation']);
    expect(suite.testcase[0].failure['@_message']).toContain('min-defence: defence rate 50.0% < 90.0% <script>');
  });
});
