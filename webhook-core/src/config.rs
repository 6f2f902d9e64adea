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
    /// A shared secret that an HTTP header cannot carry unchanged: it starts
    /// or ends with whitespace, which HTTP strips from header values, or it
    /// contains a control character other than tab, which header values
    /// cannot hold. Every delivery would then be rejected with `401`.
    #[error(
        "the shared secret {problem}, and an HTTP header cannot carry that unchanged, so every delivery would be rejected: set it without leading or trailing whitespace or control characters"
    )]
    InvalidSharedSecret {
        /// The problem, such as `ends with a newline`, worded without
        /// quoting the secret.
        problem: &'static str,
    },
    /// An [`Auth::any_of`](crate::Auth::any_of) call without any check.
    #[error("`Auth::any_of` needs at least one check")]
    NoAuthChecks,
    /// An [`Auth::any_of`](crate::Auth::any_of) call with `Auth::none()`
    /// among its checks, which would accept every delivery.
    #[error(
        "`Auth::any_of` got `Auth::none()`, which would accept every delivery: remove it, or use `Auth::none()` alone to accept every delivery on purpose"
    )]
    AuthNoneInAnyOf,
    /// No authentication was chosen.
    #[error(
        "no authentication configured: call `.auth(...)` with `Auth::shared_secret`, `Auth::bearer`, `Auth::hmac`, `Auth::any_of` of those or, explicitly, `Auth::none()`"
    )]
    AuthNotChosen,
    /// A header name is not a valid HTTP header name.
    #[error("invalid header name `{0}`")]
    InvalidHeaderName(String),
    /// An HMAC payload format lacks `{body}`, so the body would go unsigned.
    #[error("HMAC payload format `{0}` does not contain `{{body}}`")]
    PayloadFormatWithoutBody(String),
    /// An HMAC payload format lacks `{timestamp}` although the timestamp is
    /// included, so a replayed delivery could carry a fresh timestamp.
    #[error(
        "HMAC payload format `{0}` does not contain `{{timestamp}}` although the timestamp is included: add `{{timestamp}}` or call `.include_timestamp(false)`"
    )]
    PayloadFormatWithoutTimestamp(String),
    /// An HMAC payload format contains `{timestamp}` although the timestamp
    /// is not included, so no timestamp would be there to sign.
    #[error(
        "HMAC payload format `{0}` contains `{{timestamp}}` although the timestamp is not included: remove `{{timestamp}}` or call `.include_timestamp(true)`"
    )]
    PayloadFormatTimestampExcluded(String),
    /// An HMAC payload format uses `{url}` but no server URL was given to
    /// sign in its place.
    #[error(
        "HMAC payload format `{0}` uses `{{url}}` but no server URL is set: call `.server_url(..)` with the Server URL as set in Vapi"
    )]
    ServerUrlNotSet(String),
    /// The server URL for `{url}` is not an absolute `http` or `https`
    /// URL, so it cannot be the Server URL Vapi signs. The URL is kept
    /// without its user-info, query and fragment, which may carry a password
    /// or a token.
    #[error(
        "server URL {0:?} is not an absolute http or https URL: give the Server URL as set in Vapi, such as `https://agent.example.com/api/webhook`"
    )]
    InvalidServerUrl(String),
    /// An HMAC key marked as base64 does not decode.
    #[error(
        "the HMAC key is marked as base64 but is not valid base64: pass the key as is or fix its encoding"
    )]
    SecretNotBase64,
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
    /// A request body limit below the builder's minimum, taken to be a
    /// value in the wrong unit.
    #[error("body limit of {given} bytes is too small: it must be at least {min} bytes")]
    BodyLimit {
        /// The value given, in bytes.
        given: usize,
        /// The smallest limit accepted, in bytes.
        min: usize,
    },
    /// An HMAC timestamp tolerance outside the accepted range. Timestamps
    /// in whole seconds are rounded down, so a tolerance under the minimum
    /// rejects fresh deliveries. One over the maximum lets a captured
    /// delivery be replayed for that long, and is more likely a value in
    /// the wrong unit.
    #[error(
        "HMAC timestamp tolerance of {} is outside {} to {}: a smaller one rejects fresh deliveries, because a timestamp in whole seconds is rounded down, and a larger one lets a captured delivery be replayed for that long",
        readable_millis(*given_ms),
        readable_millis(*min_ms),
        readable_millis(*max_ms)
    )]
    TimestampTolerance {
        /// The value given, in milliseconds, rounded down.
        given_ms: u128,
        /// The smallest tolerance accepted, in milliseconds.
        min_ms: u128,
        /// The largest tolerance accepted, in milliseconds.
        max_ms: u128,
    },
    /// The HMAC signature header is also the timestamp or message id header,
    /// so no delivery could pass: the signed text would have to contain its
    /// own signature.
    #[error(
        "the HMAC {first} header and {second} header are both `{name}`, so no delivery could pass the check: give each its own header"
    )]
    SameHeader {
        /// The first setting, such as `signature`.
        first: &'static str,
        /// The second setting, such as `timestamp`.
        second: &'static str,
        /// The header name both settings give.
        name: String,
    },
    /// A deadline is outside what the sender allows.
    #[error(
        "{what} of {} is invalid: it must be more than {} and less than {bound} ({})",
        readable_millis(*given_ms),
        readable_millis(*min_ms),
        readable_millis(*max_ms)
    )]
    Deadline {
        /// Which deadline.
        what: &'static str,
        /// The value given, in milliseconds.
        given_ms: u128,
        /// The exclusive lower bound, in milliseconds.
        min_ms: u128,
        /// The exclusive upper bound, in milliseconds.
        max_ms: u128,
        /// The source of the upper bound, such as "the reply deadline".
        bound: &'static str,
    },
}

/// Formats milliseconds as a message reads them: `250 ms`, `18 s`, `7.5 s`.
fn readable_millis(millis: u128) -> String {
    if millis < 1000 {
        return format!("{millis} ms");
    }
    let fraction = format!("{:03}", millis % 1000);
    let fraction = fraction.trim_end_matches('0');
    if fraction.is_empty() {
        format!("{} s", millis / 1000)
    } else {
        format!("{}.{fraction} s", millis / 1000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn millis_read_as_seconds() {
        assert_eq!(readable_millis(250), "250 ms");
        assert_eq!(readable_millis(18_000), "18 s");
        assert_eq!(readable_millis(7_500), "7.5 s");
        assert_eq!(readable_millis(1_005), "1.005 s");
    }

    #[test]
    fn deadline_names_its_bound() {
        let error = ConfigError::Deadline {
            what: "tool timeout",
            given_ms: 18_000,
            min_ms: 0,
            max_ms: 10_000,
            bound: "the reply deadline",
        };
        assert_eq!(
            error.to_string(),
            "tool timeout of 18 s is invalid: it must be more than 0 ms and less than the reply deadline (10 s)"
        );
    }
}
