import { createHash } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { contentBytes, contentOf, isBinary } from '../../src/render/binary.js';
import { hashContent } from '../../src/plan/manifest.js';

describe('binary content', () => {
  it('round-trips bytes that are not UTF-8, and hashes them as bytes', () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0xfe, 0xc3, 0x28]);
    const content = contentOf(bytes);
    expect(isBinary(content)).toBe(true);
    expect(contentBytes(content).equals(bytes)).toBe(true);
    expect(hashContent(content)).toBe(`sha256-${createHash('sha256').update(bytes).digest('hex')}`);
  });

  it('keeps UTF-8 text as text', () => {
    const content = contentOf(Buffer.from('héllo {{name}}\n'));
    expect(content).toBe('héllo {{name}}\n');
    expect(isBinary(content)).toBe(false);
    expect(contentBytes(content).toString('utf8')).toBe(content);
  });
});
