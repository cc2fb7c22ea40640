import path from 'node:path';

import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

import { BIN, TOOL_CACHE, runCli, tempDir } from '../helpers/cli.js';

/**
 * Runs the CLI with stdout a pipe that nobody reads for `delaySeconds` (as `| less` would, or a
 * slow consumer), then reads all of it: the shell pipeline `cli | (sleep; cat)`.
 */
async function runWithSlowReader(args: string[], cwd: string, delaySeconds: number): Promise<{ code: number; stdout: string }> {
  const command = `node "$0" "$@" | (sleep ${delaySeconds}; cat); exit "\${PIPESTATUS[0]}"`;
  const result = await execa('bash', ['-c', command, BIN, ...args], {
    cwd,
    reject: false,
    stdin: 'ignore',
    env: { CI: '', CREATE_RUST_ASYNC_CACHE: TOOL_CACHE },
  });
  return { code: result.exitCode ?? -1, stdout: result.stdout };
}

describe('output', () => {
  // The CLI ends its process itself once a run is done (src/launch/launcher.ts); output still
  // queued for a full pipe must get out first.
  it('is written in full to a pipe that is read late', async () => {
    const cwd = await tempDir();
    expect((await runCli(['svc', '--yes', '--no-git', '--components', 'none'], { cwd })).exitCode).toBe(0);
    const args = ['add', 'worker', '--queue', 'nats', '--path', path.join(cwd, 'svc'), '--dry-run'];
    const eager = await runCli(args, { cwd });
    expect(eager.exitCode).toBe(0);
    // More than a pipe (64 KiB on Linux) and the reader's buffer hold, so writes queue while nobody reads.
    expect(eager.stdout.length).toBeGreaterThan(160 * 1024);
    const late = await runWithSlowReader(args, cwd, 0.5);
    expect(late.code).toBe(0);
    expect(late.stdout.trimEnd()).toBe(eager.stdout.trimEnd());
  });
});
