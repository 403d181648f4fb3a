import { createHash } from 'node:crypto';

/** Hex sha256 of a text's UTF-8 bytes: how hive identifies a text (`attacks.sha256`, corpus files). */
export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
