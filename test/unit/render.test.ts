import Handlebars from 'handlebars';
import { beforeAll, describe, expect, it } from 'vitest';

import { createRenderer, loadCompiler } from '../../src/render/handlebars.js';
import { partialName, targetPath } from '../../src/render/template-tree.js';

describe('template paths', () => {
  it('maps a leading underscore to a dot and drops .hbs', () => {
    expect(targetPath('_gitignore')).toBe('.gitignore');
    expect(targetPath('_github/workflows/ci.yml.hbs')).toBe('.github/workflows/ci.yml');
    expect(targetPath('src/main.rs.hbs')).toBe('src/main.rs');
    expect(targetPath('src/shutdown.rs')).toBe('src/shutdown.rs');
  });

  it('names partials by folder and file stem', () => {
    expect(partialName('db', 'partials/readme.md.hbs')).toBe('db/readme');
  });
});

describe('rendering', () => {
  // These templates are strings, not files read from a folder (which loads the compiler itself).
  beforeAll(loadCompiler);
  const render = createRenderer({ name: 'svc', flags: { durable: false } }, { 'x/part': 'part of {{name}}' });

  it('keeps Rust braces, escaped braces and GitHub expressions verbatim', () => {
    const template = [
      'fn main() { println!("{}", 1); }',
      'let s = format!("\\{{}}");',
      'group: ci-$\\{{ github.ref }}',
      'if a < b && c > "d" {}',
    ].join('\n');
    expect(render('t.hbs', template)).toBe(
      ['fn main() { println!("{}", 1); }', 'let s = format!("{{}}");', 'group: ci-${{ github.ref }}', 'if a < b && c > "d" {}'].join(
        '\n',
      ),
    );
  });

  it('fails on a missing variable instead of rendering it empty', () => {
    expect(() => render('t.hbs', 'crate {{nmae}}')).toThrow(/template t.hbs: .*nmae/);
    expect(() => render('t.hbs', '{{#if flags.durabel}}x{{/if}}')).toThrow(/durabel/);
  });

  it('includes partials', () => {
    expect(render('t.hbs', '{{> x/part}}')).toBe('part of svc');
  });
});

describe('a template that is only `{{> partial}}`', () => {
  // `add` renders a component's snippet this way; it is served without the compiler, and must
  // give what the compiler gives.
  const partial = '  first {{name}}\n{{#each items}}  - {{this}}\n{{/each}}';
  const context = { name: 'svc', items: ['a', 'b'], has: {} };
  const scope = { name: 'scoped', items: [], has: {} };

  it('renders as the compiled template would, with the context or a scope', () => {
    const compiled = Handlebars.compile('{{> x/part}}', { strict: true, noEscape: true });
    const partials = { 'x/part': Handlebars.compile(partial, { strict: true, noEscape: true }) };
    const render = createRenderer(context, { 'x/part': partial });
    expect(render('snippet', '{{> x/part}}')).toBe(compiled(context, { partials }));
    expect(render('snippet', '{{> x/part}}', scope)).toBe(compiled(scope, { partials }));
  });

  it('names a partial that does not exist', () => {
    expect(() => createRenderer(context, {})('snippet', '{{> x/nope}}')).toThrow(/snippet: .*x\/nope/);
  });
});
