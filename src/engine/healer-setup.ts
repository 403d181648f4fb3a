/**
 * Building a run's healer: `--immunity` files, `--vaccine` files and `--freeze-healer-after`.
 * Files are read and checked before the run is created (a bad file must not leave a run behind);
 * src/engine/build.ts puts them into the healer, and their events are stored with the run (round 0).
 */
import { UsageError } from '../errors.js';
import { mergeImmunity, readImmunityFile, type Immunity } from '../healer/immunity.js';
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
    if (used.length > 0) throw new UsageError(`${used.join(', ')} ${used.length === 1 ? 'needs' : 'need'} the healer, which is off (--no-heal or healer.enabled: false in the cast).`);
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
