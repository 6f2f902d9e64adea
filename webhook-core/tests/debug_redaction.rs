//! `Debug` of the payload types hides the caller's contact details, the
//! provider credentials that Vapi may send inside `phoneNumber`, and the
//! call's content (transcripts, summaries, recording URLs). These
//! tests decode a delivery through `Delivery::parse` and `Delivery::decode`,
//! as the generated handlers do, and check both the compact and the pretty
//! `Debug` forms.

use http::HeaderMap;
use webhook_core::events::{
    AssistantSpeechStarted, Chat, EndOfCallReport, StatusUpdate, Transcript, VoiceInput,
    VoiceRequest,
};
use webhook_core::{Delivery, Namespace};

// Each value below is distinctive, so finding it in the output can only
// mean that `Debug` printed it.
const CUSTOMER_NUMBER: &str = "+15550100177";
const CUSTOMER_NAME: &str = "Avery Caller-Name";
const CUSTOMER_EMAIL: &str = "avery@caller-mail.example";
const CUSTOMER_SIP_URI: &str = "sip:avery-caller@customer.example";
const CUSTOMER_EXTENSION: &str = "4477";
const CUSTOMER_EXTERNAL_ID: &str = "crm-customer-8841";
const CUSTOMER_EXTRA_VALUE: &str = "customer-extra-value-9051";
const VAPI_NUMBER: &str = "+15550100188";
const VAPI_SIP_URI: &str = "sip:vapi-number-secretive@sip.vapi.example";
const TWILIO_AUTH_TOKEN: &str = "twilio-auth-token-in-phone-number-3f9a";
const TWILIO_API_SECRET: &str = "twilio-api-secret-in-phone-number-71c2";
const CALL_TWILIO_AUTH_TOKEN: &str = "twilio-auth-token-in-call-phone-number-c04e";
const CALL_CUSTOMER_NUMBER: &str = "+15550100166";

/// Every personal or secret value the status update below contains.
const SECRETS: &[&str] = &[
    CUSTOMER_NUMBER,
    CUSTOMER_NAME,
    CUSTOMER_EMAIL,
    CUSTOMER_SIP_URI,
    CUSTOMER_EXTENSION,
    CUSTOMER_EXTERNAL_ID,
    CUSTOMER_EXTRA_VALUE,
    VAPI_NUMBER,
    VAPI_SIP_URI,
    TWILIO_AUTH_TOKEN,
    TWILIO_API_SECRET,
    CALL_TWILIO_AUTH_TOKEN,
    CALL_CUSTOMER_NUMBER,
];

/// Returns a `status-update` body that carries every value of [`SECRETS`].
fn status_update_body() -> String {
    serde_json::json!({
        "message": {
            "type": "status-update",
            "status": "in-progress",
            "timestamp": 1767225700000_u64,
            "call": {
                "id": "call-redaction-0001",
                "type": "inboundPhoneCall",
                "status": "in-progress",
                "phoneCallProvider": "twilio",
                "customer": { "number": CALL_CUSTOMER_NUMBER },
                "phoneNumber": {
                    "provider": "twilio",
                    "number": VAPI_NUMBER,
                    "twilioAccountSid": "AC-fixture-0001",
                    "twilioAuthToken": CALL_TWILIO_AUTH_TOKEN
                }
            },
            "customer": {
                "number": CUSTOMER_NUMBER,
                "name": CUSTOMER_NAME,
                "email": CUSTOMER_EMAIL,
                "sipUri": CUSTOMER_SIP_URI,
                "extension": CUSTOMER_EXTENSION,
                "externalId": CUSTOMER_EXTERNAL_ID,
                "numberE164CheckEnabled": true,
                "assistantOverrides": { "note": CUSTOMER_EXTRA_VALUE }
            },
            "phoneNumber": {
                "id": "pn-redaction-0001",
                "provider": "twilio",
                "name": "Support line",
                "number": VAPI_NUMBER,
                "sipUri": VAPI_SIP_URI,
                "twilioAccountSid": "AC-fixture-0001",
                "twilioAuthToken": TWILIO_AUTH_TOKEN,
                "twilioApiSecret": TWILIO_API_SECRET
            }
        }
    })
    .to_string()
}

fn decode_status_update(body: &str) -> StatusUpdate {
    let headers = HeaderMap::new();
    let delivery =
        Delivery::parse(Namespace::Server, &headers, body.as_bytes()).expect("valid delivery");
    delivery
        .decode::<StatusUpdate>()
        .expect("valid status update")
}

/// Returns the compact and the pretty `Debug` forms, each with its format.
fn debug_forms(payload: &StatusUpdate) -> [(&'static str, String); 2] {
    [
        ("{:?}", format!("{payload:?}")),
        ("{:#?}", format!("{payload:#?}")),
    ]
}

#[test]
fn debug_hides_personal_values_and_credentials() {
    let payload = decode_status_update(&status_update_body());

    for (format, output) in debug_forms(&payload) {
        for secret in SECRETS {
            assert!(
                !output.contains(secret),
                "{format} prints {secret:?}:\n{output}"
            );
        }
    }
}

#[test]
fn debug_keeps_non_personal_fields() {
    let payload = decode_status_update(&status_update_body());

    for (format, output) in debug_forms(&payload) {
        for expected in [
            "call-redaction-0001",
            "InProgress",
            "inboundPhoneCall",
            "pn-redaction-0001",
            "Support line",
            "number_e164_check_enabled",
        ] {
            assert!(
                output.contains(expected),
                "{format} lacks {expected:?}:\n{output}"
            );
        }
    }
}

#[test]
fn debug_names_redacted_fields() {
    let payload = decode_status_update(&status_update_body());

    let compact = format!("{payload:?}");
    for field in [
        "number: Some(<redacted>)",
        "name: Some(<redacted>)",
        "email: Some(<redacted>)",
        "sip_uri: Some(<redacted>)",
        "extension: Some(<redacted>)",
        "external_id: Some(<redacted>)",
    ] {
        assert!(
            compact.contains(field),
            "{{:?}} lacks {field:?}:\n{compact}"
        );
    }

    let pretty = format!("{payload:#?}");
    for field in ["number: Some(", "sip_uri: Some(", "email: Some("] {
        assert!(pretty.contains(field), "{{:#?}} lacks {field:?}:\n{pretty}");
    }
    assert!(pretty.contains("<redacted>"), "{{:#?}}:\n{pretty}");
}

#[test]
fn debug_shows_extra_keys_only() {
    let payload = decode_status_update(&status_update_body());

    let phone_number = payload.phone_number.as_ref().expect("phone number");
    let phone_number_debug = format!("{phone_number:?}");
    for key in ["twilioAuthToken", "twilioApiSecret", "twilioAccountSid"] {
        assert!(
            phone_number_debug.contains(&format!("{key:?}: <redacted>")),
            "`PhoneNumber` Debug lacks the key {key:?}:\n{phone_number_debug}"
        );
    }
    assert!(
        !phone_number_debug.contains("AC-fixture-0001"),
        "`PhoneNumber` Debug prints an `extra` value:\n{phone_number_debug}"
    );

    let call = payload.call.as_ref().expect("call");
    let call_debug = format!("{call:?}");
    assert!(
        call_debug.contains("\"phoneNumber\": <redacted>"),
        "`Call` Debug lacks the key `phoneNumber`:\n{call_debug}"
    );

    let customer = payload.customer.as_ref().expect("customer");
    let customer_debug = format!("{customer:?}");
    assert!(
        customer_debug.contains("\"assistantOverrides\": <redacted>"),
        "`Customer` Debug lacks the key `assistantOverrides`:\n{customer_debug}"
    );
}

#[test]
fn debug_shows_absent_redacted_field_as_none() {
    let body = serde_json::json!({
        "message": {
            "type": "status-update",
            "customer": { "number": CUSTOMER_NUMBER }
        }
    })
    .to_string();
    let payload = decode_status_update(&body);

    let customer = payload.customer.as_ref().expect("customer");
    let output = format!("{customer:?}");
    assert!(output.contains("number: Some(<redacted>)"), "{output}");
    assert!(output.contains("email: None"), "{output}");
    assert!(output.contains("extra: {}"), "{output}");
}

#[test]
fn redaction_leaves_field_values() {
    let payload = decode_status_update(&status_update_body());

    let customer = payload.customer.as_ref().expect("customer");
    assert_eq!(customer.number.as_deref(), Some(CUSTOMER_NUMBER));
    assert_eq!(customer.name.as_deref(), Some(CUSTOMER_NAME));
    assert_eq!(customer.email.as_deref(), Some(CUSTOMER_EMAIL));
    assert_eq!(customer.sip_uri.as_deref(), Some(CUSTOMER_SIP_URI));
    assert_eq!(customer.extension.as_deref(), Some(CUSTOMER_EXTENSION));
    assert_eq!(customer.external_id.as_deref(), Some(CUSTOMER_EXTERNAL_ID));

    let phone_number = payload.phone_number.as_ref().expect("phone number");
    assert_eq!(phone_number.number.as_deref(), Some(VAPI_NUMBER));
    assert_eq!(phone_number.sip_uri.as_deref(), Some(VAPI_SIP_URI));
    assert_eq!(
        phone_number.extra["twilioAuthToken"]
            .parse_owned::<String>()
            .unwrap(),
        TWILIO_AUTH_TOKEN
    );

    let call = payload.call.as_ref().expect("call");
    let call_phone_number = call.extra["phoneNumber"].to_value().expect("a JSON value");
    assert_eq!(call_phone_number["twilioAuthToken"], CALL_TWILIO_AUTH_TOKEN);
}

#[test]
fn redaction_leaves_serialised_json() {
    let payload = decode_status_update(&status_update_body());

    let json = serde_json::to_string(&payload).expect("payload serialises");
    for secret in [CUSTOMER_NUMBER, VAPI_SIP_URI, TWILIO_AUTH_TOKEN] {
        assert!(json.contains(secret), "JSON lacks {secret:?}: {json}");
    }
}

#[test]
fn unredacted_struct_prints_values() {
    // Payload structs are non-exhaustive: built from the default outside
    // the crate.
    let mut chat = Chat::default();
    chat.id = Some("chat-redaction-0001".to_owned());

    assert_eq!(
        format!("{chat:?}"),
        r#"Chat { id: Some("chat-redaction-0001"), extra: {} }"#
    );
}

#[test]
fn debug_hides_raw_json_fields() {
    // Free-form fields and unknown message fields are `RawJson`, whose
    // `Debug` shows only a size: an assistant's server headers and a tool's
    // credentials stay out of the output.
    let body = r#"{"message":{"type":"tool-calls",
        "assistant":{"server":{"headers":{"x-api-key":"assistant-key-5e1d"}}},
        "toolWithToolCallList":[{"server":{"headers":{"Authorization":"Bearer tool-key-77aa"}}}],
        "customerPhone":"+15550100199",
        "toolCallList":[{"id":"c1","function":{"name":"lookup"}}]}}"#;
    let headers = HeaderMap::new();
    let delivery = Delivery::parse(Namespace::Server, &headers, body.as_bytes()).expect("routes");
    let payload = delivery
        .decode::<webhook_core::events::ToolCalls>()
        .expect("decodes");
    for form in [format!("{payload:?}"), format!("{payload:#?}")] {
        for secret in ["assistant-key-5e1d", "tool-key-77aa", "+15550100199"] {
            assert!(!form.contains(secret), "{secret} in {form}");
        }
        assert!(form.contains("lookup"), "{form}");
    }
}

#[test]
fn debug_hides_call_content() {
    // The caller's words, their summary, the call's name and the
    // links to the recordings stay out of `Debug`; ids and types stay in.
    let content = [
        "caller-said-my-card-is-4111",
        "assistant-replied-about-the-card",
        "summary-of-the-card-call",
        "tool-result-with-balance-912",
        "Call for Avery Caller-Name",
        "https://storage.example/recording-mono-5521.wav",
        "https://storage.example/recording-stereo-5522.wav",
        "https://storage.example/recording-video-5523.mp4",
        "https://storage.example/capture-5524.pcap",
        "https://storage.example/log-5525.txt",
        "https://storage.example/combined-5526.wav",
        "https://storage.example/customer-5527.wav",
    ];
    let body = serde_json::json!({"message": {
        "type": "end-of-call-report",
        "endedReason": "customer-ended-call",
        "call": {"id": "call-redaction-0002", "name": content[4]},
        "summary": content[2],
        "transcript": content[0],
        "recordingUrl": content[5],
        "stereoRecordingUrl": content[6],
        "artifact": {
            "transcript": content[0],
            "messages": [
                {"role": "user", "message": content[0], "time": 1},
                {"role": "assistant", "message": content[1], "time": 2},
                {"role": "tool_call_result", "result": content[3], "name": "balance", "time": 3}
            ],
            "recordingUrl": content[5],
            "stereoRecordingUrl": content[6],
            "videoRecordingUrl": content[7],
            "pcapUrl": content[8],
            "logUrl": content[9],
            "recording": {"stereoUrl": content[6], "videoUrl": content[7],
                "mono": {"combinedUrl": content[10], "assistantUrl": content[10], "customerUrl": content[11]}}
        },
        "analysis": {"summary": content[2]}
    }})
    .to_string();
    let headers = HeaderMap::new();
    let delivery = Delivery::parse(Namespace::Server, &headers, body.as_bytes()).expect("routes");
    let report = delivery.decode::<EndOfCallReport>().expect("decodes");

    for form in [format!("{report:?}"), format!("{report:#?}")] {
        for value in content {
            assert!(!form.contains(value), "{value} in {form}");
        }
        for visible in [
            "call-redaction-0002",
            "CustomerEndedCall",
            "balance",
            "ToolCallResult",
        ] {
            assert!(form.contains(visible), "{visible} missing from {form}");
        }
    }
    assert_eq!(report.transcript(), Some(content[0]));
    assert_eq!(report.summary(), Some(content[2]));
}

#[test]
fn debug_hides_live_speech() {
    let cases = [
        r#"{"message":{"type":"transcript","role":"user","transcriptType":"final","transcript":"live-words-6631","originalTranscript":"live-words-6632"}}"#,
        r#"{"message":{"type":"voice-input","input":"live-words-6633"}}"#,
        r#"{"message":{"type":"assistant.speechStarted","text":"live-words-6634"}}"#,
        r#"{"message":{"type":"voice-request","text":"live-words-6635","sampleRate":24000}}"#,
        r#"{"message":{"type":"status-update","status":"ended","transcript":"live-words-6636","summary":"live-words-6637"}}"#,
    ];
    for body in cases {
        let headers = HeaderMap::new();
        let delivery =
            Delivery::parse(Namespace::Server, &headers, body.as_bytes()).expect("routes");
        let form = match delivery.wire_type() {
            "transcript" => format!("{:?}", delivery.decode::<Transcript>().expect("decodes")),
            "voice-input" => format!("{:?}", delivery.decode::<VoiceInput>().expect("decodes")),
            "assistant.speechStarted" => format!(
                "{:?}",
                delivery
                    .decode::<AssistantSpeechStarted>()
                    .expect("decodes")
            ),
            "voice-request" => format!("{:?}", delivery.decode::<VoiceRequest>().expect("decodes")),
            _ => format!("{:?}", delivery.decode::<StatusUpdate>().expect("decodes")),
        };
        assert!(!form.contains("live-words"), "{form}");
        assert!(form.contains("Some(<redacted>)"), "{form}");
    }
}
