import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
/** The folder holding hive's package.json, whether running from src/ (tests) or dist/ (installed). */
function findPackageRoot() {
    let dir = dirname(fileURLToPath(import.meta.url));
    for (;;) {
        if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'scenarios')))
            return dir;
        const parent = dirname(dir);
        if (parent === dir)
            throw new Error('hive: cannot find its own package folder');
        dir = parent;
    }
}
export const PACKAGE_ROOT = findPackageRoot();
export const DEFAULT_PATHS = {
    cast: join(PACKAGE_ROOT, 'defenders', 'embedded.yaml'),
    attackers: join(PACKAGE_ROOT, 'attackers', 'embedded.yaml'),
    scenarios: join(PACKAGE_ROOT, 'scenarios'),
    db: resolve('runs', 'hive.db'),
};
//# sourceMappingURL=paths.js.map