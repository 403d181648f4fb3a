import { CATEGORY_IDS, isCategoryId, type CategoryId } from '../categories.js';
import { UsageError } from '../errors.js';

/** A number a user typed, checked against its range; throws one line naming the flag. */
export function checkNumber(name: string, value: number, min: number, max: number, integer = true): number {
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || value > max) {
    throw new UsageError(`${name} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max} (got ${String(value)}).`);
  }
  return value;
}

/** `--category` values (repeated or comma-separated), checked; none means all 13. */
export function parseCategories(values: readonly string[] | undefined): CategoryId[] {
  if (!values || values.length === 0) return [...CATEGORY_IDS];
  const out: CategoryId[] = [];
  for (const v of values.flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean)) {
    if (!isCategoryId(v)) throw new UsageError(`unknown category "${v}"; run "hive categories" for the 13 valid ids.`);
    if (!out.includes(v)) out.push(v);
  }
  return out;
}
