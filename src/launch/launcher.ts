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

/**
 * What a chunk's source is the body of: a CommonJS module function, plus what the build rewrites
 * `import.meta.url` and `import(url)` to. scripts/build.mjs writes the pack's members with the same list.
 */
const PARAMETERS = ['exports', 'require', 'module', '__filename', '__dirname', '__cra_import_meta_url', '__cra_import_url'].join(', ');

type Exports = Record<string, unknown>;
type ChunkFunction = (...args: unknown[]) => void;

/**
 * The chunks every run loads (the entry and what it imports statically), packed by the build into
 * one script, `file`, whose value is an object of their functions keyed by chunk name: one file
 * and one cache to read instead of eight.
 */
export interface Pack {
  file: string;
  members: string[];
}

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
 * exactly one version of its chunk; the pack is named the same way.
 */
export function chunkLoader(dir: string, cacheDir: string | undefined, pack?: Pack): ChunkLoader {
  const chunks = new Map<string, { exports: Exports }>();
  const compiled: Array<{ script: vm.Script; cacheFile: string }> = [];
  const packMembers = new Set(pack?.members);
  let packed: Record<string, ChunkFunction> | undefined;
  // A tool installed on first use is an ES module outside the bundle; `import()` works here, in a
  // module Node loaded, not in code compiled through vm (that needs --experimental-vm-modules).
  const importUrl = (url: string): Promise<unknown> => import(url);
  // Chunks require each other by `./<name>`, and Node's built-ins by name.
  const requireFromChunk = (id: string): unknown => (id.startsWith('./') ? load(id.slice(2)) : require(id));

  /** Compiles and runs the script in `name` (`wrap` turns the file's text into it), with its code cache. */
  function runScript(name: string, wrap: (text: string) => string): { value: unknown; text: string } {
    const file = path.join(dir, name);
    const cacheFile = cacheDir === undefined ? undefined : path.join(cacheDir, `${name}.v8`);
    const cachedData = cacheFile === undefined ? undefined : readOrUndefined(cacheFile);
    const text = readFileSync(file, 'utf8');
    const script = new vm.Script(wrap(text), { filename: file, cachedData });
    if (cacheFile !== undefined && (cachedData === undefined || script.cachedDataRejected)) compiled.push({ script, cacheFile });
    return { value: script.runInThisContext(), text };
  }

  function load(name: string): Exports {
    const known = chunks.get(name);
    if (known) return known.exports;
    let run: ChunkFunction;
    // Few chunks use import.meta.url (the build renames it), so the URL is made only for those; a
    // pack's members (a handful, every run) always get it.
    let usesUrl = true;
    if (pack !== undefined && packMembers.has(name)) {
      // The pack is compiled (and cached) as a whole on its first member; each member runs on its own first require.
      packed ??= runScript(pack.file, (text) => text).value as Record<string, ChunkFunction>;
      run = packed[name] as ChunkFunction;
    } else {
      // The wrapper stays on the chunk's first line, so stack traces keep the file's line numbers.
      const { value, text } = runScript(name, (body) => `(function (${PARAMETERS}) {${body}\n})`);
      run = value as ChunkFunction;
      usesUrl = text.includes('__cra_import_meta_url');
    }
    // A member keeps the path it had as a file of its own, which import.meta.url resolves against.
    const file = path.join(dir, name);
    const module = { exports: {} as Exports };
    chunks.set(name, module); // before running it, as Node does, should chunks ever require each other in a cycle
    const url = usesUrl ? pathToFileURL(file).href : undefined;
    run(module.exports, requireFromChunk, module, file, dir, url, importUrl);
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

/** Runs the CLI: `main` is the entry chunk's name (with its hash) and `pack` the chunks packed with it, written in by the build. */
export function launch(dir: string, main: string, pack?: Pack): void {
  const loader = chunkLoader(dir, codeCacheDir(), pack);
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
