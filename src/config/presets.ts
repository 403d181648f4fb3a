import { isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import { checkWith, readYamlFile } from './load.js';
import { PACKAGE_ROOT } from './paths.js';

/** `presets/published.yaml`: the published runs `hive reproduce` knows. Extra keys are errors. */

const fraction = z.number().min(0).max(1);

export const PresetSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'lower-case letters, digits, . and - only'),
  /** The configuration as the article named it. */
  config: z.string().min(1),
  article: z.strictObject({
    title: z.string().min(1),
    /** ISO date (YYYY-MM-DD) when known; null when the source does not record it. */
    date: z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/).nullable(),
    url: z.string().url().optional(),
  }),
  /** Paths relative to hive's package folder. */
  cast: z.string().min(1),
  attackers: z.string().min(1),
  /** Attack rounds, as published. */
  rounds: z.number().int().positive(),
  heal: z.boolean(),
  /** Benign controls added on top of the published attack rounds, as a share of all rounds. */
  benign_ratio: fraction.max(0.9).default(0.2),
  published: z.strictObject({
    defence: fraction,
    breaches: z.number().int().min(0).optional(),
    instant_blocks: z.number().int().min(0).optional(),
    patterns: z.number().int().min(0).optional(),
    categories: z.number().int().min(1).max(13).optional(),
    /** Defence rate per batch of `batch_size` attacks, in order. */
    batch_size: z.number().int().positive().optional(),
    batches: z.array(fraction).optional(),
    /** Figures over the first `attacks` attack rounds. */
    checkpoints: z.array(z.strictObject({ attacks: z.number().int().positive(), defence: fraction, breaches: z.number().int().min(0).optional() })).optional(),
  }),
  /** What hive runs instead of what was published (private models, unrecorded members…). */
  substitutions: z.array(z.string().min(1)).default([]),
  notes: z.string().optional(),
});
export type Preset = z.infer<typeof PresetSchema>;

export const PresetFileSchema = z
  .strictObject({ presets: z.array(PresetSchema).min(1) })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.presets.forEach((p, i) => {
      if (seen.has(p.id)) ctx.addIssue({ code: 'custom', path: ['presets', i, 'id'], message: `"${p.id}" is used twice` });
      seen.add(p.id);
      if ((p.published.batches === undefined) !== (p.published.batch_size === undefined)) {
        ctx.addIssue({ code: 'custom', path: ['presets', i, 'published'], message: 'batches and batch_size go together' });
      }
    });
  });

export const PRESETS_FILE = join(PACKAGE_ROOT, 'presets', 'published.yaml');

export function loadPresets(file = PRESETS_FILE): Preset[] {
  return checkWith(PresetFileSchema, readYamlFile(file, 'presets'), file, 'presets').presets;
}

/** A preset's cast or attacker path, as a file path. */
export function presetPath(p: string): string {
  return isAbsolute(p) ? p : join(PACKAGE_ROOT, p);
}

export function findPreset(id: string, file = PRESETS_FILE): Preset {
  const presets = loadPresets(file);
  const p = presets.find((x) => x.id === id);
  if (!p) throw new UsageError(`unknown preset "${id}"; the presets are ${presets.map((x) => x.id).join(', ')}.`);
  return p;
}
