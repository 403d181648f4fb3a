/**
 * Vaccines: indicator phrases written from public threat taxonomies (OWASP Top 10 for LLM
 * Applications, MITRE ATLAS) and loaded into the healer before the first round. Each phrase says
 * which technique it was written from, so a pattern's provenance survives into reports and
 * immunity files. A vaccine is YAML checked by a strict zod schema (docs/immunity.md).
 */
import { z } from 'zod';
import { CATEGORY_IDS } from '../categories.js';
import { checkWith, readYamlFile } from '../config/load.js';
/** ATLAS technique (AML.T0051 or AML.T0051.000) or OWASP LLM Top 10 entry (LLM01). */
const TECHNIQUE = /^(AML\.T\d{4}(\.\d{3})?|LLM\d\d)$/;
const IndicatorGroupSchema = z.strictObject({
    technique: z.string().regex(TECHNIQUE, 'must be an ATLAS id like AML.T0051.000 or an OWASP id like LLM01'),
    /** Short literal phrases, matched as whole words after normalisation (never as regular expressions). */
    phrases: z.array(z.string().min(1).max(120)).min(1),
});
export const VaccineSchema = z.strictObject({
    format: z.literal('hive-vaccine'),
    version: z.literal(1),
    name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only'),
    description: z.string().optional(),
    /** The taxonomy releases the phrases were written from, e.g. { atlas: "MITRE ATLAS v5.6.0" }. */
    taxonomies: z.record(z.string(), z.string()).optional(),
    categories: z.partialRecord(z.enum(CATEGORY_IDS), z.array(IndicatorGroupSchema).min(1)),
});
export function loadVaccine(file) {
    return checkWith(VaccineSchema, readYamlFile(file, 'vaccine'), file, 'vaccine');
}
//# sourceMappingURL=vaccine.js.map