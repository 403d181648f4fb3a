import type { GatedRun, GateResult } from '../compute/types.js';
import { textFormat, type Format } from './registry.js';
import { neutralize } from './sanitize.js';

/**
 * JUnit XML for CI systems (GitHub Actions test reporters, GitLab, Jenkins): one test suite, one
 * test case per gate, a <failure> for each gate that failed. Every string goes through
 * `xmlText`: characters XML 1.0 cannot hold are shown escaped (as in terminals), the five XML
 * specials become entities.
 */

/** Text safe inside an XML 1.0 element or a double-quoted attribute. */
export function xmlText(s: string): string {
  return neutralize(s, { keepNewlines: true })
    .replace(/[\uFFFE\uFFFF]/g, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;');
}

/** One test suite: its name, one test case per gate, the run's wall time and facts as properties. */
export interface JUnitSuite {
  name: string;
  gates: readonly GateResult[];
  seconds: number;
  timestamp: string;
  properties: ReadonlyArray<[string, string]>;
}

/** The suite as JUnit XML, one <testcase> per gate. */
export function renderJUnit(s: JUnitSuite): string {
  const failures = s.gates.filter((g) => !g.passed).length;
  const time = s.seconds.toFixed(3);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="hive ci" tests="${s.gates.length}" failures="${failures}" errors="0" time="${time}">`,
    `  <testsuite name="${xmlText(s.name)}" tests="${s.gates.length}" failures="${failures}" errors="0" skipped="0" time="${time}" timestamp="${xmlText(s.timestamp)}">`,
    '    <properties>',
    ...s.properties.map(([k, v]) => `      <property name="${xmlText(k)}" value="${xmlText(v)}"/>`),
    '    </properties>',
  ];
  for (const g of s.gates) {
    const open = `    <testcase classname="hive.gates" name="${xmlText(g.name)}" time="0">`;
    if (g.passed) {
      lines.push(open, `      <system-out>${xmlText(g.detail)}</system-out>`, '    </testcase>');
    } else {
      lines.push(open, `      <failure type="gate" message="${xmlText(`${g.name}: ${g.detail}`)}">${xmlText(`${g.detail} (set in ${g.origin})`)}</failure>`, '    </testcase>');
    }
  }
  lines.push('  </testsuite>', '</testsuites>');
  return `${lines.join('\n')}\n`;
}

/** The suite of a gated run: named after the run and its cast, timed by the run's start. */
export function junitSuite(g: GatedRun): JUnitSuite {
  const run = g.report.run;
  return {
    name: `hive ci: run ${run.id} (cast ${run.cast})`,
    gates: g.gates,
    seconds: g.seconds,
    timestamp: run.createdAt,
    properties: [
      ['run', String(run.id)],
      ['mode', g.mode],
      ['cast', run.cast],
      ['status', g.status],
      ['rounds', String(run.roundsDone)],
      ['errors', String(g.report.totals.counts.ERROR)],
      ['config_hash', run.configHash],
    ],
  };
}

export const junitFormat: Format<GatedRun> = textFormat('junit', ['.xml'], (g) => renderJUnit(junitSuite(g)));
