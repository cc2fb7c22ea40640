// `npm run bench` (builds first): in one run, the install footprint of this package against
// create-vite, and start-up and generation times against `cargo new` and bare Node start-up.
// Medians of several runs, printed as ratios. BENCH_RUNS sets the timing runs (default 11),
// BENCH_INSTALL_RUNS the install runs (default 3).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { installedBytes, installedPackages } from './footprint.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BIN = path.join(ROOT, 'bin/create-rust-async.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 11);
const INSTALL_RUNS = Number(process.env.BENCH_INSTALL_RUNS ?? 3);

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (start) => Number(process.hrtime.bigint() - start) / 1e6;
const temp = (prefix) => mkdtempSync(path.join(tmpdir(), prefix));
const ratio = (a, b) => `${(a / b).toFixed(2)}x`;

/** Installs `spec` into an empty project INSTALL_RUNS times: median seconds, packages, MB. */
async function install(spec) {
  const seconds = [];
  let packages = [];
  let megabytes = 0;
  for (let i = 0; i < INSTALL_RUNS; i++) {
    const dir = temp('cra-bench-install-');
    execFileSync('npm', ['init', '-y'], { cwd: dir, stdio: 'ignore' });
    const start = process.hrtime.bigint();
    execFileSync('npm', ['install', '--no-audit', '--no-fund', spec], { cwd: dir, stdio: 'ignore' });
    seconds.push(ms(start) / 1000);
    packages = await installedPackages(path.join(dir, 'node_modules'));
    megabytes = (await installedBytes(path.join(dir, 'node_modules'))) / 1e6;
    rmSync(dir, { recursive: true, force: true });
  }
  return { seconds: median(seconds), packages: packages.length, megabytes };
}

const packDir = temp('cra-bench-pack-');
execFileSync('npm', ['pack', '--pack-destination', packDir, '--silent', '--ignore-scripts'], { cwd: ROOT, stdio: 'ignore' });
const tarball = path.join(packDir, readdirSync(packDir).find((file) => file.endsWith('.tgz')));
const ours = await install(tarball);
const vite = await install('create-vite@latest');
rmSync(packDir, { recursive: true, force: true });

console.log('install into an empty project      packages        MB   seconds');
for (const [label, r] of [['create-rust-async (packed tarball)', ours], ['create-vite (from the registry)', vite]]) {
  console.log(`${label.padEnd(34)} ${String(r.packages).padStart(9)} ${r.megabytes.toFixed(2).padStart(9)} ${r.seconds.toFixed(2).padStart(9)}`);
}
console.log(`${'ratio'.padEnd(34)} ${ratio(ours.packages, vite.packages).padStart(9)} ${ratio(ours.megabytes, vite.megabytes).padStart(9)} ${ratio(ours.seconds, vite.seconds).padStart(9)}`);
console.log('(our tarball is local, create-vite comes from the registry: the time ratio favours us slightly)\n');

// Timings: the commands take turns, so a change in machine load shifts all of them alike. A tool
// cache that is empty shows that none of these runs installs anything.
const env = { ...process.env, CI: 'true', CREATE_RUST_ASYNC_CACHE: temp('cra-bench-cache-') };
const commands = {
  cargoNew: { label: 'cargo new --vcs none', run: (dir) => execFileSync('cargo', ['new', '--vcs', 'none', '--quiet', dir], { stdio: 'ignore', env }) },
  node: { label: 'node -e 0 (Node start-up alone)', run: () => execFileSync('node', ['-e', '0'], { stdio: 'ignore', env }) },
  help: { label: 'create-rust-async --help', run: () => execFileSync('node', [BIN, '--help'], { stdio: 'ignore', env }) },
  list: { label: 'create-rust-async list', run: () => execFileSync('node', [BIN, 'list'], { stdio: 'ignore', env }) },
  base: {
    label: 'create-rust-async --yes --no-git (base)',
    run: (dir) => execFileSync('node', [BIN, dir, '--yes', '--no-git', '--components', 'none'], { stdio: 'ignore', env }),
  },
  defaults: { label: 'create-rust-async --yes --no-git (defaults)', run: (dir) => execFileSync('node', [BIN, dir, '--yes', '--no-git'], { stdio: 'ignore', env }) },
};
const samples = Object.fromEntries(Object.keys(commands).map((key) => [key, []]));
for (let i = 0; i <= RUNS; i++) {
  for (const [key, { run }] of Object.entries(commands)) {
    const parent = temp('cra-bench-');
    const start = process.hrtime.bigint();
    run(path.join(parent, 'svc'));
    const elapsed = ms(start);
    rmSync(parent, { recursive: true, force: true });
    if (i > 0) samples[key].push(elapsed); // the first round warms the file cache
  }
}
const t = Object.fromEntries(Object.entries(samples).map(([key, values]) => [key, median(values)]));
rmSync(env.CREATE_RUST_ASYNC_CACHE, { recursive: true, force: true });

console.log(`median of ${RUNS} runs                              ms   / cargo new   / node -e 0`);
for (const [key, { label }] of Object.entries(commands)) {
  console.log(`${label.padEnd(44)} ${t[key].toFixed(1).padStart(8)} ${ratio(t[key], t.cargoNew).padStart(12)} ${ratio(t[key], t.node).padStart(12)}`);
}
console.log('');
console.log(`targets: generation (defaults) <= 2.00x cargo new: ${ratio(t.defaults, t.cargoNew)}; --help <= 1.15x Node start-up: ${ratio(t.help, t.node)}`);
console.log('(`new` from built-in templates runs no cargo fmt: their output is checked rustfmt-clean in the tests)');
