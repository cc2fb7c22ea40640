import { describe, expect, it } from 'vitest';

import { runCli, tempDir } from '../helpers/cli.js';
import { fakeCargoDir } from '../helpers/fake-cargo.js';

const FLAGS = ['svc', '--yes', '--no-git', '--components', 'none', '--verify'];

async function run(extra: string[], fail?: string) {
  const cwd = await tempDir();
  const env = { PATH: `${await fakeCargoDir()}:${process.env.PATH}`, ...(fail ? { FAKE_CARGO_FAIL: fail } : {}) };
  return runCli([...FLAGS, ...extra], { cwd, env });
}

describe('--verify', () => {
  it('without a terminal, prints a line per step with i/3 and the elapsed time', async () => {
    const result = await run([]);
    expect(result.exitCode).toBe(0);
    const lines = result.stderr.split('\n');
    expect(lines).toEqual([
      '[1/3] cargo fmt --check in svc …',
      expect.stringMatching(/^\[1\/3\] cargo fmt --check passed \(\d+\.\ds\)$/),
      '[2/3] cargo clippy in svc …',
      expect.stringMatching(/^\[2\/3\] cargo clippy passed \(\d+\.\ds\)$/),
      '[3/3] cargo test in svc …',
      expect.stringMatching(/^\[3\/3\] cargo test passed \(\d+\.\ds\)$/),
    ]);
    expect(result.stdout).toContain('Verified: cargo fmt --check, cargo clippy, cargo test passed.');
    expect(result.stdout).not.toContain('fake cargo');
  });

  it("on failure, shows cargo's output, then one error line without a stray period", async () => {
    const result = await run([], 'clippy');
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('fake cargo: running clippy');
    expect(result.stderr).toContain('fake cargo: detail for clippy');
    expect(result.stderr).toContain('error[E0425]: cannot find value `x` in this scope');
    const last = result.stderr.trim().split('\n').at(-1) as string;
    expect(last).toMatch(/^error: cargo clippy failed \(step 2\/3, after \d+\.\ds\); its output is above\. The crate was written to .*svc; fix the problem and run `cargo clippy --all-targets -- -D warnings` there$/);
    expect(result.stderr).not.toMatch(/\n\./);
  });

  it("--verbose streams cargo's output as it runs, even when every step passes", async () => {
    const result = await run(['--verbose']);
    expect(result.exitCode).toBe(0);
    for (const step of ['fmt', 'clippy', 'test']) expect(result.stderr).toContain(`fake cargo: running ${step}`);
  });

  it('with --json, stdout stays one JSON object', async () => {
    const result = await run(['--json', '--verbose'], 'test');
    expect(result.exitCode).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, error: expect.stringMatching(/^cargo test failed \(step 3\/3/) });
  });
});
