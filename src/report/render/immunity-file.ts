/**
 * An immunity file as a render format, so `hive immunity export|merge --out` write through the
 * CLI's one writer of output files (src/cli/output.ts `render`), as reports do.
 */
import { formatImmunity, type Immunity } from '../../healer/immunity.js';
import { textFormat, type Format } from './registry.js';

/** The canonical JSON of `formatImmunity` (two-space indent, trailing newline). */
export const immunityFormat: Format<Immunity> = textFormat<Immunity>('json', ['.json'], (im) => formatImmunity(im));
