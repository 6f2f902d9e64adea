//! Server settings from environment variables, each with a default that
//! works on a fresh machine.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use webhook_axum::{Auth, ConfigError};

use crate::server::DEFAULT_HEADER_READ_TIMEOUT;

/// Default listen address: loopback only, port 3000.
pub const DEFAULT_ADDR: &str = "127.0.0.1:3000";

/// Default database file, relative to the working folder.
pub const DEFAULT_DB: &str = "calls.db";

/// Maximum `WEBHOOK_HEADER_READ_TIMEOUT_SECS`, in seconds. An hour is far
/// beyond what a working client needs, and a huge value would make hyper's
/// deadline (`Instant + Duration`) overflow and panic.
pub const MAX_HEADER_READ_TIMEOUT_SECS: u64 = 3600;

/// The example server's settings.
#[derive(Clone)]
pub struct Settings {
    /// The listen address (`WEBHOOK_ADDR`).
    pub addr: SocketAddr,
    /// The shared secret Vapi sends (`WEBHOOK_SECRET`). `None` disables
    /// authentication.
    pub secret: Option<String>,
    /// A secret still accepted next to `secret` while it is being changed
    /// in Vapi (`WEBHOOK_PREVIOUS_SECRET`). Only set with `secret`.
    pub previous_secret: Option<String>,
    /// The SQLite file (`WEBHOOK_DB`).
    pub db_path: PathBuf,
    /// Time a client has to send a request head
    /// (`WEBHOOK_HEADER_READ_TIMEOUT_SECS`).
    /// [`ServeOptions::header_read_timeout`](crate::ServeOptions::header_read_timeout)
    /// describes when it is counted.
    pub header_read_timeout: Duration,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("addr", &self.addr)
            .field("secret", &self.secret.as_ref().map(|_| "<redacted>"))
            .field(
                "previous_secret",
                &self.previous_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("db_path", &self.db_path)
            .field("header_read_timeout", &self.header_read_timeout)
            .finish()
    }
}

/// A setting whose value cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// `WEBHOOK_ADDR` is not `host:port`.
    #[error(
        "invalid `WEBHOOK_ADDR` value `{value}`: expected an address and port such as `127.0.0.1:3000`"
    )]
    InvalidAddr {
        /// The value given.
        value: String,
    },
    /// `WEBHOOK_SECRET` is set but empty, which would accept anyone.
    #[error(
        "`WEBHOOK_SECRET` is set but empty: set a secret, or unset it to run without authentication"
    )]
    EmptySecret,
    /// `WEBHOOK_PREVIOUS_SECRET` is set but empty.
    #[error(
        "`WEBHOOK_PREVIOUS_SECRET` is set but empty: set the secret being replaced, or unset it once Vapi sends the new one"
    )]
    EmptyPreviousSecret,
    /// `WEBHOOK_PREVIOUS_SECRET` equals `WEBHOOK_SECRET`, which means the
    /// new secret was not set yet.
    #[error(
        "`WEBHOOK_PREVIOUS_SECRET` equals `WEBHOOK_SECRET`: set the new secret in `WEBHOOK_SECRET` and the one being replaced in `WEBHOOK_PREVIOUS_SECRET`"
    )]
    PreviousSecretUnchanged,
    /// `WEBHOOK_PREVIOUS_SECRET` is set without `WEBHOOK_SECRET`, so the
    /// server would accept the secret that is being retired and no other.
    #[error(
        "`WEBHOOK_PREVIOUS_SECRET` is set without `WEBHOOK_SECRET`: set the new secret in `WEBHOOK_SECRET`, or unset `WEBHOOK_PREVIOUS_SECRET`"
    )]
    PreviousSecretAlone,
    /// `WEBHOOK_SECRET` is unset while `WEBHOOK_ADDR` listens on an address
    /// other machines can reach, which would accept deliveries from anyone.
    #[error(
        "`WEBHOOK_SECRET` is not set and `WEBHOOK_ADDR` {addr} can be reached from other machines: set the secret your Vapi Server URL sends, or listen on 127.0.0.1 to test without one"
    )]
    NoSecretOffLoopback {
        /// The listen address.
        addr: SocketAddr,
    },
    /// A secret cannot arrive unchanged in an HTTP header, for example
    /// because it ends with a newline, so every delivery would get `401`.
    /// The source names the problem without quoting the secret.
    #[error("invalid `{name}`: {source}")]
    InvalidSecret {
        /// The variable's name.
        name: &'static str,
        /// The problem, from `Auth::shared_secret`.
        #[source]
        source: ConfigError,
    },
    /// `WEBHOOK_HEADER_READ_TIMEOUT_SECS` is not a whole number of seconds
    /// from 1 to [`MAX_HEADER_READ_TIMEOUT_SECS`].
    #[error(
        "invalid `WEBHOOK_HEADER_READ_TIMEOUT_SECS` value `{value}`: expected whole seconds from 1 to {MAX_HEADER_READ_TIMEOUT_SECS}"
    )]
    InvalidHeaderReadTimeout {
        /// The value given.
        value: String,
    },
    /// A variable contains bytes that are not UTF-8.
    #[error("`{name}` is not valid UTF-8")]
    NotUnicode {
        /// The variable's name.
        name: &'static str,
    },
}

impl Settings {
    /// Reads the settings from the process environment.
    pub fn from_env() -> Result<Settings, SettingsError> {
        Settings::from_lookup(|name| match std::env::var(name) {
            Ok(value) => Ok(Some(value)),
            Err(std::env::VarError::NotPresent) => Ok(None),
            Err(std::env::VarError::NotUnicode(_)) => Err(SettingsError::NotUnicode { name }),
        })
    }

    /// Reads the settings through `lookup`, which returns a variable's value
    /// or `None` when it is unset.
    pub fn from_lookup(
        lookup: impl Fn(&'static str) -> Result<Option<String>, SettingsError>,
    ) -> Result<Settings, SettingsError> {
        let addr_text = lookup("WEBHOOK_ADDR")?.unwrap_or_else(|| DEFAULT_ADDR.to_owned());
        let addr: SocketAddr = addr_text
            .trim()
            .parse()
            .map_err(|_| SettingsError::InvalidAddr { value: addr_text })?;

        let secret = lookup("WEBHOOK_SECRET")?;
        match &secret {
            Some(secret) => check_secret("WEBHOOK_SECRET", secret)?,
            // Without a secret only this machine may send deliveries.
            // `to_canonical` reads `::ffff:127.0.0.1` as the IPv4 loopback.
            None if !addr.ip().to_canonical().is_loopback() => {
                return Err(SettingsError::NoSecretOffLoopback { addr });
            }
            None => {}
        }
        let previous_secret = lookup("WEBHOOK_PREVIOUS_SECRET")?;
        if let Some(previous) = &previous_secret {
            check_previous_secret(previous, secret.as_deref())?;
        }

        // Trimmed like the other variables, so a value of only whitespace
        // falls back to the default instead of naming a file " ".
        let db_path = lookup("WEBHOOK_DB")?
            .map(|path| path.trim().to_owned())
            .filter(|path| !path.is_empty())
            .unwrap_or_else(|| DEFAULT_DB.to_owned())
            .into();

        let header_read_timeout = match lookup("WEBHOOK_HEADER_READ_TIMEOUT_SECS")? {
            Some(text) => parse_header_read_timeout(text)?,
            None => DEFAULT_HEADER_READ_TIMEOUT,
        };

        Ok(Settings {
            addr,
            secret,
            previous_secret,
            db_path,
            header_read_timeout,
        })
    }
}

/// Parses whole seconds from 1 to [`MAX_HEADER_READ_TIMEOUT_SECS`].
fn parse_header_read_timeout(text: String) -> Result<Duration, SettingsError> {
    match text.trim().parse::<u64>() {
        Ok(seconds @ 1..=MAX_HEADER_READ_TIMEOUT_SECS) => Ok(Duration::from_secs(seconds)),
        _ => Err(SettingsError::InvalidHeaderReadTimeout { value: text }),
    }
}

/// Rejects a secret that is empty or that a header cannot carry unchanged.
/// Both servers read the secret from these settings, and the baseline server
/// compares it by hand, so the check runs here rather than only when `Auth`
/// is built.
fn check_secret(name: &'static str, secret: &str) -> Result<(), SettingsError> {
    if secret.is_empty() {
        return Err(SettingsError::EmptySecret);
    }
    check_sendable(name, secret)
}

/// Rejects a non-empty secret that a header cannot carry unchanged.
fn check_sendable(name: &'static str, secret: &str) -> Result<(), SettingsError> {
    Auth::shared_secret(secret)
        .map(|_| ())
        .map_err(|source| SettingsError::InvalidSecret { name, source })
}

/// Checks `WEBHOOK_PREVIOUS_SECRET` against the rules of a secret, and
/// that it comes next to a different `WEBHOOK_SECRET`.
fn check_previous_secret(previous: &str, secret: Option<&str>) -> Result<(), SettingsError> {
    let Some(secret) = secret else {
        return Err(SettingsError::PreviousSecretAlone);
    };
    if previous.is_empty() {
        return Err(SettingsError::EmptyPreviousSecret);
    }
    if previous == secret {
        return Err(SettingsError::PreviousSecretUnchanged);
    }
    check_sendable("WEBHOOK_PREVIOUS_SECRET", previous)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(pairs: &[(&str, &str)]) -> Result<Settings, SettingsError> {
        Settings::from_lookup(|name| {
            Ok(pairs
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned()))
        })
    }

    #[test]
    fn defaults_apply_when_unset() {
        let settings = settings(&[]).unwrap();

        assert_eq!(settings.addr.to_string(), DEFAULT_ADDR);
        assert_eq!(settings.secret, None);
        assert_eq!(settings.db_path, PathBuf::from(DEFAULT_DB));
        assert_eq!(settings.header_read_timeout, DEFAULT_HEADER_READ_TIMEOUT);
    }

    #[test]
    fn variables_override_defaults() {
        let settings = settings(&[
            ("WEBHOOK_ADDR", "0.0.0.0:8080"),
            ("WEBHOOK_SECRET", "s3cret"),
            ("WEBHOOK_DB", "/tmp/x.db"),
            ("WEBHOOK_HEADER_READ_TIMEOUT_SECS", " 25 "),
        ])
        .unwrap();

        assert_eq!(settings.addr.port(), 8080);
        assert_eq!(settings.secret.as_deref(), Some("s3cret"));
        assert_eq!(settings.db_path, PathBuf::from("/tmp/x.db"));
        assert_eq!(settings.header_read_timeout, Duration::from_secs(25));
    }

    #[test]
    fn no_secret_needs_loopback() {
        for addr in ["0.0.0.0:3000", "192.0.2.10:3000", "[::]:3000"] {
            let error = settings(&[("WEBHOOK_ADDR", addr)]).unwrap_err();
            assert!(
                matches!(error, SettingsError::NoSecretOffLoopback { .. }),
                "{addr}: {error:?}"
            );
        }
        let error = settings(&[("WEBHOOK_ADDR", "0.0.0.0:3000")]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "`WEBHOOK_SECRET` is not set and `WEBHOOK_ADDR` 0.0.0.0:3000 can be reached from other machines: set the secret your Vapi Server URL sends, or listen on 127.0.0.1 to test without one"
        );

        for addr in [
            "127.0.0.1:3000",
            "127.0.0.2:3000",
            "[::1]:3000",
            "[::ffff:127.0.0.1]:3000",
        ] {
            let settings = settings(&[("WEBHOOK_ADDR", addr)]).unwrap();
            assert_eq!(settings.secret, None, "{addr}");
        }
    }

    #[test]
    fn db_path_is_trimmed() {
        for (value, expected) in [
            ("", DEFAULT_DB),
            (" ", DEFAULT_DB),
            ("\t\n", DEFAULT_DB),
            (" /tmp/x.db\n", "/tmp/x.db"),
        ] {
            let settings = settings(&[("WEBHOOK_DB", value)]).unwrap();

            assert_eq!(settings.db_path, PathBuf::from(expected), "{value:?}");
        }
    }

    #[test]
    fn bad_addr_is_rejected() {
        let error = settings(&[("WEBHOOK_ADDR", "localhost")]).unwrap_err();

        assert!(matches!(error, SettingsError::InvalidAddr { .. }));
        assert!(error.to_string().contains("`localhost`"));
    }

    #[test]
    fn bad_header_read_timeout_rejected() {
        for value in ["", "0", "-5", "1.5", "10s", "3601", "99999999999999999999"] {
            let error = settings(&[("WEBHOOK_HEADER_READ_TIMEOUT_SECS", value)]).unwrap_err();

            assert!(
                matches!(error, SettingsError::InvalidHeaderReadTimeout { .. }),
                "{value:?}: {error:?}"
            );
            assert!(error.to_string().contains(&format!("`{value}`")), "{error}");
        }
    }

    #[test]
    fn header_read_timeout_bounds_accepted() {
        for (value, seconds) in [("1", 1), ("3600", MAX_HEADER_READ_TIMEOUT_SECS)] {
            let settings = settings(&[("WEBHOOK_HEADER_READ_TIMEOUT_SECS", value)]).unwrap();

            assert_eq!(settings.header_read_timeout, Duration::from_secs(seconds));
        }
    }

    #[test]
    fn empty_secret_is_rejected() {
        let error = settings(&[("WEBHOOK_SECRET", "")]).unwrap_err();

        assert!(matches!(error, SettingsError::EmptySecret));
    }

    #[test]
    fn unsendable_secret_rejected() {
        let cases = [
            ("s3cret\n", "ends with a newline"),
            (" s3cret", "starts with whitespace"),
            ("   ", "is only whitespace"),
            ("s3c\0ret", "contains a control character"),
        ];

        for (secret, problem) in cases {
            let error = settings(&[("WEBHOOK_SECRET", secret)]).unwrap_err();
            let message = error.to_string();

            assert!(
                matches!(
                    error,
                    SettingsError::InvalidSecret {
                        name: "WEBHOOK_SECRET",
                        ..
                    }
                ),
                "{secret:?}: {error:?}"
            );
            assert!(message.contains("`WEBHOOK_SECRET`"), "{message}");
            assert!(message.contains(problem), "{message}");
            assert!(!message.contains("s3c"), "{message}");
        }
    }

    #[test]
    fn previous_secret_read_and_checked() {
        let both = settings(&[
            ("WEBHOOK_SECRET", "new-s3cret"),
            ("WEBHOOK_PREVIOUS_SECRET", "old-s3cret"),
        ])
        .unwrap();
        assert_eq!(both.previous_secret.as_deref(), Some("old-s3cret"));
        assert!(!format!("{both:?}").contains("old-s3cret"));

        let alone = settings(&[("WEBHOOK_PREVIOUS_SECRET", "old-s3cret")]).unwrap_err();
        assert!(
            matches!(alone, SettingsError::PreviousSecretAlone),
            "{alone:?}"
        );

        let empty = settings(&[
            ("WEBHOOK_SECRET", "new-s3cret"),
            ("WEBHOOK_PREVIOUS_SECRET", ""),
        ])
        .unwrap_err();
        assert_eq!(
            empty.to_string(),
            "`WEBHOOK_PREVIOUS_SECRET` is set but empty: set the secret being replaced, or unset it once Vapi sends the new one"
        );

        let unchanged = settings(&[
            ("WEBHOOK_SECRET", "new-s3cret"),
            ("WEBHOOK_PREVIOUS_SECRET", "new-s3cret"),
        ])
        .unwrap_err();
        assert!(
            matches!(unchanged, SettingsError::PreviousSecretUnchanged),
            "{unchanged:?}"
        );

        let unsendable = settings(&[
            ("WEBHOOK_SECRET", "new-s3cret"),
            ("WEBHOOK_PREVIOUS_SECRET", "old-s3cret\n"),
        ])
        .unwrap_err();
        let message = unsendable.to_string();
        assert!(
            message.starts_with("invalid `WEBHOOK_PREVIOUS_SECRET`"),
            "{message}"
        );
        assert!(!message.contains("s3c"), "{message}");
    }

    #[test]
    fn secret_with_inner_tab_accepted() {
        let settings = settings(&[("WEBHOOK_SECRET", "s3c\tret")]).unwrap();

        assert_eq!(settings.secret.as_deref(), Some("s3c\tret"));
    }

    #[test]
    fn debug_hides_the_secret() {
        let settings = settings(&[("WEBHOOK_SECRET", "s3cret")]).unwrap();

        assert!(!format!("{settings:?}").contains("s3cret"));
    }
}
