//! The reply to `server.voiceRequest`, which Vapi sends with text to speak
//! to the assistant's own voice server (`assistant.voice.server.url`). The
//! reply is raw PCM audio, not JSON.

use bytes::Bytes;
use http::StatusCode;

use super::{EventReply, HttpReply};

/// The reply to `server.voiceRequest`: raw audio, sent as the response body
/// with `Content-Type: application/octet-stream`, not as JSON.
///
/// The audio is signed 16-bit little-endian mono PCM at the sample rate the
/// request asked for (`VoiceRequest::sample_rate`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VoiceReply {
    pcm: Bytes,
}

impl VoiceReply {
    /// Wraps audio that is already 16-bit little-endian mono PCM bytes.
    pub fn pcm16_le(bytes: impl Into<Bytes>) -> Self {
        VoiceReply { pcm: bytes.into() }
    }

    /// Encodes samples as 16-bit little-endian mono PCM.
    pub fn from_samples(samples: &[i16]) -> Self {
        let bytes: Vec<u8> = samples
            .iter()
            .flat_map(|sample| sample.to_le_bytes())
            .collect();
        VoiceReply { pcm: bytes.into() }
    }

    /// Returns the PCM bytes.
    pub fn bytes(&self) -> &Bytes {
        &self.pcm
    }
}

impl crate::sealed::Sealed for VoiceReply {}

impl EventReply for VoiceReply {
    fn into_http_reply(self) -> HttpReply {
        HttpReply {
            status: StatusCode::OK,
            content_type: "application/octet-stream",
            body: self.pcm,
        }
    }
}
