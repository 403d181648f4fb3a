/**
 * Where a command's rendered text goes: stdout, or a file (`--out`, `--junit`, `--summary`). One
 * place decides what a renderer may do there: colour and terminal escaping on stdout only when it
 * is a terminal, the bytes as rendered in a file.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { errorMessage, UsageError } from '../errors.js';
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

/** A file written chunk by chunk as the renderer hands them over (a CSV of 100,000 rounds is never whole in memory). */
function file(path: string, flag: string): Output {
  let fd: number;
  try {
    mkdirSync(dirname(path), { recursive: true });
    fd = openSync(path, 'w');
  } catch (err) {
    throw new UsageError(`cannot write ${path}: ${errorMessage(err)}; pass ${flag} with a writable path.`);
  }
  return { write: (chunk) => void writeSync(fd, chunk), close: () => closeSync(fd), options: { color: false, terminal: false, width: Infinity } };
}

/**
 * Renders `subject` in `format` into the file `path` (its folders created), or onto stdout when
 * there is no path. A UsageError naming `flag` when the file cannot be opened.
 */
export function render<S>(ctx: CliContext, format: Format<S>, subject: S, path?: string, flag = '--out'): void {
  const out = path === undefined ? stdout(ctx) : file(path, flag);
  try {
    format.write(subject, out.write, out.options);
  } finally {
    out.close();
  }
}

/** Prose on stdout, wrapped at spaces to the width the tables fit (ctx.width). */
export function say(ctx: CliContext, text: string): void {
  for (const line of wrapText(text, ctx.width)) ctx.out(line);
}
