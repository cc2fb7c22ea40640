import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

import { ROOT } from '../helpers/cli.js';

describe('package metadata', () => {
  it('declares where the project lives, and ships the MIT license text', async () => {
    const pkg = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
    const home = 'https://github.com/create-rust-async/create-rust-async';
    expect(pkg).toMatchObject({
      license: 'MIT',
      repository: { type: 'git', url: `git+${home}.git` },
      homepage: `${home}#readme`,
      bugs: { url: `${home}/issues` },
    });
    const license = await readFile(path.join(ROOT, 'LICENSE'), 'utf8');
    expect(license).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} create-rust-async contributors\n/);
    const { stdout } = await execa('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT });
    const files = (JSON.parse(stdout) as { files: { path: string }[] }[])[0]?.files.map((file) => file.path);
    expect(files).toContain('LICENSE');
  }, 60_000);
});
