/**
 * Every output format, one list per kind of subject; the first of a list is the default. A
 * command's `--format` (and `--out`'s file ending) is looked up here with `chooseFormat`
 * (src/report/render/registry.ts). A new format: one module exporting a `Format`, one line here.
 */
import type { RunSubject } from '../types.js';
import type { ComparisonView, GatedRun, ReproduceResult } from '../compute/types.js';
import { ciSummaryFormat } from './ci-summary.js';
import { compareJsonFormat, compareMarkdownFormat, compareTableFormat } from './compare.js';
import { csvFormat } from './csv.js';
import { htmlFormat } from './html.js';
import { jsonFormat } from './json.js';
import { junitFormat } from './junit.js';
import { markdownFormat } from './markdown.js';
import { COMPARE_FORMAT_IDS, REPORT_FORMAT_IDS, REPRODUCE_FORMAT_IDS } from './format-ids.js';
import type { Format } from './registry.js';
import { reproduceJsonFormat, reproduceMarkdownFormat, reproduceTableFormat } from './reproduce.js';
import { tableFormat } from './table.js';

/** `hive report`: a stored run. */
export const REPORT_FORMATS: ReadonlyArray<Format<RunSubject>> = [tableFormat, jsonFormat, csvFormat, markdownFormat, htmlFormat];

/** `hive compare`: two runs side by side. */
export const COMPARE_FORMATS: ReadonlyArray<Format<ComparisonView>> = [compareTableFormat, compareJsonFormat, compareMarkdownFormat];

/** `hive reproduce`: a published configuration measured again. */
export const REPRODUCE_FORMATS: ReadonlyArray<Format<ReproduceResult>> = [reproduceTableFormat, reproduceJsonFormat, reproduceMarkdownFormat];

/** `hive ci --junit F` and `--summary F`: a run checked against its gates. */
export const CI_FORMATS: ReadonlyArray<Format<GatedRun>> = [junitFormat, ciSummaryFormat];

// The names commands show in --help come from format-ids.ts (no renderer loaded); a list here
// that drifts from them is a bug caught the first time any format is looked up.
for (const [formats, ids] of [
  [REPORT_FORMATS, REPORT_FORMAT_IDS],
  [COMPARE_FORMATS, COMPARE_FORMAT_IDS],
  [REPRODUCE_FORMATS, REPRODUCE_FORMAT_IDS],
] as const) {
  if (formats.map((f) => f.id).join() !== ids.join()) throw new Error(`format lists out of step with format-ids.ts: ${formats.map((f) => f.id).join()} vs ${ids.join()}`);
}
