//! Graceful shutdown.
//!
//! One [`CancellationToken`] is the service's stop signal: Ctrl-C or SIGTERM
//! cancels it ([`cancel_on_signal`]), and so does any supervised task that
//! fails. Every long-running task is spawned through a [`Supervisor`], which
//! tracks it, so shutdown can wait for all of them, up to a grace period, and
//! report any that did not stop.
//!
//! # Two phases
//!
//! A request in flight may still need the components behind it (a pipeline,
//! an in-process worker): stopping them together with the server would fail
//! requests the server already accepted. So shutdown runs in two phases,
//! with one token each:
//!
//! 1. The **shutdown token** ([`Supervisor::shutdown_token`]) is cancelled
//!    by a signal or a failure. Servers, spawned with
//!    [`Supervisor::spawn_server`], stop accepting, report not ready, and
//!    finish the requests in flight. Producers (a periodic job) stop too.
//! 2. Once every server task has returned, [`Supervisor::drain`] cancels the
//!    **background token** ([`Supervisor::background_token`]), which the
//!    components servers depend on watch: they drain what they hold and stop.
//!
//! Both phases share one grace period. Handles such as a database pool need
//! no token: they close when the last task holding them has returned.

use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::error::{AppError, BoxError, ErrorChain};

/// Cancels `shutdown` on Ctrl-C or SIGTERM; returns early if something else
/// cancels it first, so this future never outlives the service.
///
/// The signal handlers are installed by this call, not when the future is
/// first polled: call it before starting the service, so a signal that
/// arrives while the service starts is caught rather than lost, or, for
/// SIGTERM, left to its default action, which kills the process at once.
/// Must be called within a tokio runtime.
pub fn cancel_on_signal(shutdown: CancellationToken) -> impl Future<Output = ()> + Send {
    let signal = wait_for_signal();
    async move {
        tokio::select! {
            () = signal => {
                tracing::info!("shutdown signal received");
                shutdown.cancel();
            }
            () = shutdown.cancelled() => {}
        }
    }
}

/// Installs the handlers, then resolves on the first Ctrl-C (SIGINT), or
/// SIGTERM on Unix (what container runtimes and systemd send). If a handler
/// cannot be installed the error is logged and that signal is ignored,
/// rather than stopping the service at once.
#[cfg(unix)]
fn wait_for_signal() -> impl Future<Output = ()> + Send {
    use tokio::signal::unix::{Signal, SignalKind, signal};

    let install = |kind: SignalKind, name: &'static str| match signal(kind) {
        Ok(stream) => Some(stream),
        Err(error) => {
            tracing::warn!(%error, signal = name, "cannot listen for the signal");
            None
        }
    };
    let received = |stream: Option<Signal>| async move {
        match stream {
            Some(mut stream) => {
                stream.recv().await;
            }
            None => std::future::pending::<()>().await,
        }
    };
    let interrupt = received(install(SignalKind::interrupt(), "SIGINT"));
    let terminate = received(install(SignalKind::terminate(), "SIGTERM"));
    async move {
        tokio::select! {
            () = interrupt => {}
            () = terminate => {}
        }
    }
}

/// Resolves on the first Ctrl-C (its handler is installed when first
/// polled). If the handler cannot be installed the error is logged and the
/// signal is ignored.
#[cfg(not(unix))]
fn wait_for_signal() -> impl Future<Output = ()> + Send {
    async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::warn!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    }
}

/// Spawns and tracks the service's tasks, and waits for them at shutdown.
///
/// Cloning is cheap; clones share the same tasks and stop signal.
#[derive(Clone, Debug)]
pub struct Supervisor {
    /// Servers: drained first (phase 1).
    servers: TaskTracker,
    /// Every other task: stopped once the servers have drained (phase 2).
    tracker: TaskTracker,
    shutdown: CancellationToken,
    background: CancellationToken,
    /// The first task failure, reported when the service stops. A std mutex is
    /// enough: it is only locked briefly and never held across an `.await`.
    first_failure: Arc<Mutex<Option<AppError>>>,
}

impl Supervisor {
    /// A supervisor whose tasks stop when `shutdown` is cancelled.
    pub fn new(shutdown: CancellationToken) -> Self {
        Self {
            servers: TaskTracker::new(),
            tracker: TaskTracker::new(),
            shutdown,
            background: CancellationToken::new(),
            first_failure: Arc::new(Mutex::new(None)),
        }
    }

    /// The service's stop signal (phase 1): servers, readiness and producers
    /// watch it.
    pub fn shutdown_token(&self) -> CancellationToken {
        self.shutdown.clone()
    }

    /// The token of phase 2: cancelled by [`Supervisor::drain`] only once
    /// every server has drained. Components that requests use (a pipeline,
    /// a worker) watch it, so a request in flight never finds them gone.
    pub fn background_token(&self) -> CancellationToken {
        self.background.clone()
    }

    /// Spawns `task` as a tracked task named `name`. The task must return
    /// when its token is cancelled: the [background
    /// token](Supervisor::background_token) for a component servers depend
    /// on, the shutdown token otherwise. If it fails, the error is kept for
    /// [`Supervisor::drain`] and the whole service shuts down: a service
    /// missing a part should stop and be restarted, not limp on.
    pub fn spawn<F, E>(&self, name: &'static str, task: F)
    where
        F: Future<Output = Result<(), E>> + Send + 'static,
        E: Into<BoxError> + Send + 'static,
    {
        self.spawn_on(&self.tracker, name, task);
    }

    /// Spawns a server: like [`Supervisor::spawn`], but it must return once
    /// the shutdown token is cancelled and its requests in flight are
    /// answered; the background token is cancelled only after that.
    pub fn spawn_server<F, E>(&self, name: &'static str, task: F)
    where
        F: Future<Output = Result<(), E>> + Send + 'static,
        E: Into<BoxError> + Send + 'static,
    {
        self.spawn_on(&self.servers, name, task);
    }

    fn spawn_on<F, E>(&self, tracker: &TaskTracker, name: &'static str, task: F)
    where
        F: Future<Output = Result<(), E>> + Send + 'static,
        E: Into<BoxError> + Send + 'static,
    {
        let shutdown = self.shutdown.clone();
        let first_failure = Arc::clone(&self.first_failure);
        tracker.spawn(async move {
            // The task runs as a tokio task of its own, owned and awaited
            // here, so a panic in it arrives as a `JoinError` and stops the
            // service like any other failure, instead of going unnoticed.
            let source: BoxError = match tokio::spawn(task).await {
                Ok(Ok(())) => {
                    tracing::debug!(task = name, "task stopped");
                    return;
                }
                Ok(Err(error)) => error.into(),
                Err(error) => format!("panicked: {error}").into(),
            };
            tracing::error!(
                task = name,
                error = %ErrorChain(source.as_ref()),
                "task failed; shutting down"
            );
            first_failure
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .get_or_insert(AppError::Task { task: name, source });
            shutdown.cancel();
        });
    }

    /// How many spawned tasks are still running.
    pub fn running(&self) -> usize {
        self.servers.len() + self.tracker.len()
    }

    /// Waits up to `grace` for every task to finish (call it after the
    /// shutdown token is cancelled): first the servers, then, with the
    /// background token cancelled, everything else.
    ///
    /// # Errors
    ///
    /// The first task failure, or [`AppError::ShutdownTimedOut`] with the
    /// number of tasks still running when the grace period ran out.
    pub async fn drain(self, grace: Duration) -> Result<(), AppError> {
        self.servers.close();
        self.tracker.close();
        let phases = async {
            self.servers.wait().await;
            self.background.cancel();
            self.tracker.wait().await;
        };
        if tokio::time::timeout(grace, phases).await.is_err() {
            let still_running = self.running();
            tracing::warn!(
                still_running,
                ?grace,
                "tasks still running after the grace period"
            );
            return Err(AppError::ShutdownTimedOut {
                still_running,
                grace,
            });
        }
        let failure = self
            .first_failure
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        failure.map_or(Ok(()), Err)
    }
}

/// Runs `service` to completion on `runtime`, then shuts the runtime down,
/// waiting at most `timeout` for what still runs there: tasks that ignored
/// the shutdown token, and `spawn_blocking` work, which cannot be cancelled.
/// Dropping a runtime instead waits for blocking work without a limit, which
/// could keep the process alive past what the orchestrator allows before it
/// sends SIGKILL.
pub fn block_on_then_shut_down<F: Future>(
    runtime: tokio::runtime::Runtime,
    service: F,
    timeout: Duration,
) -> F::Output {
    let output = runtime.block_on(service);
    runtime.shutdown_timeout(timeout);
    output
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::time::Instant;

    const GRACE: Duration = Duration::from_secs(5);

    /// SIGTERM sent before the future is ever polled, as it can be while the
    /// service starts: it is caught (by default it would kill this process).
    #[cfg(unix)]
    #[tokio::test]
    async fn a_sigterm_right_after_the_call_is_caught() {
        let shutdown = CancellationToken::new();
        let watching = cancel_on_signal(shutdown.clone());
        let pid = std::process::id().to_string();
        let kill = std::process::Command::new("kill")
            .args(["-TERM", pid.as_str()])
            .status();
        assert!(kill.unwrap().success());

        tokio::time::timeout(GRACE, watching).await.unwrap();
        assert!(shutdown.is_cancelled());
    }

    #[tokio::test(start_paused = true)]
    async fn drain_returns_once_tasks_stop_on_cancel() {
        let shutdown = CancellationToken::new();
        let supervisor = Supervisor::new(shutdown.clone());
        for _ in 0..3 {
            let token = supervisor.shutdown_token();
            supervisor.spawn("cooperative", async move {
                token.cancelled().await;
                // Cleanup takes a while, but well within the grace period.
                tokio::time::sleep(Duration::from_secs(1)).await;
                Ok::<_, BoxError>(())
            });
        }
        assert_eq!(supervisor.running(), 3);

        let started = Instant::now();
        shutdown.cancel();
        supervisor.clone().drain(GRACE).await.unwrap();
        assert_eq!(started.elapsed(), Duration::from_secs(1));
        assert_eq!(supervisor.running(), 0);
    }

    #[tokio::test(start_paused = true)]
    async fn background_tasks_stop_only_after_the_servers_have_drained() {
        let shutdown = CancellationToken::new();
        let supervisor = Supervisor::new(shutdown.clone());
        let server_done = CancellationToken::new();
        let (token, done) = (supervisor.shutdown_token(), server_done.clone());
        supervisor.spawn_server("server", async move {
            token.cancelled().await;
            // Answering the requests in flight takes 2 s...
            tokio::time::sleep(Duration::from_secs(2)).await;
            done.cancel();
            Ok::<_, BoxError>(())
        });
        let (background, done) = (supervisor.background_token(), server_done.clone());
        supervisor.spawn("pipeline", async move {
            background.cancelled().await;
            // ...during which the pipeline they use must still run.
            assert!(done.is_cancelled(), "stopped before the server drained");
            Ok::<_, BoxError>(())
        });

        let started = Instant::now();
        shutdown.cancel();
        supervisor.clone().drain(GRACE).await.unwrap();
        assert_eq!(started.elapsed(), Duration::from_secs(2));
        assert_eq!(supervisor.running(), 0);
    }

    #[tokio::test(start_paused = true)]
    async fn a_task_that_ignores_cancellation_is_reported_after_the_grace_period() {
        let shutdown = CancellationToken::new();
        let supervisor = Supervisor::new(shutdown.clone());
        supervisor.spawn("stubborn", async {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            Ok::<_, BoxError>(())
        });

        let started = Instant::now();
        shutdown.cancel();
        let error = supervisor.drain(GRACE).await.unwrap_err();
        assert_eq!(started.elapsed(), GRACE);
        assert!(matches!(
            error,
            AppError::ShutdownTimedOut {
                still_running: 1,
                grace: GRACE
            }
        ));
    }

    #[tokio::test(start_paused = true)]
    async fn a_panicking_task_stops_the_service_and_is_reported() {
        let shutdown = CancellationToken::new();
        let supervisor = Supervisor::new(shutdown.clone());
        supervisor.spawn("buggy", async {
            let empty: Vec<u8> = Vec::new();
            // An out-of-bounds index: a bug, which must not go unnoticed.
            let _ = empty[usize::from(empty.is_empty())];
            Ok::<_, BoxError>(())
        });

        shutdown.cancelled().await;
        let error = supervisor.drain(GRACE).await.unwrap_err();
        assert!(matches!(error, AppError::Task { task: "buggy", .. }));
        assert!(format!("{error:?}").contains("panicked"), "{error:?}");
    }

    /// Collects what a subscriber writes.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_task_failure_is_logged_with_its_causes() {
        use crate::telemetry::{LogFormat, set_thread_default, subscriber};

        let captured = Captured::default();
        let writer = captured.clone();
        let logs = subscriber("error", LogFormat::Text, false, move || writer.clone()).unwrap();
        // This test's runtime has one thread, which runs the supervised task too.
        let _logging = set_thread_default(logs);
        let shutdown = CancellationToken::new();
        let supervisor = Supervisor::new(shutdown.clone());
        supervisor.spawn("importer", async {
            let cause: BoxError = "connection refused".into();
            Err::<(), _>(AppError::startup("db", cause))
        });
        shutdown.cancelled().await;
        supervisor.drain(GRACE).await.unwrap_err();

        let logged = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
        assert!(
            logged.contains("could not start db: connection refused"),
            "{logged}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_failing_task_stops_the_service_and_is_reported() {
        let shutdown = CancellationToken::new();
        let supervisor = Supervisor::new(shutdown.clone());
        supervisor.spawn("broken", async { Err::<(), _>("listener closed") });

        // The failure itself cancels the token; nobody else does here.
        shutdown.cancelled().await;
        let error = supervisor.drain(GRACE).await.unwrap_err();
        assert!(matches!(error, AppError::Task { task: "broken", .. }));
    }

    /// Blocking work still running when the service returns does not keep
    /// the process: the runtime gives up on it after the timeout.
    #[test]
    fn blocking_work_cannot_hold_the_runtime_past_its_shutdown_timeout() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .unwrap();
        let started = std::time::Instant::now();
        block_on_then_shut_down(
            runtime,
            async {
                // Never awaited: the service returns while it still sleeps.
                drop(tokio::task::spawn_blocking(|| {
                    std::thread::sleep(Duration::from_secs(60));
                }));
            },
            Duration::from_millis(100),
        );
        assert!(started.elapsed() < Duration::from_secs(30));
    }
}
