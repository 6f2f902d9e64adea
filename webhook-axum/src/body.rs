//! Reading a request body as bytes under a size limit.
//!
//! The body is read here rather than through axum's `Json` or `Bytes`
//! extractors, because authentication needs the exact received bytes and
//! the `Content-Type` header may be missing or carry parameters. Reading it
//! here also turns an oversized body into a `413` with a JSON body, never a
//! `500`.

use std::time::Duration;

use axum::body::{Body, HttpBody};
use bytes::Bytes;
use http::{HeaderMap, StatusCode, header};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use webhook_core::{HttpReply, Namespace};

/// Why a body could not be read. Each gets its reply without a handler call.
#[derive(Debug)]
pub(crate) enum BodyRejection {
    /// The body is larger than the limit, as declared or as received.
    TooLarge {
        /// The configured limit in bytes.
        limit: usize,
        /// The `Content-Length` the sender declared, if it declared one.
        declared: Option<u64>,
    },
    /// The connection failed or the body ended early.
    Unreadable(String),
    /// The body did not arrive completely within the read timeout.
    TimedOut {
        /// The configured timeout.
        timeout: Duration,
    },
    /// The body is compressed (`Content-Encoding` other than `identity`),
    /// which the receiver does not undo.
    Encoded {
        /// The `Content-Encoding` value as received, or a placeholder when
        /// it is not visible ASCII.
        encoding: String,
    },
}

/// The limits a body is read under.
#[derive(Clone, Copy, Debug)]
pub(crate) struct BodyLimits {
    /// The largest body accepted, in bytes.
    pub(crate) max_bytes: usize,
    /// How long the whole body may take to arrive.
    pub(crate) timeout: Duration,
}

/// Reads the whole body, rejecting it as soon as it is known to exceed
/// the size limit (from `Content-Length` or the body's exact size before
/// reading, or while a chunked body grows past it) or once it has taken
/// longer than the timeout to arrive.
pub(crate) async fn read_body(
    headers: &HeaderMap,
    body: Body,
    limits: BodyLimits,
) -> Result<Bytes, BodyRejection> {
    if let Some(encoding) = content_encoding(headers) {
        return Err(BodyRejection::Encoded { encoding });
    }
    let limit = limits.max_bytes;
    let declared = declared_length(headers);
    let hinted = body.size_hint().lower();
    if declared.is_some_and(|length| length > limit as u64) || hinted > limit as u64 {
        return Err(BodyRejection::TooLarge { limit, declared });
    }

    let reading = Limited::new(body, limit).collect();
    let Ok(collected) = tokio::time::timeout(limits.timeout, reading).await else {
        return Err(BodyRejection::TimedOut {
            timeout: limits.timeout,
        });
    };
    match collected {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(error) if error.downcast_ref::<LengthLimitError>().is_some() => {
            Err(BodyRejection::TooLarge { limit, declared })
        }
        Err(error) => Err(BodyRejection::Unreadable(error.to_string())),
    }
}

/// Returns the `Content-Encoding` of a compressed body, or `None` when the
/// header is absent or names only `identity`.
fn content_encoding(headers: &HeaderMap) -> Option<String> {
    for value in headers.get_all(header::CONTENT_ENCODING) {
        let Ok(text) = value.to_str() else {
            return Some("(not visible ASCII)".to_owned());
        };
        let compressed = text
            .split(',')
            .map(str::trim)
            .any(|coding| !coding.is_empty() && !coding.eq_ignore_ascii_case("identity"));
        if compressed {
            return Some(text.to_owned());
        }
    }
    None
}

fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

impl BodyRejection {
    /// Logs the rejection under `webhook::rejection` and builds its reply.
    pub(crate) fn into_reply(self, namespace: Namespace) -> HttpReply {
        match self {
            BodyRejection::TooLarge { limit, declared } => {
                tracing::warn!(
                    target: "webhook::rejection",
                    namespace = namespace.as_str(),
                    limit_bytes = limit,
                    declared_bytes = declared,
                    "delivery rejected: body too large (raise the limit with `body_limit`)"
                );
                let message = format!("request body is larger than the limit of {limit} bytes");
                HttpReply::error(StatusCode::PAYLOAD_TOO_LARGE, &message)
            }
            BodyRejection::Unreadable(error) => {
                tracing::warn!(
                    target: "webhook::rejection",
                    namespace = namespace.as_str(),
                    %error,
                    "delivery rejected: body could not be read"
                );
                HttpReply::error(
                    StatusCode::BAD_REQUEST,
                    &format!("failed to read the request body: {error}"),
                )
            }
            BodyRejection::Encoded { encoding } => {
                tracing::warn!(
                    target: "webhook::rejection",
                    namespace = namespace.as_str(),
                    %encoding,
                    "delivery rejected: compressed body (add a decompression layer in front of the router to accept it)"
                );
                let message = format!(
                    "content-encoding `{encoding}` is not supported: send the body uncompressed"
                );
                HttpReply::error(StatusCode::UNSUPPORTED_MEDIA_TYPE, &message)
            }
            BodyRejection::TimedOut { timeout } => {
                tracing::warn!(
                    target: "webhook::rejection",
                    namespace = namespace.as_str(),
                    timeout_ms = timeout.as_millis() as u64,
                    "delivery rejected: body timed out (raise the timeout with `body_timeout`)"
                );
                let message = format!(
                    "request body did not arrive within {} ms",
                    timeout.as_millis()
                );
                HttpReply::error(StatusCode::REQUEST_TIMEOUT, &message)
            }
        }
    }
}
