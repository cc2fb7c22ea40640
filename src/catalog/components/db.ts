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
    { dir: 'db/common' },
    { dir: 'db/sqlite', when: { db: 'sqlite' } },
    { dir: 'db/postgres', when: { db: 'postgres' } },
    // The notes repository over HTTP, when there is an HTTP server.
    { dir: 'db/http', when: { component: 'http-server' } },
  ],
  wiring: {
    module: 'db',
    layoutDoc: 'sqlx pool with startup retry, migrations, health check, and the notes repository',
    config: 'DbConfig',
    start: [{ partial: 'app_start', provides: ['db'] }],
    http: {
      routes: [{ module: 'notes', doc: '`/notes`: the notes repository' }],
      state: [
        {
          field: 'notes',
          type: 'crate::db::notes::NoteRepository',
          init: 'crate::db::notes::NoteRepository::new(db.clone())',
          uses: ['db'],
          doc: 'The notes behind `/notes`.',
        },
      ],
      readiness: [{ name: 'database', value: 'db.clone()', check: 'crate::db::health_check', uses: ['db'] }],
    },
    containers: [
      {
        when: { db: 'postgres' },
        name: 'postgres',
        image: 'postgres:17',
        // Trust on a local, unpublished network: the same password-less URL as .env.example.
        environment: { POSTGRES_HOST_AUTH_METHOD: 'trust' },
        port: 5432,
        healthcheck: 'pg_isready -U postgres',
        connect: { DATABASE_URL: 'postgres://postgres@{host}:5432/postgres' },
      },
    ],
    // `sqlx::migrate!` embeds migrations/ at build time: a new file must trigger a rebuild.
    build: [{ partial: 'build_migrations' }],
    tests: [{ module: 'db' }, { module: 'notes_routes', when: { component: 'http-server' } }],
    // The notes routes through the running service, on a database of the test's own.
    appTests: [{ partial: 'app_tests', when: { component: 'http-server' } }],
    testEnv: [
      {
        when: { db: 'postgres' },
        name: 'DATABASE_URL',
        value: 'std::env::var("DATABASE_URL").unwrap_or_default()',
        comment: 'The server from DATABASE_URL, as the database tests use it.',
        realIo: true,
      },
      {
        when: { db: 'postgres' },
        name: 'DATABASE_MIGRATE',
        value: '"false".to_owned()',
        comment: "No migrations: the tests' own databases (tests/service/db.rs) are where schemas change.",
      },
      {
        when: { db: 'sqlite' },
        name: 'DATABASE_URL',
        value: '"sqlite::memory:".to_owned()',
        comment: 'A private in-memory database instead of the file under data/.',
        realIo: true,
      },
    ],
    rules: [
      { rule: 'sql-crates', file: 'src/db/notes.rs', test: 'creates_reads_updates_and_deletes', testFile: 'tests/service/db.rs' },
      { rule: 'modules', file: 'src/db/notes.rs', test: 'creates_reads_updates_and_deletes', testFile: 'tests/service/db.rs' },
      { rule: 'question-mark', file: 'src/db/notes.rs', test: 'a_failing_batch_stores_nothing', testFile: 'tests/service/db.rs' },
      { rule: 'error-types', file: 'src/db.rs', test: 'a_duplicate_title_is_a_conflict', testFile: 'tests/service/db.rs' },
      { rule: 'timeouts-retries', file: 'src/db.rs', test: 'startup_retries_with_backoff_until_the_database_answers' },
      { rule: 'sleep-interval', file: 'src/db.rs', test: 'startup_retries_with_backoff_until_the_database_answers' },
      { rule: 'select', file: 'src/db.rs', test: 'shutdown_stops_the_retries' },
      { rule: 'safety', file: 'src/db.rs', test: 'debug_output_hides_the_password' },
      { rule: 'serde', file: 'src/db/notes.rs', test: 'notes_are_created_and_read_through_the_repository', testFile: 'tests/service/notes_routes.rs', when: { component: 'http-server' } },
    ],
  },
};
