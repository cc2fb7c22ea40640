import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { describe, expect, it, vi } from 'vitest';

import { COMPILE_OPTIONS as BUILD_OPTIONS, templatesModule } from '../../scripts/precompile-templates.mjs';
import { COMPILE_OPTIONS } from '../../src/render/helpers.js';
import { BUILTIN_MATRIX as MATRIX } from '../cargo/matrix.js';
import { plan as planFromDisk } from '../helpers/plan.js';

// The published CLI renders built-in templates precompiled at build time, with only the Handlebars
// runtime; from source they are compiled when read. Both must write the same crate.
const dataFile = path.join(await mkdtemp(path.join(tmpdir(), 'cra-precompiled-')), 'builtin-templates.mjs');
await writeFile(dataFile, await templatesModule(path.resolve('templates')));

// A second copy of the modules, whose built-in templates come from the build's data module. It
// never reads a template from disk, so it never loads the compiler: a template the build missed
// fails to render here instead of being compiled on the spot.
vi.resetModules();
vi.doMock('../../src/render/builtin-data.js', () => ({
  embeddedTemplates: () => import(pathToFileURL(dataFile).href).then((m: { default: unknown }) => m.default),
}));
const { plan: planPrecompiled } = await import('../helpers/plan.js');
const { createRenderer: rendererWithoutCompiler } = await import('../../src/render/handlebars.js');
vi.doUnmock('../../src/render/builtin-data.js');

describe('precompiled built-in templates', () => {
  it('are compiled with the options the run-time compiler uses', () => {
    expect(BUILD_OPTIONS).toEqual(COMPILE_OPTIONS);
  });

  it('are all a run from built-ins needs: the compiler is never loaded', () => {
    planPrecompiled({ components: ['pipeline'] });
    const render = rendererWithoutCompiler({ name: 'svc' }, {});
    expect(() => render('t.hbs', 'crate {{name}} (not precompiled)')).toThrow(/not precompiled/);
  });

  it.each(MATRIX.map((v) => [v.id, v] as const))('%s: renders the same files as compiling at run time', (_, variant) => {
    const answers = { components: variant.components, db: variant.db ?? 'sqlite', queue: variant.queue, ci: variant.ci ?? true, docker: variant.docker ?? true };
    const precompiled = planPrecompiled(answers);
    expect(precompiled.files.length).toBeGreaterThan(0);
    expect(precompiled).toEqual(planFromDisk(answers));
  });
});
