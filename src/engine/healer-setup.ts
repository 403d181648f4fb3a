/**
 * Building a run's healer: `--immunity` files, `--vaccine` files and `--freeze-healer-after`.
 * Files are read and checked before the run is created (a bad file must not leave a run behind);
 * they are put into the healer once the run exists, so their events belong to it (round 0).
 */
import type { HealerConfig } from '../config/schemas.js';
import { UsageError } from '../errors.js';
import { Healer, type HealerEvent } from '../healer/healer.js';
import { mergeImmunity, readImmunityFile, type Immunity } from '../healer/immunity.js';
import { loadImmunity, loadVaccineInto } from '../healer/preload.js';
import { loadVaccine, type Vaccine } from '../healer/vaccine.js';

export interface HealerFlags {
  immunity?: readonly string[] | undefined;
  vaccines?: readonly string[] | undefined;
  freezeHealerAfter?: number | undefined;
}

export interface HealerPlan {
  immunity: Immunity | undefined;
  vaccines: Vaccine[];
  freezeAfter: number | undefined;
}

/** Checks the flags against each other and reads every file; throws one-line user errors. */
export function planHealer(flags: HealerFlags, heal: boolean): HealerPlan {
  const immunityFiles = flags.immunity ?? [];
  const vaccineFiles = flags.vaccines ?? [];
  const freeze = flags.freezeHealerAfter;
  if (!heal) {
    const used = [immunityFiles.length > 0 && '--immunity', vaccineFiles.length > 0 && '--vaccine', freeze !== undefined && '--freeze-healer-after'].filter(Boolean);
    if (used.length > 0) throw new UsageError(`${used.join(', ')} need the healer, which is off (--no-heal or healer.enabled: false in the cast).`);
  }
  if (freeze !== undefined && (!Number.isInteger(freeze) || freeze < 0)) {
    throw new UsageError(`--freeze-healer-after must be a whole number of rounds from 0 (got ${String(freeze)}).`);
  }
  return {
    // Several immunity files are merged first, so the order they are given in does not matter.
    immunity: immunityFiles.length > 0 ? mergeImmunity(immunityFiles.map(readImmunityFile)) : undefined,
    vaccines: vaccineFiles.map(loadVaccine),
    freezeAfter: freeze,
  };
}

/** The healer with everything planned loaded, and the round-0 events that loading produced. */
export function buildHealer(config: HealerConfig, guard: readonly string[], plan: HealerPlan): { healer: Healer; events: HealerEvent[] } {
  const healer = new Healer(config, guard, { freezeAfter: plan.freezeAfter });
  const events: HealerEvent[] = [];
  if (plan.immunity) events.push(...loadImmunity(healer, plan.immunity));
  for (const v of plan.vaccines) events.push(...loadVaccineInto(healer, v));
  return { healer, events };
}
