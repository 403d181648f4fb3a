import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { ConfigError } from '../errors.js';
import { CATEGORY_IDS } from '../categories.js';
import { AttackerPoolSchema, CastSchema, ScenarioSchema, } from './schemas.js';
/** Formats a zod issue path as `defenders[2].model`. */
export function formatPath(path) {
    let out = '';
    for (const key of path) {
        if (typeof key === 'number')
            out += `[${key}]`;
        else
            out += out ? `.${String(key)}` : String(key);
    }
    return out || '(top level)';
}
export function describeZodError(error) {
    const issue = error.issues[0];
    if (!issue)
        return 'invalid';
    const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem(s))` : '';
    return `${formatPath(issue.path)}: ${issue.message}${more}`;
}
/** Parses `value` with `schema`, or throws one ConfigError line naming the file and key path. */
export function checkWith(schema, value, file, what) {
    const result = schema.safeParse(value);
    if (!result.success) {
        throw new ConfigError(`${what} ${file} is invalid at ${describeZodError(result.error)}; fix the file (see README "Config files").`);
    }
    return result.data;
}
export function readYamlFile(file, what) {
    if (!existsSync(file) || !statSync(file).isFile()) {
        throw new ConfigError(`${what} file not found: ${file}; check the path (shipped ones are in defenders/, attackers/, scenarios/).`);
    }
    const source = readFileSync(file, 'utf8');
    try {
        return parseYaml(source, { maxAliasCount: 100 });
    }
    catch (err) {
        const where = err instanceof YAMLParseError && err.linePos?.[0] ? ` line ${err.linePos[0].line}` : '';
        const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
        throw new ConfigError(`${what} ${file} is not valid YAML${where}: ${reason}; fix the file.`);
    }
}
export function loadCast(file) {
    return checkWith(CastSchema, readYamlFile(file, 'cast'), file, 'cast');
}
export function loadAttackerPool(file) {
    return checkWith(AttackerPoolSchema, readYamlFile(file, 'attacker pool'), file, 'attacker pool');
}
export function loadScenario(file) {
    const scenario = checkWith(ScenarioSchema, readYamlFile(file, 'scenario'), file, 'scenario');
    const expected = basename(file).replace(/\.ya?ml$/, '');
    if (scenario.id !== expected) {
        throw new ConfigError(`scenario ${file} has id "${scenario.id}" but its file name says "${expected}"; make them match.`);
    }
    return scenario;
}
/** Loads every category's scenario from `dir`; all 13 must be present. */
export function loadScenarios(dir) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
        throw new ConfigError(`scenarios folder not found: ${dir}; pass --scenarios DIR with one <category>.yaml per category.`);
    }
    const present = new Set(readdirSync(dir));
    const scenarios = new Map();
    for (const id of CATEGORY_IDS) {
        const name = present.has(`${id}.yaml`) ? `${id}.yaml` : present.has(`${id}.yml`) ? `${id}.yml` : undefined;
        if (!name)
            throw new ConfigError(`scenarios folder ${dir} has no ${id}.yaml; every one of the 13 categories needs a file (see "hive categories").`);
        scenarios.set(id, loadScenario(join(dir, name)));
    }
    return scenarios;
}
//# sourceMappingURL=load.js.map