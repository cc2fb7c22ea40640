import type { Component } from '../types.js';

/** A sqlx pool with migrations, a sample repository and a health check; SQLite or PostgreSQL. */
export const DB: Component = {
  id: 'db',
  title: 'database',
  description: 'sqlx pool (SQLite by default, or PostgreSQL), startup retry with backoff, migrations, a repository, a health check',
  requires: [],
  conflicts: [],
  default: true,
  // sqlx 0.9 needs Rust 1.94.
  rustVersion: '1.94',
  crates: [
    // `derive` for FromRow, `migrate` for embedded migrations; no query macros, so building
    // needs no database. One TLS provider per crate: aws-lc-rs, as reqwest's `rustls` uses.
    { name: 'sqlx', defaultFeatures: false, features: ['derive', 'migrate', 'runtime-tokio'] },
    { name: 'sqlx', features: ['sqlite-bundled'], when: { db: 'sqlite' } },
    { name: 'sqlx', features: ['postgres', 'tls-rustls-aws-lc-rs'], when: { db: 'postgres' } },
    // Creating the SQLite file's directory at startup.
    { name: 'tokio', features: ['fs'], when: { db: 'sqlite' } },
    { name: 'serde', features: ['derive'] },
    // `#[sqlx::test]`: a fresh database per test.
    { name: 'sqlx', dev: true, defaultFeatures: false, features: ['macros'] },
  ],
  env: [
    { name: 'DATABASE_URL', example: 'sqlite://data/app.db?mode=rwc', doc: 'Database to connect to (SQLite: a file, created with its directory if missing).', when: { db: 'sqlite' } },
    {
      name: 'DATABASE_URL',
      example: 'postgres://postgres@127.0.0.1:5432/postgres',
      doc: 'PostgreSQL to connect to, e.g. postgres://user:password@host:5432/dbname.',
      when: { db: 'postgres' },
    },
    { name: 'DATABASE_MAX_CONNECTIONS', example: '5', doc: 'Most connections the pool keeps open (1 to 1000).' },
    { name: 'DATABASE_ACQUIRE_TIMEOUT_MS', example: '5000', doc: 'How long a query waits for a free connection, in milliseconds (1 to 600000).' },
    { name: 'DATABASE_IDLE_TIMEOUT_MS', example: '600000', doc: 'How long an unused connection stays open, in milliseconds (1000 to 86400000).' },
    { name: 'DATABASE_CONNECT_ATTEMPTS', example: '5', doc: 'Connection attempts at startup (with backoff) before giving up (1 to 100).' },
    { name: 'DATABASE_MIGRATE', example: 'true', doc: 'Apply pending migrations at startup (true or false).' },
  ],
  templates: [
    { dir: 'db' },
    { dir: 'db-sqlite', when: { db: 'sqlite' } },
    { dir: 'db-postgres', when: { db: 'postgres' } },
    { dir: 'db-compose', when: { db: 'postgres', docker: true } },
    // build.rs: rebuild when a migration is added (shared with grpc).
    { dir: 'build-script' },
  ],
  wiring: {
    module: 'db',
    layoutDoc: 'sqlx pool with startup retry, migrations, health check, and the notes repository',
    configType: 'DbConfig',
    testModule: true,
    appStart: true,
  },
};
