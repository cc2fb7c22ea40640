//! Audit events: who did what, logged on their own `audit` tracing target so
//! they can be routed to long-term storage separately from operational logs
//! (e.g. `RUST_LOG=info,audit=info`).

use std::sync::Arc;

use crate::config::{ConfigError, Env};

/// Settings for audit events.
#[derive(Debug, Clone)]
pub struct AuditLogConfig {
    /// Service name stamped on every event (`AUDIT_LOG_SERVICE`).
    pub service: String,
}

impl AuditLogConfig {
    /// Reads the settings from the environment.
    ///
    /// # Errors
    ///
    /// Never fails today; the signature matches the other components' configs.
    pub fn from_env(env: &Env<'_>) -> Result<Self, ConfigError> {
        Ok(Self {
            service: env.string("AUDIT_LOG_SERVICE", "my-service"),
        })
    }
}

/// Where audit events go: a cheap handle, cloned into whatever records them.
#[derive(Debug, Clone)]
pub struct AuditLog {
    service: Arc<str>,
}

impl AuditLog {
    /// An audit log stamping events with the configured service name.
    pub fn new(config: &AuditLogConfig) -> Self {
        Self {
            service: Arc::from(config.service.as_str()),
        }
    }

    /// Records that `actor` performed `action` on `subject`.
    pub fn record(&self, actor: &str, action: &str, subject: &str) {
        tracing::info!(target: "audit", service = %self.service, actor, action, subject, "audit event");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_service_name() {
        let lookup = |name: &str| (name == "AUDIT_LOG_SERVICE").then(|| "billing".to_owned());
        let config = AuditLogConfig::from_env(&Env::new(&lookup)).unwrap();
        assert_eq!(config.service, "billing");
        AuditLog::new(&config).record("alice", "refund", "order-42");
    }
}
