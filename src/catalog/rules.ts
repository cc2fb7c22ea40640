/**
 * The rules every generated crate follows (the project's Rust async rules), each with a short id.
 * The base and each component contribute rows that say where a rule is shown and which test shows
 * it (`rules` in the base, `wiring.rules` in a component); the generated README lists every rule
 * with the rows of the chosen parts. `test/e2e/readme-rules.test.ts` checks every rule has a row in
 * the crate with every component and every row names a generated file and a test in it; the cargo
 * matrix checks cargo runs that test.
 */
export const RULES = {
  // Key Principles
  idiomatic: 'Write clear, concise, and idiomatic Rust code with accurate examples.',
  'tokio-concurrency': 'Use async programming paradigms effectively, leveraging `tokio` for concurrency.',
  modularity: 'Prioritize modularity, clean code organization, and efficient resource management.',
  'expressive-names': 'Use expressive variable names that convey intent (e.g., `is_ready`, `has_data`).',
  naming: "Adhere to Rust's naming conventions: snake_case for variables and functions, PascalCase for types and structs.",
  'no-duplication': 'Avoid code duplication; use functions and modules to encapsulate reusable logic.',
  safety: "Write code with safety, concurrency, and performance in mind, embracing Rust's ownership and type system.",
  // Async Programming
  'tokio-runtime': 'Use `tokio` as the async runtime for handling asynchronous tasks and I/O.',
  'async-fn': 'Implement async functions using `async fn` syntax.',
  spawn: 'Leverage `tokio::spawn` for task spawning and concurrency.',
  select: 'Use `tokio::select!` for managing multiple async tasks and cancellations.',
  structured: 'Favor structured concurrency: prefer scoped tasks and clean cancellation paths.',
  'timeouts-retries': 'Implement timeouts, retries, and backoff strategies for robust async operations.',
  // Channels and Concurrency
  mpsc: "Use Rust's `tokio::sync::mpsc` for asynchronous, multi-producer, single-consumer channels.",
  broadcast: 'Use `tokio::sync::broadcast` for broadcasting messages to multiple consumers.',
  oneshot: 'Implement `tokio::sync::oneshot` for one-time communication between tasks.',
  bounded: 'Prefer bounded channels for backpressure; handle capacity limits gracefully.',
  'async-locks': 'Use `tokio::sync::Mutex` and `tokio::sync::RwLock` for shared state across tasks, avoiding deadlocks.',
  // Error Handling and Safety
  'result-option': "Embrace Rust's Result and Option types for error handling.",
  'question-mark': 'Use `?` operator to propagate errors in async functions.',
  'error-types': 'Implement custom error types using `thiserror` or `anyhow` for more descriptive errors.',
  'errors-early': 'Handle errors and edge cases early, returning errors where appropriate.',
  'await-points': 'Use `.await` responsibly, ensuring safe points for context switching.',
  // Testing
  'tokio-test': 'Write unit tests with `tokio::test` for async tests.',
  'time-pause': 'Use `tokio::time::pause` for testing time-dependent code without real delays.',
  'integration-tests': 'Implement integration tests to validate async behavior and concurrency.',
  fakes: 'Use mocks and fakes for external dependencies in tests.',
  // Performance Optimization
  'async-overhead': 'Minimize async overhead; use sync code where async is not needed.',
  'no-blocking': 'Avoid blocking operations inside async functions; offload to dedicated blocking threads if necessary.',
  'yield-now': 'Use `tokio::task::yield_now` to yield control in cooperative multitasking scenarios.',
  contention: 'Optimize data structures and algorithms for async use, reducing contention and lock duration.',
  'sleep-interval': 'Use `tokio::time::sleep` and `tokio::time::interval` for efficient time-based operations.',
  // Key Conventions
  modules: 'Structure the application into modules: separate concerns like networking, database, and business logic.',
  'env-config': 'Use environment variables for configuration management (e.g., `dotenv` crate).',
  documented: 'Ensure code is well-documented with inline comments and Rustdoc.',
  // Async Ecosystem
  'tokio-tasks': 'Use `tokio` for async runtime and task management.',
  'http-crates': 'Leverage `hyper` or `reqwest` for async HTTP requests.',
  serde: 'Use `serde` for serialization/deserialization.',
  'sql-crates': 'Use `sqlx` or `tokio-postgres` for async database interactions.',
  tonic: 'Utilize `tonic` for gRPC with async support.',
} as const;

/** A rule's id. */
export type RuleId = keyof typeof RULES;
