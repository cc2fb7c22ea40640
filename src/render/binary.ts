import { isUtf8 } from 'node:buffer';

/**
 * Binary files from a template pack (images, fonts, keystores) must reach the crate byte for byte.
 * File contents travel through planning, hashing and writing as strings, so a binary file is held
 * as a latin1 string (one character per byte, lossless) and remembered here; the hash and the
 * writers turn it back into the same bytes. Keeping the mark beside the content, rather than as a
 * field on every file record, lets it pass through the planners unchanged.
 */
const binaryContents = new Set<string>();

/** Reads a file's bytes as content: UTF-8 text as is, anything else (or with NUL bytes) as binary. */
export function contentOf(bytes: Buffer): string {
  if (isUtf8(bytes) && !bytes.includes(0)) return bytes.toString('utf8');
  const content = bytes.toString('latin1');
  binaryContents.add(content);
  return content;
}

export function isBinary(content: string): boolean {
  return binaryContents.has(content);
}

/** The bytes a content stands for: what is written to disk and hashed. */
export function contentBytes(content: string): Buffer {
  return Buffer.from(content, isBinary(content) ? 'latin1' : 'utf8');
}
