// Builds the published CLI: one ES module bundle (dist/cli/main.js, everything the CLI needs
// except the tools installed on first use) and the precompiled built-in templates beside it
// (dist/cli/builtin-templates.js, loaded only by commands that render). See docs/build.md.
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';

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
  // Bundled CommonJS (commander, Handlebars) calls require() for Node built-ins.
  banner: { js: "import { createRequire as __cra_createRequire } from 'node:module'; const require = __cra_createRequire(import.meta.url);" },
  // Handlebars' code generator uses source-map when it can load it, and a fallback when not.
  external: ['source-map'],
  plugins: [buildTimeModules],
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
