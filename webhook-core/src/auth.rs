//! Authentication of deliveries, checked on the exact received bytes before
//! any parsing.
//!
//! PLACEHOLDER: the full implementation (HMAC) is in progress.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use http::HeaderMap;

use crate::config::ConfigError;

/// How deliveries prove they come from Vapi.
#[derive(Clone)]
pub struct Auth {
    mode: Mode,
    clock: Arc<dyn Fn() -> SystemTime + Send + Sync>,
}

#[derive(Clone)]
enum Mode {
    None,
    SharedSecret(String),
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.mode {
            Mode::None => f.write_str("Auth::None"),
            Mode::SharedSecret(_) => f.write_str("Auth::SharedSecret(<redacted>)"),
        }
    }
}

/// Why a delivery failed authentication.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthRejection {
    reason: &'static str,
    checked_headers: Vec<String>,
}

impl AuthRejection {
    /// Returns the reason, e.g. `missing credentials`.
    pub fn reason(&self) -> &'static str {
        self.reason
    }

    /// Returns the header names that were looked at.
    pub fn checked_headers(&self) -> &[String] {
        &self.checked_headers
    }
}

impl fmt::Display for AuthRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (checked headers: {})",
            self.reason,
            self.checked_headers.join(", ")
        )
    }
}

impl Auth {
    /// Accepts every delivery. Only for local development.
    pub fn none() -> Auth {
        Auth {
            mode: Mode::None,
            clock: Arc::new(SystemTime::now),
        }
    }

    /// Checks a shared secret.
    pub fn shared_secret(secret: impl Into<String>) -> Result<Auth, ConfigError> {
        let secret = secret.into();
        if secret.is_empty() {
            return Err(ConfigError::EmptySecret);
        }
        Ok(Auth {
            mode: Mode::SharedSecret(secret),
            clock: Arc::new(SystemTime::now),
        })
    }

    /// Replaces the clock used for timestamp tolerance (tests pin it).
    pub fn with_clock(mut self, clock: impl Fn() -> SystemTime + Send + Sync + 'static) -> Auth {
        self.clock = Arc::new(clock);
        self
    }

    /// Returns whether this accepts every delivery.
    pub fn is_none(&self) -> bool {
        matches!(self.mode, Mode::None)
    }

    /// Verifies one delivery from its headers and exact body bytes.
    pub fn verify(&self, headers: &HeaderMap, _body: &[u8]) -> Result<(), AuthRejection> {
        let _ = (&self.clock, Duration::ZERO);
        match &self.mode {
            Mode::None => Ok(()),
            Mode::SharedSecret(secret) => {
                let given = headers.get("x-vapi-secret").map(|value| value.as_bytes());
                if given == Some(secret.as_bytes()) {
                    Ok(())
                } else {
                    Err(AuthRejection {
                        reason: "invalid credentials",
                        checked_headers: vec!["x-vapi-secret".to_owned()],
                    })
                }
            }
        }
    }
}
