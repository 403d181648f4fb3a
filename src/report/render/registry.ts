/**
 * What a renderer is, and how a command picks one. Each output format is one module that exports
 * a `Format` of what it renders (a run, a comparison, a reproduction, a gated run); the lists in
 * src/report/render/formats.ts are where `--format` looks them up, so adding a format is one file
 * and one line there.
 */
import { extname } from 'node:path';
import { UsageError } from '../../errors.js';

/** Where the text goes, as far as a renderer cares. */
export interface RenderOptions {
  /** Colour escape sequences are welcome: a terminal with colour on (NO_COLOR unset), never a file. */
  color: boolean;
  /** The text is shown on a terminal rather than saved to a file: cells a file keeps byte for byte (CSV) lose their control characters. */
  terminal: boolean;
  /** Columns the text should fit (tables give way to fit): the terminal's width, Infinity in a file or a pipe. */
  width: number;
}

/** Renders one kind of subject `S` in one format. */
export interface Format<S> {
  /** The name `--format` takes. */
  id: string;
  /** File endings (".md") that pick this format for `--out FILE` when `--format` is not given. */
  extensions: readonly string[];
  /** Writes the subject through `write`, in one chunk or many (a CSV of 100,000 rounds streams); the text ends with a newline. */
  write(subject: S, write: (chunk: string) => void, opts: RenderOptions): void;
}

/** A format whose text is built whole: `render`'s text, ended with one newline. */
export function textFormat<S>(id: string, extensions: readonly string[], render: (subject: S, opts: RenderOptions) => string): Format<S> {
  return {
    id,
    extensions,
    write: (subject, write, opts) => {
      const text = render(subject, opts);
      write(text.endsWith('\n') ? text : `${text}\n`);
    },
  };
}

/**
 * The format `requested` names (any case; "markdown" is md), else the one the ending of `outPath`
 * picks, else the first of the list. A UsageError that lists the names when `requested` is none of them.
 */
export function chooseFormat<S>(formats: readonly Format<S>[], requested: string | undefined, outPath?: string): Format<S> {
  if (requested !== undefined) {
    const id = requested.toLowerCase() === 'markdown' ? 'md' : requested.toLowerCase();
    const found = formats.find((f) => f.id === id);
    if (!found) throw new UsageError(`--format must be one of ${formats.map((f) => f.id).join(', ')} (got "${requested}").`);
    return found;
  }
  const ending = outPath === undefined ? '' : extname(outPath).toLowerCase();
  const inferred = formats.find((f) => f.extensions.includes(ending));
  if (inferred) return inferred;
  // An ending hive does not know (r.xyz) is more likely a typo than a wish for the table format.
  if (ending !== '') {
    const known = formats.flatMap((f) => f.extensions.filter((e) => e !== '').map((e) => `${e} (${f.id})`));
    throw new UsageError(`cannot tell the format of --out ${outPath} from its ending "${ending}": pass --format ${formats.map((f) => f.id).join('|')}, or end the file in ${known.join(', ')}.`);
  }
  return formats[0] as Format<S>;
}
