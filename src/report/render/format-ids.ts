/**
 * The names `--format` takes, per kind of subject, first the default. Commands show them in their
 * --help without loading a renderer; src/report/render/formats.ts holds the renderers and checks
 * at load that its lists carry exactly these names in this order.
 */
export const REPORT_FORMAT_IDS = ['table', 'json', 'csv', 'md', 'html'] as const;
export const COMPARE_FORMAT_IDS = ['table', 'json', 'md'] as const;
export const REPRODUCE_FORMAT_IDS = ['table', 'json', 'md'] as const;
