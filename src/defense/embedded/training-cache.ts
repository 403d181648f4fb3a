/**
 * The embedded detectors' training, cached across runs: training the n-gram classifier and
 * building the similarity index cost most of a short embedded run's start-up (about half a
 * second of a 1.8 s one-round wargame), while reading what they produce (typed arrays, about
 * 0.6 MB) costs a few milliseconds. An entry is used only when everything training reads is the
 * same: the key covers every pool text with its category and provenance, the detector, the
 * entry format and the code of the detectors (this folder, its rules and util/), so any change
 * to a training text, a rule or the training code misses. Entries live beside the parsed
 * scenario cache (config/parsed-cache.ts): HIVE_CACHE_DIR=off turns both off.
 *
 * An entry on disk: MAGIC, the SHA-256 of the rest, then the key (so a file under the wrong name
 * is refused), a JSON part and typed arrays. A file that fails any check (short, corrupt, another
 * format) is a miss: training runs again and overwrites it. Nothing fails because of the cache.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheKey, readCachedBytes, writeCachedBytes } from '../../config/parsed-cache.js';
import type { TrainingPools } from './detector.js';

/** Bumped when the layout of an entry changes. */
const FORMAT = 1;
const MAGIC = Buffer.from('HIVETRN\u0001', 'latin1');
const EXT = 'bin';

/** What a detector's codec turns its trained state into: a JSON-able part and typed arrays. */
export interface Packed {
  meta: unknown;
  arrays: readonly PackedArray[];
}

export type PackedArray = Float32Array | Float64Array | Int32Array | Uint16Array | Uint8Array;

/**
 * How a detector's costly trained state is stored: `pack` gives its parts; `unpack` rebuilds the
 * state from them and throws when they do not fit (wrong count, length or shape), which makes
 * the entry a miss.
 */
export interface StateCodec<S, Shared> {
  pack(state: S): Packed;
  unpack(packed: Packed, shared: Shared): S;
}

const KINDS = [Float32Array, Float64Array, Int32Array, Uint16Array, Uint8Array] as const;

let codeDigestMemo: string | undefined;

/** Every source file of the detectors' code (this folder and below, util/, categories), or the bundle's own bytes. */
function codeDigest(): string {
  if (codeDigestMemo !== undefined) return codeDigestMemo;
  const h = createHash('sha256');
  const here = dirname(fileURLToPath(import.meta.url));
  const add = (dir: string, filter: (f: string) => boolean): void => {
    for (const f of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, f.name);
      if (f.isDirectory()) add(path, filter);
      else if (filter(f.name)) h.update(f.name).update('\0').update(readFileSync(path));
    }
  };
  const code = (f: string): boolean => /\.(js|ts)$/.test(f) && !f.endsWith('.d.ts');
  try {
    add(here, code);
    add(join(here, '../../util'), code);
    add(join(here, '../..'), (f) => /^categories\.(js|ts)$/.test(f));
  } catch {
    // Not the source or dist/ layout: a bundle, covered by its own bytes below.
  }
  // In a bundle the detectors' code is inside the bundle itself: its own bytes stand for it.
  h.update(readFileSync(fileURLToPath(import.meta.url)));
  codeDigestMemo = h.digest('hex');
  return codeDigestMemo;
}

/** The key of a detector's training on `pools`: every text with its category and provenance, length-prefixed. */
function trainingKey(detectorId: string, pools: Pick<TrainingPools, 'attacks' | 'benign'>): string {
  const parts: string[] = [`format ${FORMAT}`, codeDigest(), detectorId, `attacks ${pools.attacks.length}`];
  for (const a of pools.attacks) parts.push(a.category ?? '', a.source, a.text);
  parts.push(`benign ${pools.benign.length}`, ...pools.benign);
  return cacheKey(`training-${detectorId}`, parts);
}

/** The bytes of an entry: MAGIC, SHA-256 of the body, body (key, JSON part, typed arrays, 8-byte aligned). */
export function encodeEntry(key: string, packed: Packed): Buffer {
  const chunks: Buffer[] = [];
  let length = 0;
  const push = (b: Buffer): void => {
    chunks.push(b);
    length += b.length;
  };
  const u32 = (n: number): Buffer => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    return b;
  };
  const text = (s: string): void => {
    const b = Buffer.from(s, 'utf8');
    push(u32(b.length));
    push(b);
  };
  text(key);
  text(JSON.stringify(packed.meta));
  push(u32(packed.arrays.length));
  for (const a of packed.arrays) {
    push(Buffer.from([KINDS.findIndex((k) => a instanceof k)]));
    push(u32(a.length));
    push(Buffer.alloc((8 - ((length + MAGIC.length + 32) % 8)) % 8));
    push(Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  }
  const body = Buffer.concat(chunks, length);
  return Buffer.concat([MAGIC, createHash('sha256').update(body).digest(), body]);
}

/** The packed state in `bytes` when they are a whole, intact entry of `key`; undefined otherwise. */
export function decodeEntry(key: string, bytes: Buffer): Packed | undefined {
  const start = MAGIC.length + 32;
  if (bytes.length < start || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const body = bytes.subarray(start);
  if (!createHash('sha256').update(body).digest().equals(bytes.subarray(MAGIC.length, start))) return undefined;
  let at = start;
  const need = (n: number): void => {
    if (at + n > bytes.length) throw new RangeError('truncated');
  };
  const u32 = (): number => {
    need(4);
    const n = bytes.readUInt32LE(at);
    at += 4;
    return n;
  };
  const text = (): string => {
    const n = u32();
    need(n);
    const s = bytes.toString('utf8', at, at + n);
    at += n;
    return s;
  };
  try {
    if (text() !== key) return undefined;
    const meta = JSON.parse(text()) as unknown;
    const arrays: PackedArray[] = [];
    for (let i = u32(); i > 0; i--) {
      need(1);
      const Kind = KINDS[bytes[at++] as number];
      if (Kind === undefined) return undefined;
      const n = u32();
      at += (8 - (at % 8)) % 8;
      need(n * Kind.BYTES_PER_ELEMENT);
      // Copied out: the file's buffer need not be aligned for the element size.
      const copy = new Kind(n);
      new Uint8Array(copy.buffer).set(bytes.subarray(at, at + copy.byteLength));
      at += copy.byteLength;
      arrays.push(copy);
    }
    return at === bytes.length ? { meta, arrays } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The detector's trained state: from the cache when an intact entry for exactly these pools and
 * this code exists, else `train()`'s, stored for the next run. Same outcome either way: the
 * codecs store every number training produced, bit for bit.
 */
export function cachedTraining<S, Shared>(
  detectorId: string,
  pools: TrainingPools,
  shared: Shared,
  codec: StateCodec<S, Shared>,
  train: () => S,
  env: NodeJS.ProcessEnv = process.env,
): S {
  if (env.HIVE_CACHE_DIR === 'off') return train();
  const key = trainingKey(detectorId, pools);
  const bytes = readCachedBytes(key, EXT, env);
  const packed = bytes === undefined ? undefined : decodeEntry(key, bytes);
  if (packed !== undefined) {
    try {
      return codec.unpack(packed, shared);
    } catch {
      // The parts do not fit this code's state: train again and overwrite the entry.
    }
  }
  const state = train();
  writeCachedBytes(key, EXT, encodeEntry(key, codec.pack(state)), env);
  return state;
}
