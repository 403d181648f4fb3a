/**
 * Which runs `hive wargame --resume` can continue, in a module of its own so that the CLI can say
 * so without loading the engine.
 */
import { withArticle } from '../util/words.js';

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
