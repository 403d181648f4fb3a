/**
 * `npm run calibrate:detectors`: fits every embedded detector's P(block) curve on the shipped
 * scenario folder's training pools (calibration.ts) and writes src/defense/embedded/
 * calibration-table.ts, so runs on the shipped folder do not refit at start-up. Run it after
 * changing the training pools or a detector; test/unit/calibration.test.ts fails until then.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_PATHS, PACKAGE_ROOT } from '../src/config/paths.js';
import { loadScenarios } from '../src/config/scenarios.js';
import { calibrationTable, CALIBRATION_TABLE_FILE, renderCalibrationTable } from '../src/defense/embedded/index.js';

const started = performance.now();
const table = calibrationTable(loadScenarios(DEFAULT_PATHS.scenarios));
const file = join(PACKAGE_ROOT, CALIBRATION_TABLE_FILE);
writeFileSync(file, renderCalibrationTable(table));
const curves = Object.entries(table.detectors).map(([id, p]) => `${id} a=${p.a.toFixed(3)} b=${p.b.toFixed(3)} c=${p.c.toFixed(3)} block=${p.block.message}/${p.block.document}`);
process.stdout.write(`calibrate:detectors: ${curves.join('; ')}\nwrote ${CALIBRATION_TABLE_FILE} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
