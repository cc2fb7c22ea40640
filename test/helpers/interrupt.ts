import { execa } from 'execa';

import { BIN } from './cli.js';

export interface Interrupted {
  /** Whether the signal was sent before the run ended by itself. */
  hit: boolean;
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
}

/**
 * Starts the CLI and sends `signal` as soon as `started` says its write is under way. If the run
 * ends first, `hit` is false; callers retry until a signal lands mid-write.
 */
export async function interrupt(args: string[], cwd: string, signal: NodeJS.Signals, started: () => Promise<boolean>, env: Record<string, string> = {}): Promise<Interrupted> {
  const child = execa('node', [BIN, ...args], { cwd, reject: false, stdin: 'ignore', env: { DEBUG: '', CI: '', ...env } });
  let hit = false;
  const poll = (async () => {
    while (child.exitCode === null && !hit) {
      if (await started()) {
        hit = child.kill(signal);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  })();
  const result = await child;
  await poll;
  return { hit, exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
}
