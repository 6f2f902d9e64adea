//! Authentication of deliveries, checked on the exact received bytes before
//! any parsing.
//!
//! Vapi proves that a delivery comes from it in one of two ways, chosen on
//! the server settings of an assistant or phone number:
//!
//! - a shared secret, sent as is in `X-Vapi-Secret`, `X-Vapi-Signature` or
//!   `Authorization: Bearer <secret>` ([`Auth::shared_secret`]), or in the
//!   one header a `BearerAuthenticationPlan` names ([`Auth::bearer`]);
//! - an HMAC signature over the raw body and, by default, a timestamp, as
//!   Vapi's `HMACAuthenticationPlan` defines it ([`Auth::hmac`]).
//!
//! Every check fails closed: a missing, malformed or wrong credential is an
//! [`AuthRejection`] with a short reason, never a panic. Secrets are compared
//! as SHA-256 digests in constant time and MACs with [`Mac::verify_slice`],
//! so neither the content nor the length of a secret leaks through timing.
//! No secret or key appears in `Debug` output, in a rejection or in a log
//! line, and checking a delivery logs nothing.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use hmac::{Hmac, Mac};
use http::header::{AUTHORIZATION, HeaderName};
use http::{HeaderMap, HeaderValue};
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha512};
use subtle::{Choice, ConstantTimeEq};

use crate::config::ConfigError;

/// Header in which Vapi sends a shared secret.
const X_VAPI_SECRET: HeaderName = HeaderName::from_static("x-vapi-secret");

/// Header that Vapi's documentation also names for a shared secret.
const X_VAPI_SIGNATURE: HeaderName = HeaderName::from_static("x-vapi-signature");

/// Default tolerance between a signed timestamp and the receiver's clock, in
/// either direction.
pub const DEFAULT_TIMESTAMP_TOLERANCE: Duration = Duration::from_secs(300);

/// Smallest tolerance [`HmacBuilder::build`] accepts. Timestamps in whole
/// seconds are rounded down, so a fresh delivery's timestamp can be almost a
/// second old, and a smaller tolerance would reject it.
pub const MIN_TIMESTAMP_TOLERANCE: Duration = Duration::from_secs(1);

/// Largest tolerance [`HmacBuilder::build`] accepts: one hour. A delivery
/// captured on the way can be replayed for as long as the tolerance, so a
/// larger value gives up most of what the timestamp protects, and is more
/// likely seconds given where milliseconds were meant.
pub const MAX_TIMESTAMP_TOLERANCE: Duration = Duration::from_secs(3600);

/// Default HMAC signature header, as in Vapi's `HMACAuthenticationPlan`.
pub const DEFAULT_SIGNATURE_HEADER: &str = "x-signature";

/// Default HMAC timestamp header, as in Vapi's `HMACAuthenticationPlan`.
pub const DEFAULT_TIMESTAMP_HEADER: &str = "x-timestamp";

/// Header read for `{svix-id}` when no message id header is set. Vapi's
/// schema gives no default, so this is the header name Svix uses.
pub const DEFAULT_MESSAGE_ID_HEADER: &str = "svix-id";

/// Default signed text when the timestamp is included.
pub const DEFAULT_PAYLOAD_FORMAT: &str = "{timestamp}.{body}";

/// Timestamps at or above this value are read as Unix milliseconds, below it
/// as Unix seconds. As seconds it is the year 5138, as milliseconds 1973, so
/// no real timestamp is ambiguous.
const MILLISECONDS_THRESHOLD: u64 = 100_000_000_000;

type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// Authentication check that a receiver applies to every delivery.
///
/// Build one with [`Auth::shared_secret`], [`Auth::bearer`],
/// [`Auth::hmac`] or, for local development only, [`Auth::none`]. To
/// rotate a secret, or to move from one scheme to another, combine checks
/// with [`Auth::any_of`].
#[derive(Clone)]
pub struct Auth {
    mode: Mode,
    clock: Clock,
}

#[derive(Clone)]
enum Mode {
    None,
    SharedSecret(SharedSecret),
    Hmac(Box<HmacCheck>),
    /// At least one check, none of them `None`.
    AnyOf(Vec<Auth>),
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.mode {
            Mode::None => f.write_str("Auth::None"),
            Mode::SharedSecret(shared) => f
                .debug_struct("Auth::SharedSecret")
                .field("secret", &"<redacted>")
                .field("headers", &shared.checked_headers)
                .finish(),
            Mode::Hmac(check) => check.fmt(f),
            Mode::AnyOf(checks) => f.debug_tuple("Auth::AnyOf").field(checks).finish(),
        }
    }
}

/// Reason a delivery failed authentication.
///
/// It names the headers that were read, never the expected value, so it is
/// safe to send back to the caller and to log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthRejection {
    reason: &'static str,
    checked_headers: Vec<String>,
}

impl AuthRejection {
    fn new(reason: &'static str, checked_headers: &[String]) -> AuthRejection {
        AuthRejection {
            reason,
            checked_headers: checked_headers.to_vec(),
        }
    }

    /// Returns the reason, e.g. `missing credentials` or `signature mismatch`.
    pub fn reason(&self) -> &'static str {
        self.reason
    }

    /// Returns the lowercase names of the headers that were looked at.
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

impl std::error::Error for AuthRejection {}

impl Auth {
    /// Accepts every delivery. Only for local development: anyone who finds
    /// the URL can then drive the calls.
    pub fn none() -> Auth {
        Auth::with_mode(Mode::None)
    }

    /// Checks a shared secret sent in `X-Vapi-Secret`, `X-Vapi-Signature` or
    /// `Authorization: Bearer <secret>`.
    ///
    /// A delivery is accepted when any one of these carries the secret.
    /// Spaces, tabs and non-ASCII bytes inside the secret are accepted.
    ///
    /// # Errors
    ///
    /// Returns [`ConfigError::EmptySecret`] for an empty secret, and
    /// [`ConfigError::InvalidSharedSecret`] for one that starts or ends with
    /// whitespace or contains a control character other than tab, because
    /// an HTTP header cannot carry it unchanged.
    pub fn shared_secret(secret: impl AsRef<[u8]>) -> Result<Auth, ConfigError> {
        let sources = vec![
            SecretSource::plain(X_VAPI_SECRET),
            SecretSource::plain(X_VAPI_SIGNATURE),
            SecretSource::bearer(AUTHORIZATION),
        ];
        SharedSecret::new(secret.as_ref(), sources)
            .map(|shared| Auth::with_mode(Mode::SharedSecret(shared)))
    }

    /// Starts configuring the check of a token sent as Vapi's
    /// `BearerAuthenticationPlan` sends it: in one header, `Authorization`
    /// unless the plan's `headerName` names another, after `Bearer ` unless
    /// the plan sets `bearerPrefixEnabled` to `false`.
    ///
    /// [`Auth::shared_secret`] covers the plan's defaults too; this is for a
    /// plan that changes them.
    pub fn bearer(token: impl Into<Vec<u8>>) -> BearerBuilder {
        BearerBuilder {
            token: token.into(),
            header_name: AUTHORIZATION.as_str().to_owned(),
            bearer_prefix: true,
        }
    }

    /// Starts configuring an HMAC check with `key`, the HMAC secret key.
    ///
    /// The defaults follow Vapi's `HMACAuthenticationPlan`: SHA-256, hex
    /// signature in `x-signature`, Unix timestamp in `x-timestamp`, signed
    /// text `{timestamp}.{body}`, and a tolerance of 300 seconds.
    ///
    /// Use a random key at least as long as the hash's output, up to 32
    /// bytes (20 for SHA-1, 32 for SHA-256 and SHA-512):
    /// [`HmacBuilder::build`] logs a warning under the target
    /// `webhook::config` for a shorter one.
    pub fn hmac(key: impl Into<Vec<u8>>) -> HmacBuilder {
        HmacBuilder {
            key: key.into(),
            key_is_base64: false,
            algorithm: HmacAlgorithm::Sha256,
            signature_header: DEFAULT_SIGNATURE_HEADER.to_owned(),
            timestamp_header: DEFAULT_TIMESTAMP_HEADER.to_owned(),
            message_id_header: DEFAULT_MESSAGE_ID_HEADER.to_owned(),
            payload_format: None,
            server_url: None,
            include_timestamp: true,
            encoding: SignatureEncoding::Hex,
            signature_prefix: None,
            tolerance: DEFAULT_TIMESTAMP_TOLERANCE,
        }
    }

    /// Accepts a delivery that any one of `checks` accepts, trying them in
    /// order.
    ///
    /// This rotates a secret without a window of rejected deliveries:
    /// accept the old and the new secret, change the secret in Vapi, then
    /// drop the old one. It also moves a server from one scheme to another
    /// (a shared secret to HMAC, say). A rejected delivery gets the reason
    /// every check gave, or `rejected by every check` when they differ,
    /// and the headers of all of them.
    ///
    /// ```
    /// use webhook_core::Auth;
    /// let auth = Auth::any_of([
    ///     Auth::shared_secret("new-secret-not-real")?,
    ///     Auth::shared_secret("old-secret-not-real")?,
    /// ])?;
    /// # Ok::<(), webhook_core::ConfigError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// Returns [`ConfigError::NoAuthChecks`] for an empty list, and
    /// [`ConfigError::AuthNoneInAnyOf`] when a check is [`Auth::none`],
    /// which would accept every delivery however the others are set.
    pub fn any_of(checks: impl IntoIterator<Item = Auth>) -> Result<Auth, ConfigError> {
        let checks: Vec<Auth> = checks.into_iter().collect();
        if checks.is_empty() {
            return Err(ConfigError::NoAuthChecks);
        }
        if checks.iter().any(Auth::is_none) {
            return Err(ConfigError::AuthNoneInAnyOf);
        }
        Ok(Auth::with_mode(Mode::AnyOf(checks)))
    }

    /// Replaces the clock that signed timestamps are compared with, so that
    /// tests can pin it. The default is [`SystemTime::now`]. On a check
    /// from [`any_of`](Self::any_of), it replaces the clock of every check.
    #[must_use]
    pub fn with_clock(self, clock: impl Fn() -> SystemTime + Send + Sync + 'static) -> Auth {
        self.with_shared_clock(Arc::new(clock))
    }

    fn with_shared_clock(mut self, clock: Clock) -> Auth {
        if let Mode::AnyOf(checks) = self.mode {
            let checks = checks
                .into_iter()
                .map(|check| check.with_shared_clock(clock.clone()))
                .collect();
            self.mode = Mode::AnyOf(checks);
        }
        self.clock = clock;
        self
    }

    /// Returns whether this accepts every delivery.
    pub fn is_none(&self) -> bool {
        matches!(self.mode, Mode::None)
    }

    /// Verifies one delivery from its headers and its body exactly as
    /// received.
    ///
    /// # Errors
    ///
    /// Returns the [`AuthRejection`] that names why the delivery is not
    /// authentic: credentials missing, malformed or wrong, or an HMAC
    /// timestamp outside the tolerance. It never contains the expected value.
    pub fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<(), AuthRejection> {
        match &self.mode {
            Mode::None => Ok(()),
            Mode::SharedSecret(shared) => shared.verify(headers),
            Mode::Hmac(check) => check.verify(headers, body, (self.clock)()),
            Mode::AnyOf(checks) => verify_any(checks, headers, body),
        }
    }

    fn with_mode(mode: Mode) -> Auth {
        Auth {
            mode,
            clock: Arc::new(SystemTime::now),
        }
    }
}

/// Returns `Ok` at the first check that accepts the delivery. Otherwise
/// returns a rejection with the reason all checks gave (or a general one
/// when they differ) and the headers any of them read.
fn verify_any(checks: &[Auth], headers: &HeaderMap, body: &[u8]) -> Result<(), AuthRejection> {
    let mut rejections = Vec::with_capacity(checks.len());
    for check in checks {
        match check.verify(headers, body) {
            Ok(()) => return Ok(()),
            Err(rejection) => rejections.push(rejection),
        }
    }

    let first = rejections[0].reason;
    let reason = if rejections.iter().all(|rejection| rejection.reason == first) {
        first
    } else {
        "rejected by every check"
    };
    let mut checked_headers: Vec<String> = Vec::new();
    for name in rejections
        .into_iter()
        .flat_map(|rejection| rejection.checked_headers)
    {
        if !checked_headers.contains(&name) {
            checked_headers.push(name);
        }
    }
    Err(AuthRejection {
        reason,
        checked_headers,
    })
}

/// Configures [`Auth::bearer`]: where the token arrives. Finish with
/// [`build`](Self::build).
#[derive(Clone)]
#[must_use = "call `.build()` to get an `Auth`"]
pub struct BearerBuilder {
    token: Vec<u8>,
    header_name: String,
    bearer_prefix: bool,
}

impl fmt::Debug for BearerBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BearerBuilder")
            .field("token", &"<redacted>")
            .field("header_name", &self.header_name)
            .field("bearer_prefix", &self.bearer_prefix)
            .finish()
    }
}

impl BearerBuilder {
    /// Sets the header the token arrives in, the plan's `headerName`
    /// (default `Authorization`). Names are case-insensitive.
    pub fn header_name(mut self, name: impl Into<String>) -> Self {
        self.header_name = name.into();
        self
    }

    /// Sets whether the header value is `Bearer <token>` (the default, the
    /// plan's `bearerPrefixEnabled`) or the token alone. The scheme is read
    /// in any case, as RFC 9110 makes it case-insensitive.
    pub fn bearer_prefix(mut self, enabled: bool) -> Self {
        self.bearer_prefix = enabled;
        self
    }

    /// Checks the settings and returns the [`Auth`].
    ///
    /// # Errors
    ///
    /// [`ConfigError::InvalidHeaderName`] for a header name HTTP does not
    /// allow, and the errors of [`Auth::shared_secret`] for the token.
    pub fn build(self) -> Result<Auth, ConfigError> {
        let header = parse_header_name(&self.header_name)?;
        let source = if self.bearer_prefix {
            SecretSource::bearer(header)
        } else {
            SecretSource::plain(header)
        };
        SharedSecret::new(&self.token, vec![source])
            .map(|shared| Auth::with_mode(Mode::SharedSecret(shared)))
    }
}

/// A header a shared secret may arrive in, and whether its value is
/// `Bearer <secret>` or the secret alone.
#[derive(Clone)]
struct SecretSource {
    header: HeaderName,
    bearer: bool,
}

impl SecretSource {
    fn plain(header: HeaderName) -> Self {
        SecretSource {
            header,
            bearer: false,
        }
    }

    fn bearer(header: HeaderName) -> Self {
        SecretSource {
            header,
            bearer: true,
        }
    }
}

/// A shared secret, kept only as its SHA-256 digest, and the headers it may
/// arrive in.
#[derive(Clone)]
struct SharedSecret {
    digest: [u8; 32],
    sources: Vec<SecretSource>,
    checked_headers: Vec<String>,
}

impl SharedSecret {
    /// Checks that `secret` can arrive in a header unchanged and keeps its
    /// digest.
    fn new(secret: &[u8], sources: Vec<SecretSource>) -> Result<Self, ConfigError> {
        if secret.is_empty() {
            return Err(ConfigError::EmptySecret);
        }
        if let Some(problem) = find_header_value_problem(secret) {
            return Err(ConfigError::InvalidSharedSecret { problem });
        }
        let checked_headers = sources
            .iter()
            .map(|source| source.header.as_str().to_owned())
            .collect();
        Ok(SharedSecret {
            digest: Sha256::digest(secret).into(),
            sources,
            checked_headers,
        })
    }

    fn verify(&self, headers: &HeaderMap) -> Result<(), AuthRejection> {
        let mut presented = false;
        let mut other_scheme = false;
        let mut matched = Choice::from(0);

        for source in &self.sources {
            for value in headers.get_all(&source.header) {
                let candidate = if source.bearer {
                    bearer_token(value.as_bytes())
                } else {
                    Some(value.as_bytes())
                };
                match candidate {
                    Some(candidate) => {
                        presented = true;
                        matched |= self.matches(candidate);
                    }
                    None => other_scheme = true,
                }
            }
        }

        if bool::from(matched) {
            return Ok(());
        }
        let reason = if presented {
            "secret mismatch"
        } else if other_scheme {
            "unsupported authorization scheme"
        } else {
            "missing credentials"
        };
        Err(AuthRejection::new(reason, &self.checked_headers))
    }

    /// Compares fixed-length digests so that neither the secret's bytes nor
    /// its length show in the time taken.
    fn matches(&self, candidate: &[u8]) -> Choice {
        let candidate: [u8; 32] = Sha256::digest(candidate).into();
        candidate.ct_eq(&self.digest)
    }
}

/// Returns why `secret` cannot arrive unchanged in an HTTP header value, or
/// `None` when it can. HTTP strips spaces and tabs around a field value and
/// allows no control character but tab inside one (RFC 9110, section 5.5).
/// The reason never quotes the secret.
fn find_header_value_problem(secret: &[u8]) -> Option<&'static str> {
    // CR and LF count as whitespace here, so that a secret read from a file
    // with its line ending gets the message that names the newline.
    let is_whitespace = |byte: &u8| matches!(byte, b' ' | b'\t' | b'\r' | b'\n');

    if secret.iter().all(is_whitespace) {
        Some("is only whitespace")
    } else if secret.ends_with(b"\n") {
        Some("ends with a newline (as a secret read from a file often does)")
    } else if secret.last().is_some_and(is_whitespace) {
        Some("ends with whitespace")
    } else if secret.first().is_some_and(is_whitespace) {
        Some("starts with whitespace")
    } else if HeaderValue::from_bytes(secret).is_err() {
        Some("contains a control character other than tab")
    } else {
        None
    }
}

/// Returns the token of an `Authorization` value whose scheme is `Bearer`
/// (any case, as RFC 9110 makes schemes case-insensitive), or `None` for
/// another scheme.
fn bearer_token(value: &[u8]) -> Option<&[u8]> {
    let (scheme, token) = match value.iter().position(|&byte| byte == b' ') {
        Some(space) => (&value[..space], &value[space + 1..]),
        None => (value, &[][..]),
    };
    scheme
        .eq_ignore_ascii_case(b"bearer")
        .then(|| token.trim_ascii_start())
}

/// HMAC hash function, named as in Vapi's `HMACAuthenticationPlan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum HmacAlgorithm {
    /// HMAC-SHA-256, the default.
    #[default]
    Sha256,
    /// HMAC-SHA-512.
    Sha512,
    /// HMAC-SHA-1, for senders that still use it.
    Sha1,
}

impl HmacAlgorithm {
    /// Returns the configuration name: `sha256`, `sha512` or `sha1`.
    pub fn as_str(self) -> &'static str {
        match self {
            HmacAlgorithm::Sha256 => "sha256",
            HmacAlgorithm::Sha512 => "sha512",
            HmacAlgorithm::Sha1 => "sha1",
        }
    }

    /// Returns the length of the hash's output in bytes.
    fn output_len(self) -> usize {
        match self {
            HmacAlgorithm::Sha256 => 32,
            HmacAlgorithm::Sha512 => 64,
            HmacAlgorithm::Sha1 => 20,
        }
    }

    /// Returns the shortest key length that draws no warning: the hash's
    /// output length, which RFC 2104 recommends as the minimum, but at most
    /// 32 bytes, since 256 random bits are far beyond guessing.
    fn recommended_key_len(self) -> usize {
        self.output_len().min(32)
    }
}

impl fmt::Display for HmacAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for HmacAlgorithm {
    type Err = ConfigError;

    /// Parses `sha256`, `sha512` or `sha1`, ignoring ASCII case.
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        [
            HmacAlgorithm::Sha256,
            HmacAlgorithm::Sha512,
            HmacAlgorithm::Sha1,
        ]
        .into_iter()
        .find(|algorithm| algorithm.as_str().eq_ignore_ascii_case(name))
        .ok_or_else(|| ConfigError::UnknownName {
            what: "HMAC algorithm",
            value: name.to_owned(),
            expected: "`sha256`, `sha512`, `sha1`",
        })
    }
}

/// Encoding of the received HMAC signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum SignatureEncoding {
    /// Hexadecimal in either case, the default.
    #[default]
    Hex,
    /// Standard base64 alphabet, with or without `=` padding.
    Base64,
}

impl SignatureEncoding {
    /// Returns the configuration name: `hex` or `base64`.
    pub fn as_str(self) -> &'static str {
        match self {
            SignatureEncoding::Hex => "hex",
            SignatureEncoding::Base64 => "base64",
        }
    }

    fn decode(self, text: &[u8]) -> Option<Vec<u8>> {
        match self {
            SignatureEncoding::Hex => hex::decode(text).ok(),
            SignatureEncoding::Base64 => BASE64_ANY_PADDING.decode(text).ok(),
        }
    }
}

/// Standard base64 that accepts a signature with or without padding, since
/// senders differ and padding carries no information.
const BASE64_ANY_PADDING: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

impl fmt::Display for SignatureEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SignatureEncoding {
    type Err = ConfigError;

    /// Parses `hex` or `base64`, ignoring ASCII case.
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        [SignatureEncoding::Hex, SignatureEncoding::Base64]
            .into_iter()
            .find(|encoding| encoding.as_str().eq_ignore_ascii_case(name))
            .ok_or_else(|| ConfigError::UnknownName {
                what: "signature encoding",
                value: name.to_owned(),
                expected: "`hex`, `base64`",
            })
    }
}

/// Builder of an HMAC check. Start with [`Auth::hmac`] and finish with
/// [`HmacBuilder::build`], which validates every setting.
#[derive(Clone)]
#[must_use = "call `.build()` to get an `Auth`"]
pub struct HmacBuilder {
    key: Vec<u8>,
    key_is_base64: bool,
    algorithm: HmacAlgorithm,
    signature_header: String,
    timestamp_header: String,
    message_id_header: String,
    payload_format: Option<String>,
    server_url: Option<String>,
    include_timestamp: bool,
    encoding: SignatureEncoding,
    signature_prefix: Option<String>,
    tolerance: Duration,
}

impl fmt::Debug for HmacBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HmacBuilder")
            .field("key", &"<redacted>")
            .field("key_is_base64", &self.key_is_base64)
            .field("algorithm", &self.algorithm)
            .field("signature_header", &self.signature_header)
            .field("timestamp_header", &self.timestamp_header)
            .field("message_id_header", &self.message_id_header)
            .field("payload_format", &self.payload_format)
            .field("server_url", &self.server_url.as_deref().map(redact_url))
            .field("include_timestamp", &self.include_timestamp)
            .field("encoding", &self.encoding)
            .field("signature_prefix", &self.signature_prefix)
            .field("tolerance", &self.tolerance)
            .finish()
    }
}

impl HmacBuilder {
    /// Sets the hash function (default SHA-256).
    pub fn algorithm(mut self, algorithm: HmacAlgorithm) -> Self {
        self.algorithm = algorithm;
        self
    }

    /// Sets the header that carries the signature (default `x-signature`).
    pub fn signature_header(mut self, name: impl Into<String>) -> Self {
        self.signature_header = name.into();
        self
    }

    /// Sets the header that carries the Unix timestamp (default
    /// `x-timestamp`): seconds, or milliseconds when the value is
    /// 100,000,000,000 or more (a time in seconds that far away is in the
    /// year 5138).
    pub fn timestamp_header(mut self, name: impl Into<String>) -> Self {
        self.timestamp_header = name.into();
        self
    }

    /// Sets the header read for the `{svix-id}` placeholder (default
    /// `svix-id`).
    pub fn message_id_header(mut self, name: impl Into<String>) -> Self {
        self.message_id_header = name.into();
        self
    }

    /// Sets the signed text. In it, Vapi's placeholders are replaced as
    /// follows, and other text, including an unknown `{...}`, is signed as
    /// written:
    ///
    /// | placeholder | replaced by |
    /// | --- | --- |
    /// | `{body}` | the raw body bytes |
    /// | `{timestamp}` | the timestamp header value as received |
    /// | `{svix-id}` | the message id header value |
    /// | `{method}` | `POST`, the method Vapi sends every delivery with; the check does not see the request's method, so an adapter must accept only `POST` (webhook-axum rejects other methods with `405`) |
    /// | `{url}` | the URL given to [`server_url`](Self::server_url), which a format with `{url}` requires |
    ///
    /// The default is `{timestamp}.{body}`, or `{body}` when the timestamp is
    /// not included. [`build`](Self::build) logs a warning under
    /// `webhook::config` for each `{name}` that is not a placeholder above,
    /// such as a misspelt `{timestmap}`, because signing it as written makes
    /// every delivery fail the check.
    pub fn payload_format(mut self, format: impl Into<String>) -> Self {
        self.payload_format = Some(format.into());
        self
    }

    /// Sets the URL signed for the `{url}` placeholder: the Server URL as
    /// set in Vapi, written the same way (scheme, host, path and query), for
    /// example `https://agent.example.com/api/webhook`.
    ///
    /// The receiver does not rebuild the URL from the request, because a
    /// proxy or TLS terminator in front of the server changes the scheme,
    /// host and port it receives. A URL that differs from Vapi's by one
    /// character makes every signature mismatch.
    ///
    /// One check signs one URL: deliveries that Vapi signed for another
    /// Server URL (a tool or phone number with its own) get `401`, so give
    /// each Server URL its own router and `Auth`. The URL must be an absolute
    /// `http` or `https` URL whenever it is set; without `{url}` in the
    /// payload format it is not signed. `Debug` and [`ConfigError`] show it
    /// without its user-info, query and fragment.
    pub fn server_url(mut self, url: impl Into<String>) -> Self {
        self.server_url = Some(url.into());
        self
    }

    /// Sets whether a timestamp is sent and signed (default `true`). When it
    /// is, a delivery without a timestamp, or with one outside the tolerance,
    /// is rejected. Without it a captured delivery can be replayed at any
    /// time later, because its signature stays valid.
    pub fn include_timestamp(mut self, include: bool) -> Self {
        self.include_timestamp = include;
        self
    }

    /// Sets how the received signature is encoded (default hex).
    pub fn encoding(mut self, encoding: SignatureEncoding) -> Self {
        self.encoding = encoding;
        self
    }

    /// Sets a prefix that the received signature may carry before the
    /// encoded MAC, such as `sha256=`. It is stripped, ignoring ASCII case,
    /// when present and followed by a whole encoded MAC. A signature without
    /// it is still checked, because the prefix carries no secret, and so is
    /// one that only begins with the prefix's characters (possible with a
    /// prefix such as `ab` and hex signatures).
    pub fn signature_prefix(mut self, prefix: impl Into<String>) -> Self {
        let prefix = prefix.into();
        self.signature_prefix = (!prefix.is_empty()).then_some(prefix);
        self
    }

    /// Sets how far a signed timestamp may be from the receiver's clock, in
    /// the past or in the future (default 300 seconds).
    ///
    /// It must be from [`MIN_TIMESTAMP_TOLERANCE`] (1 s) to
    /// [`MAX_TIMESTAMP_TOLERANCE`] (1 hour), or [`build`](Self::build)
    /// returns [`ConfigError::TimestampTolerance`]: a timestamp in whole
    /// seconds is rounded down, and a captured delivery can be replayed for
    /// as long as the tolerance. It must also cover the clock difference
    /// between Vapi and this server plus the time a delivery takes to
    /// arrive.
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Sets whether the key given to [`Auth::hmac`] is base64 text to be
    /// decoded into the key bytes (default `false`).
    pub fn key_is_base64(mut self, is_base64: bool) -> Self {
        self.key_is_base64 = is_base64;
        self
    }

    /// Validates the settings and builds the check.
    ///
    /// # Errors
    ///
    /// Returns [`ConfigError::EmptySecret`] for an empty key and
    /// [`ConfigError::InvalidHeaderName`] for a header name that HTTP does not
    /// allow. A payload format that leaves out the body is
    /// [`ConfigError::PayloadFormatWithoutBody`]. Another [`ConfigError`]
    /// reports a payload format that disagrees with
    /// [`include_timestamp`](Self::include_timestamp), a `{url}` without a
    /// [`server_url`](Self::server_url) or with one that is not an absolute
    /// `http` or `https` URL, and a base64 key that does not decode.
    /// A [`tolerance`](Self::tolerance) under [`MIN_TIMESTAMP_TOLERANCE`] or
    /// over [`MAX_TIMESTAMP_TOLERANCE`] is
    /// [`ConfigError::TimestampTolerance`], also when the timestamp is not
    /// included. The signature header may not be the timestamp header when
    /// the timestamp is included, nor the message id header when the
    /// payload format has `{svix-id}` ([`ConfigError::SameHeader`]).
    pub fn build(self) -> Result<Auth, ConfigError> {
        let key = self.decoded_key()?;
        if key.is_empty() {
            return Err(ConfigError::EmptySecret);
        }
        if !(MIN_TIMESTAMP_TOLERANCE..=MAX_TIMESTAMP_TOLERANCE).contains(&self.tolerance) {
            return Err(ConfigError::TimestampTolerance {
                given_ms: self.tolerance.as_millis(),
                min_ms: MIN_TIMESTAMP_TOLERANCE.as_millis(),
                max_ms: MAX_TIMESTAMP_TOLERANCE.as_millis(),
            });
        }

        let signature_header = parse_header_name(&self.signature_header)?;
        let timestamp_header = parse_header_name(&self.timestamp_header)?;
        let message_id_header = parse_header_name(&self.message_id_header)?;

        let payload_format = self.payload_format.unwrap_or_else(|| {
            let default = if self.include_timestamp {
                DEFAULT_PAYLOAD_FORMAT
            } else {
                "{body}"
            };
            default.to_owned()
        });
        if let Some(url) = &self.server_url {
            check_server_url(url)?;
        }
        let payload = parse_payload_format(&payload_format, self.server_url.as_deref())?;
        check_payload(&payload, &payload_format, self.include_timestamp)?;

        let timestamp_header = self.include_timestamp.then_some(timestamp_header);
        let message_id_header = payload
            .contains(&Segment::MessageId)
            .then_some(message_id_header);
        // The signature cannot be in a header whose value is signed. A
        // timestamp and a message id may share one, odd as that is.
        let signed_headers = [
            ("timestamp", timestamp_header.as_ref()),
            ("message id", message_id_header.as_ref()),
        ];
        for (second, name) in signed_headers {
            if name == Some(&signature_header) {
                return Err(ConfigError::SameHeader {
                    first: "signature",
                    second,
                    name: signature_header.as_str().to_owned(),
                });
            }
        }
        let checked_headers = [
            Some(&signature_header),
            timestamp_header.as_ref(),
            message_id_header.as_ref(),
        ]
        .into_iter()
        .flatten()
        .map(|name| name.as_str().to_owned())
        .collect();

        // The warnings come last, so a builder that fails logs none.
        for placeholder in unknown_placeholders(&payload_format) {
            tracing::warn!(
                target: "webhook::config",
                placeholder,
                known = ?PLACEHOLDERS,
                "the HMAC payload format contains a placeholder this check does not know, so it is signed as written; check its spelling"
            );
        }
        // One captured delivery is enough to test guesses of the key
        // offline, so a short key matters more here than a short shared
        // secret, which an observer reads in full anyway.
        let recommended = self.algorithm.recommended_key_len();
        if key.len() < recommended {
            tracing::warn!(
                target: "webhook::config",
                key_bytes = key.len(),
                recommended_bytes = recommended,
                algorithm = self.algorithm.as_str(),
                "the HMAC key is shorter than recommended, so a captured delivery makes it easier to guess; use a random key of at least that many bytes"
            );
        }

        let check = HmacCheck {
            mac: KeyedMac::new(self.algorithm, &key),
            algorithm: self.algorithm,
            signature_header,
            timestamp_header,
            message_id_header,
            payload_format,
            payload,
            encoding: self.encoding,
            signature_prefix: self.signature_prefix,
            tolerance: self.tolerance,
            checked_headers,
        };
        Ok(Auth::with_mode(Mode::Hmac(Box::new(check))))
    }

    fn decoded_key(&self) -> Result<Vec<u8>, ConfigError> {
        if !self.key_is_base64 {
            return Ok(self.key.clone());
        }
        BASE64_ANY_PADDING
            .decode(self.key.trim_ascii())
            .map_err(|_| ConfigError::SecretNotBase64)
    }
}

fn parse_header_name(name: &str) -> Result<HeaderName, ConfigError> {
    HeaderName::try_from(name).map_err(|_| ConfigError::InvalidHeaderName(name.to_owned()))
}

/// One piece of the signed text.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(Box<[u8]>),
    Body,
    Timestamp,
    MessageId,
}

/// Splits a payload format into literal text and placeholders. `{method}`
/// and `{url}` do not change between deliveries, so they become literal text
/// here.
///
/// Parsing once at build time, instead of substituting strings per delivery,
/// means a body that happens to contain `{timestamp}` is signed as sent.
fn parse_payload_format(
    format: &str,
    server_url: Option<&str>,
) -> Result<Vec<Segment>, ConfigError> {
    let mut segments = Vec::new();
    let mut literal = String::new();
    let mut rest = format;

    while let Some(open) = rest.find('{') {
        literal.push_str(&rest[..open]);
        let from_brace = &rest[open..];
        let Some(close) = from_brace.find('}') else {
            break;
        };

        let placeholder = &from_brace[..=close];
        let segment = match placeholder {
            "{body}" => Segment::Body,
            "{timestamp}" => Segment::Timestamp,
            "{svix-id}" => Segment::MessageId,
            "{method}" | "{url}" => {
                let text = if placeholder == "{method}" {
                    // Vapi posts every delivery; a receiver in front of
                    // this check (such as webhook-axum) rejects other
                    // methods with 405 before any signature is checked.
                    "POST"
                } else {
                    checked_server_url(server_url, format)?
                };
                literal.push_str(text);
                rest = &from_brace[close + 1..];
                continue;
            }
            _ => {
                // An unknown placeholder is plain text, so keep the brace and
                // look for a known placeholder right after it.
                literal.push('{');
                rest = &from_brace[1..];
                continue;
            }
        };

        if !literal.is_empty() {
            segments.push(Segment::Literal(literal.as_bytes().into()));
            literal.clear();
        }
        segments.push(segment);
        rest = &from_brace[close + 1..];
    }

    literal.push_str(rest);
    if !literal.is_empty() {
        segments.push(Segment::Literal(literal.as_bytes().into()));
    }
    Ok(segments)
}

/// The placeholders [`HmacBuilder::payload_format`] replaces.
const PLACEHOLDERS: [&str; 5] = ["{body}", "{timestamp}", "{svix-id}", "{method}", "{url}"];

/// Returns the `{name}` parts of `format` that look like placeholders (a
/// name of letters, digits, `-` and `_`) but match none of [`PLACEHOLDERS`],
/// such as a misspelt `{timestmap}`. They are signed as written, which is
/// rarely what was meant, so the builder warns about each.
fn unknown_placeholders(format: &str) -> Vec<&str> {
    let mut unknown = Vec::new();
    let mut rest = format;
    while let Some(open) = rest.find('{') {
        let after_brace = &rest[open + 1..];
        let name_length = after_brace
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(after_brace.len());
        if name_length > 0 && after_brace[name_length..].starts_with('}') {
            let placeholder = &rest[open..open + name_length + 2];
            if !PLACEHOLDERS.contains(&placeholder) {
                unknown.push(placeholder);
            }
            rest = &rest[open + name_length + 2..];
        } else {
            rest = after_brace;
        }
    }
    unknown
}

/// Returns the URL for `{url}` in `format`, or an error when none is set.
/// [`HmacBuilder::build`] has checked a set URL already.
fn checked_server_url<'a>(
    server_url: Option<&'a str>,
    format: &str,
) -> Result<&'a str, ConfigError> {
    server_url.ok_or_else(|| ConfigError::ServerUrlNotSet(format.to_owned()))
}

/// Rejects a server URL that is not an absolute `http` or `https` URL. The
/// error shows the URL as [`redact_url`] returns it.
fn check_server_url(url: &str) -> Result<(), ConfigError> {
    let absolute = url.parse::<http::Uri>().is_ok_and(|uri| {
        let web_scheme = uri.scheme_str().is_some_and(|scheme| {
            scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")
        });
        web_scheme && uri.authority().is_some()
    });
    if absolute {
        Ok(())
    } else {
        Err(ConfigError::InvalidServerUrl(redact_url(url)))
    }
}

/// Returns `url` without its user-info, query and fragment, which may carry
/// a password or a token, for messages and `Debug`. The scheme, host, port
/// and path stay readable, and `<redacted>@` marks removed user-info.
///
/// The authority starts after `scheme://` or `//`. A text with neither
/// form, such as `user:password@host/path`, is read from its start, so
/// that a URL missing its scheme still hides its password. A password may
/// contain an unencoded `/`, `?` or `#`, which would end the authority as
/// RFC 3986 reads a URL, so everything up to the last `@` is hidden. An
/// `@` in the path hides the host and path before it too, which costs
/// readability only.
fn redact_url(url: &str) -> String {
    let authority_start = match url.find("//") {
        Some(slashes) if !url[..slashes].contains('/') => slashes + 2,
        _ => 0,
    };
    let (before_authority, rest) = url.split_at(authority_start);
    let (marker, rest) = match rest.rfind('@') {
        Some(at) => ("<redacted>@", &rest[at + 1..]),
        None => ("", rest),
    };
    let end = rest.find(['?', '#']).unwrap_or(rest.len());
    format!("{before_authority}{marker}{}", &rest[..end])
}

/// Rejects a signed text that leaves out the body, or whose use of the
/// timestamp disagrees with `include_timestamp`: an unsigned timestamp would
/// let an old delivery be replayed with a fresh one.
fn check_payload(
    payload: &[Segment],
    format: &str,
    include_timestamp: bool,
) -> Result<(), ConfigError> {
    if !payload.contains(&Segment::Body) {
        return Err(ConfigError::PayloadFormatWithoutBody(format.to_owned()));
    }

    let signs_timestamp = payload.contains(&Segment::Timestamp);
    if include_timestamp && !signs_timestamp {
        return Err(ConfigError::PayloadFormatWithoutTimestamp(
            format.to_owned(),
        ));
    }
    if !include_timestamp && signs_timestamp {
        return Err(ConfigError::PayloadFormatTimestampExcluded(
            format.to_owned(),
        ));
    }
    Ok(())
}

/// An HMAC already keyed, cloned for each delivery, so the key itself is not
/// kept.
#[derive(Clone)]
enum KeyedMac {
    Sha256(Hmac<Sha256>),
    Sha512(Hmac<Sha512>),
    Sha1(Hmac<Sha1>),
}

impl KeyedMac {
    fn new(algorithm: HmacAlgorithm, key: &[u8]) -> KeyedMac {
        // HMAC hashes a key longer than its block and pads a shorter one, so
        // `new_from_slice` takes keys of every length.
        const ANY_LENGTH: &str = "HMAC takes keys of every length";
        match algorithm {
            HmacAlgorithm::Sha256 => KeyedMac::Sha256(Mac::new_from_slice(key).expect(ANY_LENGTH)),
            HmacAlgorithm::Sha512 => KeyedMac::Sha512(Mac::new_from_slice(key).expect(ANY_LENGTH)),
            HmacAlgorithm::Sha1 => KeyedMac::Sha1(Mac::new_from_slice(key).expect(ANY_LENGTH)),
        }
    }

    /// Returns whether `signature` is the MAC of the concatenated `parts`,
    /// compared in constant time.
    fn verify<'a>(&self, parts: impl Iterator<Item = &'a [u8]>, signature: &[u8]) -> bool {
        fn verify_with<'a, M: Mac>(
            mut mac: M,
            parts: impl Iterator<Item = &'a [u8]>,
            signature: &[u8],
        ) -> bool {
            for part in parts {
                mac.update(part);
            }
            mac.verify_slice(signature).is_ok()
        }

        match self {
            KeyedMac::Sha256(mac) => verify_with(mac.clone(), parts, signature),
            KeyedMac::Sha512(mac) => verify_with(mac.clone(), parts, signature),
            KeyedMac::Sha1(mac) => verify_with(mac.clone(), parts, signature),
        }
    }
}

/// A validated HMAC configuration.
#[derive(Clone)]
struct HmacCheck {
    mac: KeyedMac,
    algorithm: HmacAlgorithm,
    signature_header: HeaderName,
    /// Present when the timestamp is included.
    timestamp_header: Option<HeaderName>,
    /// Present when the payload format uses `{svix-id}`.
    message_id_header: Option<HeaderName>,
    payload_format: String,
    payload: Vec<Segment>,
    encoding: SignatureEncoding,
    signature_prefix: Option<String>,
    tolerance: Duration,
    checked_headers: Vec<String>,
}

impl fmt::Debug for HmacCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Auth::Hmac")
            .field("key", &"<redacted>")
            .field("algorithm", &self.algorithm)
            .field("signature_header", &self.signature_header)
            .field("timestamp_header", &self.timestamp_header)
            .field("message_id_header", &self.message_id_header)
            .field("payload_format", &self.payload_format)
            .field("encoding", &self.encoding)
            .field("signature_prefix", &self.signature_prefix)
            .field("tolerance", &self.tolerance)
            .finish()
    }
}

impl HmacCheck {
    fn verify(
        &self,
        headers: &HeaderMap,
        body: &[u8],
        now: SystemTime,
    ) -> Result<(), AuthRejection> {
        self.check(headers, body, now)
            .map_err(|reason| AuthRejection::new(reason, &self.checked_headers))
    }

    /// Checks the timestamp before the MAC because it is cheaper. Both must
    /// pass.
    fn check(&self, headers: &HeaderMap, body: &[u8], now: SystemTime) -> Result<(), &'static str> {
        let signature = headers
            .get(&self.signature_header)
            .ok_or("missing signature")?;

        let timestamp = match &self.timestamp_header {
            Some(name) => {
                let value = headers.get(name).ok_or("missing timestamp")?;
                let sent_at = parse_timestamp(value).ok_or("invalid timestamp")?;
                if !within_tolerance(sent_at, now, self.tolerance) {
                    return Err("timestamp outside tolerance");
                }
                value.as_bytes()
            }
            None => b"",
        };

        let message_id = match &self.message_id_header {
            Some(name) => headers.get(name).ok_or("missing message id")?.as_bytes(),
            None => b"",
        };

        let signature = self.decode_signature(signature.as_bytes())?;
        let parts = self.payload.iter().map(|segment| match segment {
            Segment::Literal(text) => &text[..],
            Segment::Body => body,
            Segment::Timestamp => timestamp,
            Segment::MessageId => message_id,
        });
        if self.mac.verify(parts, &signature) {
            Ok(())
        } else {
            Err("signature mismatch")
        }
    }

    fn decode_signature(&self, value: &[u8]) -> Result<Vec<u8>, &'static str> {
        let text = value.trim_ascii();
        if let Some(prefix) = &self.signature_prefix {
            let prefix = prefix.as_bytes();
            if text.len() >= prefix.len() && text[..prefix.len()].eq_ignore_ascii_case(prefix) {
                // A prefix written in the encoding's own characters (`ab`
                // with hex) can also begin an unprefixed signature. So the
                // prefix counts only when the rest decodes to a whole MAC.
                let rest = &text[prefix.len()..];
                if rest.is_empty() {
                    return Err("missing signature");
                }
                let mac = self.encoding.decode(rest);
                if let Some(mac) = mac.filter(|mac| mac.len() == self.algorithm.output_len()) {
                    return Ok(mac);
                }
            }
        }

        if text.is_empty() {
            return Err("missing signature");
        }
        self.encoding
            .decode(text)
            .ok_or("invalid signature encoding")
    }
}

/// Reads a timestamp header as Unix seconds, or as Unix milliseconds when
/// the value is too large to be seconds. Returns `None` unless the value is
/// plain ASCII digits.
fn parse_timestamp(value: &HeaderValue) -> Option<SystemTime> {
    let digits = value.as_bytes().trim_ascii();
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }

    let number: u64 = std::str::from_utf8(digits).ok()?.parse().ok()?;
    let since_epoch = if number >= MILLISECONDS_THRESHOLD {
        Duration::from_millis(number)
    } else {
        Duration::from_secs(number)
    };
    SystemTime::UNIX_EPOCH.checked_add(since_epoch)
}

/// Returns whether `sent_at` is at most `tolerance` before or after `now`.
fn within_tolerance(sent_at: SystemTime, now: SystemTime, tolerance: Duration) -> bool {
    let skew = match now.duration_since(sent_at) {
        Ok(age) => age,
        Err(ahead) => ahead.duration(),
    };
    skew <= tolerance
}

#[cfg(test)]
mod tests {
    use super::*;

    fn literal(text: &str) -> Segment {
        Segment::Literal(text.as_bytes().into())
    }

    #[test]
    fn payload_format_default_splits() {
        let segments = parse_payload_format("{timestamp}.{body}", None).unwrap();
        assert_eq!(segments, [Segment::Timestamp, literal("."), Segment::Body]);
    }

    #[test]
    fn unknown_placeholders_found() {
        assert_eq!(
            unknown_placeholders("{timestmap}.{body}{svix_id}{url}"),
            ["{timestmap}", "{svix_id}"]
        );
        assert_eq!(unknown_placeholders("{{svix-id}}:{other}{"), ["{other}"]);
        assert!(unknown_placeholders("{timestamp}.{body}").is_empty());
        assert!(unknown_placeholders("{}{ body}{a.b}{").is_empty());
    }

    #[test]
    fn payload_format_keeps_unknown_braces() {
        let segments = parse_payload_format("v1:{{svix-id}}:{other}{body}{", None).unwrap();
        assert_eq!(
            segments,
            [
                literal("v1:{"),
                Segment::MessageId,
                literal("}:{other}"),
                Segment::Body,
                literal("{"),
            ]
        );
    }

    #[test]
    fn method_and_url_become_text() {
        let url = "https://agent.example.com/api/webhook?v=1";
        let segments =
            parse_payload_format("{method} {url}.{timestamp}.{body}{url}", Some(url)).unwrap();
        assert_eq!(
            segments,
            [
                literal(&format!("POST {url}.")),
                Segment::Timestamp,
                literal("."),
                Segment::Body,
                literal(url),
            ]
        );
    }

    #[test]
    fn url_placeholder_needs_server_url() {
        let format = "{url}.{body}";
        assert_eq!(
            parse_payload_format(format, None),
            Err(ConfigError::ServerUrlNotSet(format.to_owned()))
        );
        // `{method}` alone needs no URL.
        assert!(parse_payload_format("{method}.{body}", None).is_ok());
    }

    #[test]
    fn server_url_must_be_absolute() {
        for url in [
            "",
            "/api/webhook",
            "agent.example.com/api/webhook",
            "ftp://agent.example.com/x",
            "https://",
        ] {
            assert_eq!(
                check_server_url(url),
                Err(ConfigError::InvalidServerUrl(url.to_owned())),
                "{url:?}"
            );
        }
        assert_eq!(
            check_server_url("HTTPS://agent.example.com/api/webhook?v=1"),
            Ok(())
        );
    }

    #[test]
    fn redact_url_hides_user_info_query() {
        let cases = [
            (
                "https://hook:pa55word@agent.example.com:8443/api/webhook?token=t#part",
                "https://<redacted>@agent.example.com:8443/api/webhook",
            ),
            (
                "https://hook@agent.example.com",
                "https://<redacted>@agent.example.com",
            ),
            (
                "HTTPS://a:b@c@agent.example.com/x",
                "HTTPS://<redacted>@agent.example.com/x",
            ),
            (
                "//hook:pa55word@agent.example.com/x",
                "//<redacted>@agent.example.com/x",
            ),
            (
                "hook:pa55word@agent.example.com/x",
                "<redacted>@agent.example.com/x",
            ),
            (
                "https://agent.example.com/api/webhook?token=t",
                "https://agent.example.com/api/webhook",
            ),
        ];
        for (url, expected) in cases {
            assert_eq!(redact_url(url), expected, "{url:?}");
        }
    }

    #[test]
    fn redact_url_hides_passwords_with_delimiters() {
        // Unencoded `/`, `?` and `#` in a password end the authority as
        // RFC 3986 reads it; the password is hidden all the same.
        for url in [
            "https://hook:pa55/word@agent.example.com/api",
            "https://hook:pa55?word@agent.example.com/api",
            "https://hook:pa55#word@agent.example.com/api",
        ] {
            let redacted = redact_url(url);
            assert_eq!(redacted, "https://<redacted>@agent.example.com/api");
            assert!(!redacted.contains("pa55"), "{redacted}");
        }
    }

    #[test]
    fn redact_url_keeps_urls_without_at_sign() {
        for url in [
            "/api/webhook",
            "https://agent.example.com/x",
            "https://",
            "",
        ] {
            assert_eq!(redact_url(url), url, "{url:?}");
        }
        // An `@` in the path hides what comes before it.
        assert_eq!(
            redact_url("https://agent.example.com/users/@me/hook"),
            "https://<redacted>@me/hook"
        );
    }

    #[test]
    fn bearer_token_reads_scheme() {
        assert_eq!(bearer_token(b"Bearer abc"), Some(&b"abc"[..]));
        assert_eq!(bearer_token(b"bearer   abc"), Some(&b"abc"[..]));
        assert_eq!(bearer_token(b"BEARER"), Some(&b""[..]));
        assert_eq!(bearer_token(b"Basic abc"), None);
        assert_eq!(bearer_token(b"Bearerabc"), None);
    }

    #[test]
    fn timestamp_reads_seconds_and_milliseconds() {
        let seconds = HeaderValue::from_static("1767225600");
        let milliseconds = HeaderValue::from_static("1767225600123");
        let expected = SystemTime::UNIX_EPOCH + Duration::from_secs(1_767_225_600);

        assert_eq!(parse_timestamp(&seconds), Some(expected));
        assert_eq!(
            parse_timestamp(&milliseconds),
            Some(expected + Duration::from_millis(123))
        );
    }

    #[test]
    fn timestamp_rejects_non_digits() {
        for text in [
            "",
            "-1",
            "+5",
            "1.5",
            "12a",
            "0x10",
            "99999999999999999999999",
        ] {
            let value = HeaderValue::from_str(text).unwrap();
            assert_eq!(parse_timestamp(&value), None, "{text:?}");
        }
    }

    #[test]
    fn tolerance_is_inclusive_both_ways() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000);
        let tolerance = Duration::from_secs(10);

        assert!(within_tolerance(now - tolerance, now, tolerance));
        assert!(within_tolerance(now + tolerance, now, tolerance));
        assert!(!within_tolerance(
            now - tolerance - Duration::from_millis(1),
            now,
            tolerance
        ));
        assert!(!within_tolerance(
            now + tolerance + Duration::from_millis(1),
            now,
            tolerance
        ));
    }
}
