//! The reply to `server.callEndpointingRequest`: how long the assistant
//! waits after the caller stops speaking, kept within Vapi's range.

use serde::{Deserialize, Serialize};

use super::{EventReply, HttpReply, json_replies};

/// The reply to `server.callEndpointingRequest`: how long to wait after the
/// caller stops before the assistant answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CallEndpointingReply {
    /// The wait in seconds. It is sent within 0 to
    /// [`MAX_SECONDS`](Self::MAX_SECONDS), and as 0 when it is not a finite
    /// number.
    #[serde(serialize_with = "serialize_endpointing_wait")]
    pub timeout_seconds: f64,
}

/// Keeps `value` within `min..=max`, and makes NaN and infinities `min`,
/// because JSON has no such numbers and serde_json would send `null`.
fn within(value: f64, min: f64, max: f64) -> f64 {
    if value.is_finite() {
        value.clamp(min, max)
    } else {
        min
    }
}

fn serialize_endpointing_wait<S: serde::Serializer>(
    value: &f64,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_f64(within(*value, 0.0, CallEndpointingReply::MAX_SECONDS))
}

impl CallEndpointingReply {
    /// The maximum wait in Vapi's schema, in seconds.
    pub const MAX_SECONDS: f64 = 15.0;

    /// Waits this many seconds, kept between 0 and
    /// [`MAX_SECONDS`](Self::MAX_SECONDS) as Vapi's schema requires.
    ///
    /// A negative, infinite or NaN wait becomes 0, because JSON has no
    /// infinity or NaN and serde_json would send `null`.
    pub fn wait_seconds(timeout_seconds: f64) -> Self {
        CallEndpointingReply {
            timeout_seconds: within(timeout_seconds, 0.0, Self::MAX_SECONDS),
        }
    }
}

json_replies!(CallEndpointingReply);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpointing_wait_within_schema() {
        assert_eq!(
            CallEndpointingReply::wait_seconds(-1.0).timeout_seconds,
            0.0
        );
        assert_eq!(CallEndpointingReply::wait_seconds(2.5).timeout_seconds, 2.5);
        assert_eq!(
            CallEndpointingReply::wait_seconds(40.0).timeout_seconds,
            15.0
        );
    }
}
