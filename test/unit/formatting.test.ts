import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';

import { BUILTIN_MATRIX as MATRIX } from '../cargo/matrix.js';
import { plan } from '../helpers/plan.js';

const PARSERS: Record<string, string> = { md: 'markdown', yml: 'yaml', yaml: 'yaml', json: 'json' };

// `new` writes built-in templates without running a formatter (it would triple the run time), so
// the rendered Markdown, YAML and JSON must already be what prettier would write. Rust files are
// checked with `cargo fmt --check` in the cargo matrix.
describe.each(MATRIX.map((v) => [v.id, v] as const))('%s: rendered files are prettier-clean', (_, variant) => {
  const result = plan({ components: variant.components, db: variant.db ?? 'sqlite', queue: variant.queue, ci: true, docker: true });
  const files = result.files.filter((f) => PARSERS[f.path.split('.').pop() ?? '']);

  it.each(files.map((f) => [f.path, f] as const))('%s', async (_, file) => {
    const parser = PARSERS[file.path.split('.').pop() as string] as string;
    expect(await prettier.format(file.content, { parser, proseWrap: 'preserve' })).toBe(file.content);
  });
});
