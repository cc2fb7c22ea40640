import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';

import { cacheRoot } from '../tools/cache-root.js';

/**
 * The launcher of the bundle (built to dist/cli/launch.cjs, required by bin/create-rust-async.js;
 * see docs/build.md). The bundle's chunks are CommonJS-shaped functions that this loader compiles
 * with `vm.Script` and V8's code cache: compiled once, a chunk is read back from the user cache on
 * later runs instead of being parsed and compiled again, which is most of a short run's own cost.
 * Node 22 does this for every module (`module.enableCompileCache`); Node 20, which this package
 * supports, has only the `vm` API.
 *
 * The cache can only make a run faster: a cache file that is missing, from another Node or V8
 * (V8 checks its version and flags), or unreadable is ignored and the chunk compiled from source;
 * one that cannot be written is skipped.
 */

/** What a chunk's source is the body of: a CommonJS module function, plus what the build rewrites `import.meta.url` and `import(url)` to. */
const PARAMETERS = ['exports', 'require', 'module', '__filename', '__dirname', '__cra_import_meta_url', '__cra_import_url'].join(', ');

type Exports = Record<string, unknown>;

export interface ChunkLoader {
  /** Runs a chunk of `dir` (once; later calls return its exports). */
  load(name: string): Exports;
  /** Writes the code cache of every chunk compiled from source in this run. */
  saveCache(): void;
}

function readOrUndefined(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Loads the chunks in `dir`, with their code cache in `cacheDir` (none: always from source). A
 * chunk's name carries a hash of its content (the build names them so), so a cache file belongs to
 * exactly one version of its chunk.
 */
export function chunkLoader(dir: string, cacheDir: string | undefined): ChunkLoader {
  const chunks = new Map<string, { exports: Exports }>();
  const compiled: Array<{ script: vm.Script; cacheFile: string }> = [];
  // A tool installed on first use is an ES module outside the bundle; `import()` works here, in a
  // module Node loaded, not in code compiled through vm (that needs --experimental-vm-modules).
  const importUrl = (url: string): Promise<unknown> => import(url);
  // Chunks require each other by `./<name>`, and Node's built-ins by name.
  const requireFromChunk = (id: string): unknown => (id.startsWith('./') ? load(id.slice(2)) : require(id));

  function load(name: string): Exports {
    const known = chunks.get(name);
    if (known) return known.exports;
    const file = path.join(dir, name);
    const cacheFile = cacheDir === undefined ? undefined : path.join(cacheDir, `${name}.v8`);
    const cachedData = cacheFile === undefined ? undefined : readOrUndefined(cacheFile);
    const source = readFileSync(file, 'utf8');
    // The wrapper stays on the chunk's first line, so stack traces keep the file's line numbers.
    const script = new vm.Script(`(function (${PARAMETERS}) {${source}\n})`, { filename: file, cachedData });
    if (cacheFile !== undefined && (cachedData === undefined || script.cachedDataRejected)) compiled.push({ script, cacheFile });
    const module = { exports: {} as Exports };
    chunks.set(name, module); // before running it, as Node does, should chunks ever require each other in a cycle
    // Few chunks use import.meta.url (the build renames it), so the URL is made only for those.
    const url = source.includes('__cra_import_meta_url') ? pathToFileURL(file).href : undefined;
    script.runInThisContext()(module.exports, requireFromChunk, module, file, dir, url, importUrl);
    return module.exports;
  }

  function saveCache(): void {
    if (cacheDir === undefined || compiled.length === 0) return;
    try {
      mkdirSync(cacheDir, { recursive: true });
      // Compiled chunks of other builds would only pile up: the cache keeps the build that runs.
      const current = new Set(readdirSync(dir).map((name) => `${name}.v8`));
      for (const entry of readdirSync(cacheDir)) {
        if (!current.has(entry)) rmSync(path.join(cacheDir, entry), { force: true, recursive: true });
      }
      for (const { script, cacheFile } of compiled) {
        // Written after the run, the cache also holds the functions the run compiled on first
        // call; renamed into place, so a concurrent run reads a whole file or none.
        const staging = `${cacheFile}.${process.pid}.tmp`;
        writeFileSync(staging, script.createCachedData());
        renameSync(staging, cacheFile);
      }
    } catch {
      // A cache that cannot be written only makes the next run as slow as this one.
    }
  }

  return { load, saveCache };
}

/** Where compiled chunks are kept: per Node version and architecture, whose V8 would reject another's. */
export function codeCacheDir(): string {
  return path.join(cacheRoot(), 'code', `node-${process.version}-${process.arch}`);
}

/** Runs the CLI: `main` is the entry chunk's name (with its hash), written in by the build. */
export function launch(dir: string, main: string): void {
  const loader = chunkLoader(dir, codeCacheDir());
  // A run that fails writes nothing, its cache included.
  process.once('exit', (code) => {
    if (code === 0) loader.saveCache();
  });
  const { main: run } = loader.load(main) as { main: (argv: string[]) => Promise<number> };
  void run(process.argv).then(exitWhenWritten);
}

/**
 * Ends the run once its output is out. Left to itself, Node would first tear down the whole heap
 * (~2 ms of a `new`, measured); `process.exit` skips that and still runs the `exit` handlers. Only
 * once stdout and stderr hold nothing unwritten, though: on POSIX a pipe is written asynchronously,
 * and exiting then would cut the output short.
 */
function exitWhenWritten(code: number): void {
  process.exitCode = code;
  const pending = [process.stdout, process.stderr].filter((stream) => stream.writableLength > 0);
  let left = pending.length;
  if (left === 0) process.exit(code);
  for (const stream of pending) {
    stream.once('drain', () => {
      if (--left === 0) process.exit(code);
    });
  }
}
