// Times `create-rust-async --yes --no-git` against `cargo new` in the same run, and `--help`
// start-up, and prints the ratios. Run with `npm run bench` (builds first).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/create-rust-async.js', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Median wall time in ms of `run(dir)` over RUNS fresh temp dirs (after one warm-up run). */
function time(label, run) {
  const samples = [];
  for (let i = 0; i <= RUNS; i++) {
    const parent = mkdtempSync(path.join(tmpdir(), 'cra-bench-'));
    const start = process.hrtime.bigint();
    run(path.join(parent, 'svc'));
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    rmSync(parent, { recursive: true, force: true });
    if (i > 0) samples.push(ms); // the first run warms the file cache
  }
  const ms = median(samples);
  console.log(`${label.padEnd(44)} ${ms.toFixed(1).padStart(8)} ms`);
  return ms;
}

const quiet = { stdio: 'ignore', env: { ...process.env, CI: 'true' } };
const cargoNew = time('cargo new --vcs none', (dir) => execFileSync('cargo', ['new', '--vcs', 'none', '--quiet', dir], quiet));
const nodeBare = time('node -e "" (Node start-up alone)', () => execFileSync('node', ['-e', ''], quiet));
const help = time('create-rust-async --help', () => execFileSync('node', [BIN, '--help'], quiet));
const base = time('create-rust-async --yes --no-git (base)', (dir) =>
  execFileSync('node', [BIN, dir, '--yes', '--no-git', '--components', 'none'], quiet),
);
const defaults = time('create-rust-async --yes --no-git (defaults)', (dir) =>
  execFileSync('node', [BIN, dir, '--yes', '--no-git'], quiet),
);

console.log('');
console.log(`--help / node start-up:           ${(help / nodeBare).toFixed(2)}x`);
console.log(`generate (base) / cargo new:      ${(base / cargoNew).toFixed(2)}x`);
console.log(`generate (defaults) / cargo new:  ${(defaults / cargoNew).toFixed(2)}x`);
console.log('(cargo fmt is not run by `new` from built-in templates; their output is checked rustfmt-clean in the tests)');
