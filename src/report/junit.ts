import type { GateResult } from './gates.js';
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

export interface JUnitSuite {
  name: string;
  gates: readonly GateResult[];
  seconds: number;
  timestamp: string;
  properties: ReadonlyArray<[string, string]>;
}

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
