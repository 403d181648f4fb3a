import { Option, type Command } from 'commander';
import { DEFAULT_PATHS } from '../config/paths.js';
import { UsageError } from '../errors.js';

/** Commander hands option values over as strings; these turn them into checked numbers. */
export function intOption(name: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new UsageError(`${name} must be a whole number (got "${value}").`);
    return n;
  };
}

export function floatOption(name: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${name} must be a number (got "${value}").`);
    return n;
  };
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** A run id as typed on the command line (`what` names the argument in the error). UsageError unless it is a whole number from 1. */
export function runIdArgument(value: string, what = 'run'): number {
  return checkedRunId(value, `${what} must be a run id, a whole number from "hive runs"`);
}

/** A run id, or "latest" (and nothing), which is undefined: the latest run. */
export function runOrLatest(value: string | undefined): number | undefined {
  if (value === undefined || value === 'latest') return undefined;
  return checkedRunId(value, 'run must be a run id (a whole number from "hive runs") or "latest"');
}

function checkedRunId(value: string, expected: string): number {
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value)) || Number(value) < 1) throw new UsageError(`${expected} (got "${value}").`);
  return Number(value);
}

/** `--db <file>`, the SQLite database (runs/hive.db unless given): one declaration for every command that reads or writes runs. */
export function dbOption(description = 'SQLite database'): Option {
  return new Option('--db <file>', description).default(DEFAULT_PATHS.db);
}

/** The flags of how rounds are played (docs/conversations.md), as `wargame` and `ci` both take them. */
export interface PlayModeFlags {
  multiTurn?: number;
  maxTurns?: number;
  refinements?: number;
}

/** Adds --multi-turn, --max-turns and --refinements: one definition for every command that plays a wargame. */
export function playModeOptions(command: Command): Command {
  return command
    .option('--multi-turn <r>', 'share of attack rounds and benign controls played as conversations (docs/conversations.md)', floatOption('--multi-turn'))
    .option('--max-turns <n>', 'the most user turns of a conversation (default 5)', intOption('--max-turns'))
    .option('--refinements <n>', 'rewritten attempts after a block, for attackers whose entry gives none', intOption('--refinements'));
}
