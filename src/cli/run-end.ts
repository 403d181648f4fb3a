/**
 * How a run's end reads on the command line: the exit code for its status, and the command that
 * continues it. One place, so `hive wargame`, `hive runs` and the docs agree.
 */
import type { RunStatus } from '../domain.js';
import { DEFAULT_PATHS } from '../config/paths.js';
import { missingPointersOf } from '../run-stops.js';
import { notResumable } from '../run-stops.js';

/**
 * 0: the run did what was asked (completed, or stopped by the budget the user set);
 * 130: interrupted (Ctrl-C), resumable; 1: it failed or lost its quorum, resumable once fixed.
 */
export function exitCodeFor(status: RunStatus): number {
  switch (status) {
    case 'completed':
    case 'budget_exhausted':
      return 0;
    case 'interrupted':
      return 130;
    default:
      return 1;
  }
}

/** Whether `hive wargame --resume` continues a run of `kind` made by `command` that ended `status` (src/engine/resume.ts `notResumable`). */
export function isResumable(kind: string, status: RunStatus, command?: string): boolean {
  return status !== 'completed' && notResumable(kind, command) === undefined;
}

/** A path as a shell word: quoted when it holds anything beyond safe characters. */
function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The command that continues run `runId` (the --db part only when it is not the default). */
export function resumeCommand(runId: number, db: string): string {
  return `hive wargame --resume ${runId}${db === DEFAULT_PATHS.db ? '' : ` --db ${shellWord(db)}`}`;
}

/**
 * What to do about a run that stopped early (its status and stored reason), ending with the
 * command that continues it where continuing can help.
 */
export function resumeAdvice(status: RunStatus, command: string, reason: string | null = null): string {
  const pointers = status === 'quorum_lost' ? missingPointersOf(reason) : [];
  if (pointers.length > 0) {
    // A resume plays the stored cast again, with the same pointers: only a new run can help.
    return `the guard API answered, but its answers have no ${pointers.join(', ')}: fix the block_when (or score) pointer in the cast to a path its answers hold, then start a new run (a resume would read them with the stored cast).`;
  }
  switch (status) {
    case 'budget_exhausted':
      return `resume with: ${command} (with a larger budget, or none, to go further)`;
    case 'quorum_lost':
      return `once the defenders' hosts answer again ("hive doctor --cast <cast>" checks them), resume with: ${command}`;
    case 'failed':
      return `once the cause is fixed, resume with: ${command}`;
    default:
      return `resume with: ${command}`;
  }
}
