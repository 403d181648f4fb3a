/**
 * Where a command's rendered text goes: stdout, or a file (`--out`, `--junit`, `--summary`). One
 * place decides what a renderer may do there: colour and terminal escaping on stdout only when it
 * is a terminal, the bytes as rendered in a file.
 */
import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { DEFAULT_PATHS } from '../config/paths.js';
import { errorMessage, systemErrorText, UsageError } from '../errors.js';
import { wrapText } from '../report/render/layout.js';
import type { Format, RenderOptions } from '../report/render/registry.js';
import type { CliContext } from './context.js';

interface Output {
  write: (chunk: string) => void;
  close: () => void;
  options: RenderOptions;
}

function stdout(ctx: CliContext): Output {
  return {
    // ctx.out ends every call with a newline, so a chunk gives its own last one up.
    write: (chunk) => ctx.out(chunk.endsWith('\n') ? chunk.slice(0, -1) : chunk),
    close: () => {},
    options: { color: ctx.color.level > 0, terminal: ctx.isTTY, width: ctx.width },
  };
}

/** A file written chunk by chunk as the renderer hands them over (a CSV of 100,000 rounds is never whole in memory); `append` keeps what it held. */
function file(path: string, flag: string, append: boolean): Output {
  let fd: number;
  // A pipe whose reader left (`--out /dev/stdout | head`): the rest is dropped and the command
  // ends quietly, as it does when stdout itself is closed (src/cli/main.ts).
  let readerLeft = false;
  try {
    fd = openSync(path, append ? 'a' : 'w');
  } catch (err) {
    throw new UsageError(`cannot write ${path}: ${errorMessage(err)}; pass ${flag} with a writable path.`);
  }
  // A write can fail after the open did (a full disk, /dev/full): one line naming the error, exit 2.
  const failed = (err: unknown): UsageError => new UsageError(`cannot write ${flag} ${path}: ${systemErrorText(err)}; pass ${flag} with a path on a device with room.`);
  return {
    write: (chunk) => {
      if (readerLeft) return;
      try {
        // A write may take only part of the bytes (a pipe whose reader is leaving, a signal): the
        // rest is written after it, so a file is never cut short silently.
        const bytes = Buffer.from(chunk);
        for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EPIPE') {
          readerLeft = true;
          return;
        }
        throw failed(err);
      }
    },
    close: () => {
      try {
        closeSync(fd);
      } catch (err) {
        throw failed(err);
      }
    },
    options: { color: false, terminal: false, width: Infinity },
  };
}

/**
 * Renders `subject` in `format` into the file `path` (checked beforehand with `checkWritable`), or
 * onto stdout when there is no path. `append`: after what the file holds (GitHub's step summary
 * file is shared by every step of a job). A UsageError naming `flag` when the file cannot be
 * opened or written.
 */
export function render<S>(ctx: CliContext, format: Format<S>, subject: S, path?: string, flag = '--out', append = false): void {
  const out = path === undefined ? stdout(ctx) : file(path, flag, append);
  let written = false;
  try {
    format.write(subject, out.write, out.options);
    written = true;
  } finally {
    // After a failed write the file is closed quietly: the write's error is the one to tell.
    if (written) out.close();
    else {
      try {
        out.close();
      } catch {
        /* the write's error propagates */
      }
    }
  }
}

/** Prose on stdout, wrapped at spaces to the width the tables fit (ctx.width). */
export function say(ctx: CliContext, text: string): void {
  for (const line of wrapText(text, ctx.width)) ctx.out(line);
}

/** Why `path` cannot be written, in words, or undefined when it can. */
function unwritable(path: string): string | undefined {
  const folder = dirname(resolve(path));
  let isFolder: boolean;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return `folder ${folder} does not exist (create it first, e.g. mkdir -p ${folder})`;
    if (code === 'ENOTDIR') return `${folder} is not a folder: part of the path is a file`;
    return `folder ${folder} cannot be read (${code ?? errorMessage(err)})`;
  }
  if (!isFolder) return `${folder} is not a folder`;
  const target = existsSync(path) ? statSync(path) : undefined;
  if (target?.isDirectory()) return `${path} is a folder, not a file`;
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    return `folder ${folder} is not writable`;
  }
  try {
    if (target && !target.isFile()) {
      // A pipe or a device (/dev/stdout): opened without blocking, so a pipe nobody reads fails at once.
      closeSync(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK));
    } else if (target) {
      accessSync(path, constants.W_OK);
    } else {
      // Creating a file is the only sure test (a folder of /proc or a read-only mount passes the
      // one above). A name of its own, never the path itself: another hive process may be
      // creating that very database file at this moment.
      const probe = join(folder, `.hive-write-check-${process.pid}-${randomBytes(4).toString('hex')}`);
      closeSync(openSync(probe, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL));
      unlinkSync(probe);
    }
  } catch (err) {
    return `${path} cannot be written (${(err as NodeJS.ErrnoException).code ?? errorMessage(err)})`;
  }
  return undefined;
}

/**
 * Checks, before any work, that the output file `path` given with `flag` (--db, --out, --junit,
 * --summary) can be written: its folder exists and is writable, and the path is not a folder.
 * Folders are never created, except runs/ for the default database. A UsageError (exit 2) in
 * one line otherwise. Never blocks on the path.
 */
export function checkWritable(path: string, flag: string): void {
  if (flag === '--db' && resolve(path) === DEFAULT_PATHS.db && !existsSync(dirname(DEFAULT_PATHS.db))) {
    // The one folder hive makes itself: runs/ in the working folder, one level, on first use.
    try {
      mkdirSync(dirname(DEFAULT_PATHS.db));
    } catch (err) {
      throw new UsageError(`cannot create ${dirname(DEFAULT_PATHS.db)} for the default database (${errorMessage(err)}); pass --db with a writable path.`);
    }
  }
  const why = unwritable(path);
  if (why) throw new UsageError(`cannot write ${flag} ${path}: ${why}; pass ${flag} with a path in a writable folder.`);
}
