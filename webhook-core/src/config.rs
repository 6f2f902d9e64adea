//! Errors in how a receiver is configured, reported when it is built so a
//! misconfigured server never starts.

/// A receiver setting that cannot work.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A shared secret or HMAC key is empty, which would accept anyone.
    #[error(
        "the authentication secret is empty: set a non-empty secret or choose `Auth::none()` explicitly"
    )]
    EmptySecret,
    /// No authentication was chosen.
    #[error(
        "no authentication configured: call `.auth(...)` with `Auth::shared_secret`, `Auth::hmac` or, explicitly, `Auth::none()`"
    )]
    AuthNotChosen,
    /// A header name is not a valid HTTP header name.
    #[error("invalid header name `{0}`")]
    InvalidHeaderName(String),
    /// An HMAC payload format lacks `{{body}}`, so the body would go unsigned.
    #[error("HMAC payload format `{0}` does not contain `{{body}}`")]
    PayloadFormatWithoutBody(String),
    /// An unknown HMAC algorithm or signature encoding name.
    #[error("unknown {what} `{value}`, expected one of: {expected}")]
    UnknownName {
        /// What was being named, e.g. `HMAC algorithm`.
        what: &'static str,
        /// The name given.
        value: String,
        /// The accepted names.
        expected: &'static str,
    },
    /// A deadline is outside what the sender allows.
    #[error("{what} of {given_ms} ms is invalid: it must be more than 0 and less than {max_ms} ms")]
    Deadline {
        /// Which deadline.
        what: &'static str,
        /// The value given, in milliseconds.
        given_ms: u128,
        /// The exclusive upper bound, in milliseconds.
        max_ms: u128,
    },
}
