import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { tempDir } from './cli.js';

/**
 * A directory holding a stand-in `cargo` for testing how the CLI runs cargo (progress, output,
 * failure), without compiling for minutes. It prints a line per call and fails the subcommand
 * named in FAKE_CARGO_FAIL. Real cargo runs on generated crates in the cargo test project.
 */
export async function fakeCargoDir(): Promise<string> {
  const dir = await tempDir('cra-fake-cargo-');
  const script = `#!/bin/sh
if [ "$1" = "--version" ]; then echo "cargo 1.95.0 (fake)"; exit 0; fi
echo "fake cargo: running $1"
echo "fake cargo: detail for $1" >&2
if [ "$1" = "$FAKE_CARGO_FAIL" ]; then echo "error[E0425]: cannot find value \\\`x\\\` in this scope"; exit 101; fi
exit 0
`;
  await writeFile(path.join(dir, 'cargo'), script);
  await chmod(path.join(dir, 'cargo'), 0o755);
  return dir;
}
