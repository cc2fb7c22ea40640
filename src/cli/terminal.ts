import { isatty } from 'node:tty';

/** Facts about the terminal, read in one place so the rest of the CLI can be driven by tests. */

/**
 * Prompts are possible only with a TTY on both ends and outside CI. `isatty` asks about the file
 * descriptors without creating `process.stdin`, which costs a stream set-up on every run.
 */
export function isInteractive(): boolean {
  return isatty(0) && isatty(1) && !process.env.CI;
}

/**
 * A one-line spinner on stderr for long steps; silent without a TTY or in `--json` mode, where
 * escape sequences would only pollute logs and machine-read output.
 */
export function spinner(enabled: boolean) {
  const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
  let timer: NodeJS.Timeout | undefined;
  let text = '';
  let frame = 0;
  const draw = () => process.stderr.write(`\r\x1b[2K${frames[frame++ % frames.length]} ${text}`);
  return {
    start(label: string) {
      text = label;
      if (!enabled || !process.stderr.isTTY) return;
      if (!timer) timer = setInterval(draw, 80);
      draw();
    },
    stop() {
      if (timer) {
        clearInterval(timer);
        timer = undefined;
        process.stderr.write('\r\x1b[2K');
      }
    },
  };
}
