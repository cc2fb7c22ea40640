import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { runCli, tempDir } from '../helpers/cli.js';

const manifest = async (dir: string) => JSON.parse(await readFile(path.join(dir, '.create-rust-async.json'), 'utf8'));

describe('--queue', () => {
  it('defaults to postgres with --db postgres, else memory', async () => {
    const cwd = await tempDir();
    const pg = await runCli(['pg', '--yes', '--no-git', '--components', 'db,worker', '--db', 'postgres'], { cwd });
    expect(pg.exitCode, pg.stderr).toBe(0);
    expect((await manifest(path.join(cwd, 'pg'))).answers.queue).toBe('postgres');
    expect(existsSync(path.join(cwd, 'pg/src/worker/durable/postgres.rs'))).toBe(true);
    const mem = await runCli(['mem', '--yes', '--no-git', '--components', 'worker'], { cwd });
    expect(mem.exitCode, mem.stderr).toBe(0);
    expect((await manifest(path.join(cwd, 'mem'))).answers.queue).toBe('memory');
    expect(existsSync(path.join(cwd, 'mem/src/worker/durable.rs'))).toBe(false);
  });

  it('redis writes the backend, its compose and CI service and its variables', async () => {
    const cwd = await tempDir();
    const r = await runCli(['svc', '--yes', '--no-git', '--components', 'worker', '--queue', 'redis'], { cwd });
    expect(r.exitCode, r.stderr).toBe(0);
    const dir = path.join(cwd, 'svc');
    expect(await readFile(path.join(dir, 'Cargo.toml'), 'utf8')).toMatch(/^redis = \{ version = "1\.8"/m);
    expect(await readFile(path.join(dir, 'compose.yaml'), 'utf8')).toContain('image: redis:7');
    expect(await readFile(path.join(dir, '.github/workflows/ci.yml'), 'utf8')).toContain('REDIS_URL: redis://localhost:6379');
    expect(await readFile(path.join(dir, '.env.example'), 'utf8')).toMatch(/^REDIS_URL=redis:\/\/127\.0\.0\.1:6379$/m);
    expect(existsSync(path.join(dir, 'src/worker/durable/postgres.rs'))).toBe(false);
  });

  it('is a preset key: saved, and replayed', async () => {
    const cwd = await tempDir();
    const saved = await runCli(['a', '--yes', '--no-git', '--components', 'worker', '--queue', 'redis', '--save-preset', 'p.json'], { cwd });
    expect(saved.exitCode, saved.stderr).toBe(0);
    expect(JSON.parse(await readFile(path.join(cwd, 'p.json'), 'utf8')).queue).toBe('redis');
    const replayed = await runCli(['b', '--no-git', '--preset', 'p.json'], { cwd });
    expect(replayed.exitCode, replayed.stderr).toBe(0);
    expect(existsSync(path.join(cwd, 'b/src/worker/durable/redis_streams.rs'))).toBe(true);

    await writeFile(path.join(cwd, 'bad.json'), JSON.stringify({ components: ['worker'], queue: 'kafka' }));
    const bad = await runCli(['c', '--yes', '--no-git', '--preset', 'bad.json'], { cwd });
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toMatch(/queue/);
  });

  it('add worker --queue redis puts the worker on Redis; postgres without PostgreSQL is refused', async () => {
    const cwd = await tempDir();
    expect((await runCli(['svc', '--yes', '--no-git', '--components', 'none'], { cwd })).exitCode).toBe(0);
    const dir = path.join(cwd, 'svc');
    const refused = await runCli(['add', 'worker', '--queue', 'postgres', '--path', dir, '--allow-dirty'], { cwd });
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/--queue postgres keeps jobs in the database/);
    expect(existsSync(path.join(dir, 'src/worker.rs'))).toBe(false);

    const added = await runCli(['add', 'worker', '--queue', 'redis', '--path', dir, '--allow-dirty', '--yes'], { cwd });
    expect(added.exitCode, added.stderr).toBe(0);
    expect((await manifest(dir)).answers.queue).toBe('redis');
    expect(existsSync(path.join(dir, 'src/worker/durable/redis_streams.rs'))).toBe(true);
    expect(await readFile(path.join(dir, 'Cargo.toml'), 'utf8')).toMatch(/^redis = /m);

    // The worker is there now: --queue again changes nothing, with a warning.
    const again = await runCli(['add', 'worker', '--queue', 'memory', '--path', dir, '--allow-dirty'], { cwd });
    expect(again.exitCode).toBe(0);
    expect(again.stderr).toMatch(/--queue memory.*has the worker already \(with redis\)/);
  });
});
