/**
 * What the CLI says about a run that stopped, in a module of its own so that commands can say it
 * without loading the engine (test/integration/start-up-modules.test.ts): whether a resume can
 * continue it, and which guard API pointers a quorum loss found missing.
 */
import { withArticle } from './util/words.js';

/**
 * Why `hive wargame --resume` cannot continue a run made by `command` (the stored config's
 * command, else its kind) as a run of `kind`, with how to run it again; undefined when it can.
 * Only wargames resume; and not those of `hive ci`, whose gates a resume would never check.
 */
export function notResumable(kind: string, command: string | undefined): string | undefined {
  const by = command ?? kind;
  if (by === 'ci') return 'a run of hive ci cannot be resumed (a resume would never check its gates): run the same "hive ci" command again';
  if (kind !== 'wargame') return `${withArticle(by)} run cannot be resumed: run the same "hive ${by}" command again`;
  return undefined;
}

/** How the reason of a quorum loss names pointers missing from every failing answer: see `missingPointersOf`. */
export const POINTERS_MISSING = '; every failing answer lacks ';

/**
 * The JSON pointers a quorum loss's `reason` says every failing guard API answer lacked (the
 * hosts answered; the cast's block_when or score pointer does not match), or [] for any other loss.
 */
export function missingPointersOf(reason: string | null): string[] {
  const at = reason?.lastIndexOf(POINTERS_MISSING) ?? -1;
  return reason && at >= 0 ? reason.slice(at + POINTERS_MISSING.length).split(', ') : [];
}
