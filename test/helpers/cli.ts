import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { execa } from 'execa';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = path.join(ROOT, 'bin/create-rust-async.js');
/** The tool cache the e2e tests give the CLI (seeded by test/helpers/tool-cache.setup.ts). */
export const TOOL_CACHE = path.join(ROOT, 'node_modules/.cache/create-rust-async-e2e');

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI as a user would, without a terminal (stdin is closed), in `cwd`.
 * `CI` is cleared unless given, so tests control interactivity explicitly.
 */
export async function runCli(args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<RunResult> {
  const result = await execa('node', [BIN, ...args], {
    cwd: options.cwd,
    reject: false,
    stdin: 'ignore',
    env: { DEBUG: '', CI: '', CREATE_RUST_ASYNC_CACHE: TOOL_CACHE, ...options.env },
  });
  return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export function tempDir(prefix = 'cra-test-'): Promise<string> {
  return mkdtemp(path.join(tmpdir(), prefix));
}
