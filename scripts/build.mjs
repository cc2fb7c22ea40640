// Builds the published CLI: one bundle split into chunks (everything the CLI needs except the tools
// installed on first use, each command and heavy library a chunk of its own; the entry and what it
// imports statically packed into dist/cli/pack-<hash>.cjs), the precompiled built-in templates
// beside it (dist/cli/builtin-templates-<hash>.cjs, loaded only by commands that render), and the
// launcher that runs them with V8's code cache (dist/cli/launch.cjs). See docs/build.md.
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { build, transform } from 'esbuild';

import { templatesModule } from './precompile-templates.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const out = `${root}dist/cli/`;
// The precompiled templates are an entry of their own, so they land in one data file that only
// commands which render load (dynamic import), and `--help` or `list` never parse.
const DATA = 'virtual:builtin-templates';

const requireFromRoot = createRequire(`${root}package.json`);
const { version } = JSON.parse(await readFile(`${root}package.json`, 'utf8'));

// Two source modules read files relative to themselves, which the bundle cannot: the version is
// written in (no package.json read at start-up), and src/render/builtin-data.ts, which returns
// nothing from source, loads the precompiled templates beside the bundle.
const buildTimeModules = {
  name: 'build-time-modules',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]version\.ts$/ }, () => ({
      contents: `export const TOOL_VERSION = ${JSON.stringify(version)};`,
      loader: 'js',
    }));
    // In the bundle, `import(url)` of a tool installed on first use is the launcher's (see there).
    b.onLoad({ filter: /[\\/]src[\\/]tools[\\/]import-url\.ts$/ }, () => ({
      contents: 'export const importUrl = (url) => __cra_import_url(url);',
      loader: 'js',
    }));
    b.onLoad({ filter: /[\\/]src[\\/]render[\\/]builtin-data\.ts$/ }, () => ({
      contents: `export const embeddedTemplates = () => import(${JSON.stringify(DATA)}).then((m) => m.default);`,
      loader: 'js',
    }));
    // @inquirer/prompts re-exports every prompt; the editor prompt, which the CLI never shows,
    // alone would bring ~0.5 MB of text encodings into the bundle.
    b.onResolve({ filter: /^@inquirer\/editor$/ }, () => ({ path: 'inquirer-editor', namespace: 'unused-prompt' }));
    b.onLoad({ filter: /.*/, namespace: 'unused-prompt' }, () => ({
      contents: "export default () => { throw new Error('the editor prompt is not part of this build'); };",
      loader: 'js',
    }));
    // Split, a dynamically imported CommonJS package (yaml) becomes a chunk that does not export its
    // named exports, so `const { parse } = await import('yaml')` would break. Each dynamically
    // imported package goes through a small ES module of its own that names them (read from the
    // package at build time), as Node's own CommonJS interop does; ES module packages (which
    // cannot be required) are re-exported as they are.
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.kind === 'dynamic-import' && !/^(node|virtual):/.test(args.path) ? { path: args.path, namespace: 'dynamic-package' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'dynamic-package' }, (args) => {
      const spec = JSON.stringify(args.path);
      let names;
      try {
        names = Object.keys(requireFromRoot(args.path)).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== 'default');
      } catch {
        return { contents: `export * from ${spec};`, loader: 'js', resolveDir: root };
      }
      return { contents: `import * as ns from ${spec};\nexport const { ${names.join(', ')} } = ns;`, loader: 'js', resolveDir: root };
    });
    // commander requires child_process up front (~4 ms, a tenth of Node's start-up) for
    // subcommands that are separate executables, which this CLI has none of: load it on first use.
    b.onLoad({ filter: /[\\/]node_modules[\\/]commander[\\/]lib[\\/]command\.js$/ }, async (args) => {
      const eager = "const childProcess = require('node:child_process');";
      const source = await readFile(args.path, 'utf8');
      if (!source.includes(eager)) throw new Error(`${args.path} no longer has the line the build makes lazy: update scripts/build.mjs`);
      const lazy = "const childProcess = { spawn: (...a) => require('node:child_process').spawn(...a) };";
      return { contents: source.replace(eager, lazy), loader: 'js' };
    });
    b.onResolve({ filter: /^virtual:builtin-templates$/ }, () => ({ path: DATA, namespace: 'builtin-templates' }));
    b.onLoad({ filter: /.*/, namespace: 'builtin-templates' }, async () => ({
      contents: await templatesModule(`${root}templates`),
      loader: 'js',
    }));
  },
};

await rm(`${root}dist`, { recursive: true, force: true });
await mkdir(out, { recursive: true });

const result = await build({
  entryPoints: { main: `${root}src/cli/main.ts`, 'builtin-templates': DATA },
  write: false, // each chunk is turned into a function body below
  // Every file is named by its content, so a code cache file (named after its chunk) belongs to
  // exactly one version of it: V8 itself checks only the length of the source.
  entryNames: '[name]-[hash]',
  outExtension: { '.js': '.cjs' },
  outdir: out,
  // The entry holds the command line (commander) and little else; each command, and each heavy
  // library (prompts, execa, TOML editing, the Handlebars compiler), is a chunk imported only by
  // the path that needs it. A single file would make Node parse all of it for `--help` too.
  splitting: true,
  // Chunks sit beside main.js: code that finds package files relative to its own module
  // (`new URL('../../starter-pack/', import.meta.url)` from src/<dir>/) finds them from dist/cli/ too.
  chunkNames: '[name]-[hash]',
  metafile: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  legalComments: 'none', // the licences of bundled packages are collected below
  // Handlebars' code generator uses source-map when it can load it, and a fallback when not.
  external: ['source-map'],
  plugins: [buildTimeModules],
  logLevel: 'warning',
});

// Node 20 caches compiled code only for scripts (vm.Script), not ES modules, so each chunk becomes
// the body of a CommonJS-style function the launcher compiles with a code cache: `import`/`export`
// become require/exports (import() of a chunk a require in a promise, so chunks still load only
// when a command asks), `import.meta.url` a parameter. Strict, as the ES module it was.
let main;
const chunks = new Map(); // name -> function body
for (const file of result.outputFiles) {
  const name = path.basename(file.path);
  const { code } = await transform(file.text, {
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    minify: true,
    define: { 'import.meta.url': '__cra_import_meta_url' },
    supported: { 'dynamic-import': false },
    logLevel: 'warning',
  });
  chunks.set(name, `"use strict";${code}`);
  if (name.startsWith('main-')) main = name;
}

// Every run loads the entry and the chunks it imports statically (seven small ones, ~1 KB each),
// and each file costs a source read, a cache read and a vm.Script whatever its size. So they are
// packed into one script the launcher compiles once: `({"<chunk>": (function (<parameters>) {<body>
// }), ...})`, each member still run when first required. Only these: a member that some run does
// not need would cost that run all the same (a first run parses the whole pack, a cached one
// deserializes all of it), which measured slower than separate files (docs/build.md).
const startup = new Set([main]);
const addStaticImports = (name) => {
  for (const { path: imported, kind } of result.metafile.outputs[path.relative(root, `${out}${name}`)].imports) {
    const chunk = path.basename(imported);
    if (kind !== 'import-statement' || !chunks.has(chunk) || startup.has(chunk)) continue;
    startup.add(chunk);
    addStaticImports(chunk);
  }
};
addStaticImports(main);
// The parameters the launcher (src/launch/launcher.ts, PARAMETERS) calls each chunk with.
const PARAMETERS = 'exports, require, module, __filename, __dirname, __cra_import_meta_url, __cra_import_url';
// Each member starts a line of its own, so a stack trace's line points into it. Parenthesized, a
// function is compiled with the script instead of being scanned first and parsed again when
// called: every member runs in every run.
const packText = `({\n${[...startup].map((name) => `${JSON.stringify(name)}: (function (${PARAMETERS}) {${chunks.get(name)}\n})`).join(',\n')}\n})\n`;
// Named by its content as the chunks are, so a code cache file belongs to one version of it.
const pack = { file: `pack-${createHash('sha256').update(packText).digest('hex').slice(0, 8).toUpperCase()}.cjs`, members: [...startup] };
await writeFile(`${out}${pack.file}`, packText);
for (const [name, body] of chunks) if (!startup.has(name)) await writeFile(`${out}${name}`, body);
// BUILD_METAFILE=<file> writes esbuild's metafile there: which module landed in which chunk.
if (process.env.BUILD_METAFILE) await writeFile(process.env.BUILD_METAFILE, JSON.stringify(result.metafile));

// The launcher is a plain CommonJS file that Node loads itself; the build writes in the entry
// chunk's name and what the pack holds.
await build({
  stdin: {
    contents: `import { launch } from './src/launch/launcher.ts';\nlaunch(__dirname, ${JSON.stringify(main)}, ${JSON.stringify(pack)});\n`,
    resolveDir: root,
    sourcefile: 'launch.js',
  },
  outfile: `${out}launch.cjs`,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: true,
  logLevel: 'warning',
});

// Bundled packages keep their notices: one file with each package's licence text.
const packages = new Set();
for (const input of Object.keys(result.metafile.inputs)) {
  const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (match) packages.add(match[1]);
}
const notices = [];
for (const dir of [...packages].sort()) {
  const manifest = JSON.parse(await readFile(path.join(root, dir, 'package.json'), 'utf8'));
  const licenceFile = (await readdir(path.join(root, dir))).find((name) => /^(licen[sc]e|copying)/i.test(name));
  const text = licenceFile ? await readFile(path.join(root, dir, licenceFile), 'utf8') : `License: ${manifest.license}`;
  notices.push(`## ${manifest.name}@${manifest.version} (${manifest.license})\n\n${text.trim()}\n`);
}
await writeFile(`${root}dist/THIRD-PARTY-LICENSES.md`, `# Licences of the packages bundled in dist/cli\n\n${notices.join('\n')}`);
