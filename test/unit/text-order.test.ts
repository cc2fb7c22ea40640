import { describe, expect, it } from 'vitest';

import { compareText } from '../../src/text-order.js';

// Deterministic pseudo-random strings, so a failure can be reproduced.
function* strings(alphabet: string, count: number, seed: number): Generator<string> {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31);
  for (let n = 0; n < count; n++) {
    const length = next() % 9;
    let text = '';
    for (let i = 0; i < length; i++) text += alphabet[next() % alphabet.length];
    yield text;
  }
}

const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');
const PATHS = 'aAbBzZ09._-/';

describe('compareText', () => {
  it.each([
    ['printable ASCII', PRINTABLE],
    ['path and crate-name characters (dense, so many strings share prefixes)', PATHS],
  ])('orders %s as localeCompare in English does', (_, alphabet) => {
    const list = [...strings(alphabet, 4000, 7)];
    for (let i = 1; i < list.length; i++) {
      const [a, b] = [list[i - 1] as string, list[i] as string];
      expect(compareText(a, b), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`).toBe(Math.sign(a.localeCompare(b, 'en')));
    }
    expect([...list].sort(compareText)).toEqual([...list].sort((a, b) => a.localeCompare(b, 'en')));
  });

  it('orders the files of a crate as before', () => {
    const files = ['src/main.rs', 'Cargo.toml', '.gitignore', 'README.md', 'build.rs', '.env.example', 'Dockerfile', 'src/db/mod.rs', 'src/db.rs'];
    expect([...files].sort(compareText)).toEqual([...files].sort((a, b) => a.localeCompare(b, 'en')));
  });

  it('falls back to the English collator outside ASCII', () => {
    expect(compareText('é', 'f')).toBe(-1);
    expect(compareText('aa', 'z')).toBe(-1); // as in English, whatever the user's locale
  });
});

describe('the source', () => {
  // Its first call sets up ICU's collator, a tenth of a whole `new` (see src/text-order.ts), and it
  // follows the user's locale: ordering goes through compareText.
  it('calls localeCompare only in src/text-order.ts', async () => {
    const { readdir, readFile } = await import('node:fs/promises');
    const root = new URL('../../src/', import.meta.url);
    const offenders: string[] = [];
    for (const file of await readdir(root, { recursive: true })) {
      if (!file.endsWith('.ts') || file === 'text-order.ts') continue;
      if ((await readFile(new URL(file, root), 'utf8')).includes('localeCompare')) offenders.push(file);
    }
    expect(offenders).toEqual([]);
  });
});
