//! Realistic request bodies for the benchmarks, generated in code so every
//! run measures the same bytes.
//!
//! The shapes follow Vapi's server-message schema (`ServerMessageToolCalls`,
//! `ServerMessageStatusUpdate`, `ServerMessageEndOfCallReport`,
//! `ServerMessageConversationUpdate` and the `Call`, `Artifact`, message and
//! cost objects they reference), plus the fields Vapi sends beyond it
//! (`durationSeconds`, top-level `summary` and `transcript`). Keys are
//! written in the schema's property order, which puts `type` near the start
//! of `message`; [`type_last`] moves it to the end for the worst case of the
//! type peek. Text comes from a fixed vocabulary and a seeded generator, so
//! the bodies are identical on every run and machine.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

/// A JSON value that keeps its keys in insertion order.
///
/// `serde_json::Value` sorts keys unless the `preserve_order` feature is on,
/// and turning that feature on here would change `Value` for every crate in
/// the build, including the baseline being measured.
#[derive(Clone, Debug)]
pub enum Json {
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Array(Vec<Json>),
    Object(Vec<(&'static str, Json)>),
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Bool(value) => serializer.serialize_bool(*value),
            Json::Int(value) => serializer.serialize_i64(*value),
            Json::Float(value) => serializer.serialize_f64(*value),
            Json::Str(value) => serializer.serialize_str(value),
            Json::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Json::Object(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (key, value) in entries {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

impl From<&str> for Json {
    fn from(value: &str) -> Self {
        Json::Str(value.to_owned())
    }
}

impl From<String> for Json {
    fn from(value: String) -> Self {
        Json::Str(value)
    }
}

impl From<i64> for Json {
    fn from(value: i64) -> Self {
        Json::Int(value)
    }
}

impl From<f64> for Json {
    fn from(value: f64) -> Self {
        Json::Float(value)
    }
}

impl From<bool> for Json {
    fn from(value: bool) -> Self {
        Json::Bool(value)
    }
}

impl From<Vec<Json>> for Json {
    fn from(items: Vec<Json>) -> Self {
        Json::Array(items)
    }
}

/// Builds a [`Json::Object`] whose keys keep the order written.
macro_rules! object {
    ($($key:literal : $value:expr),* $(,)?) => {
        Json::Object(vec![$(($key, Json::from($value))),*])
    };
}

/// The bodies every benchmark uses, built once.
#[derive(Debug)]
pub struct Bodies {
    /// A `tool-calls` message with two calls and a short history, about 4 KB.
    pub tool_calls: Vec<u8>,
    /// A `status-update` of a call in progress, about 2 KB.
    pub status_update: Vec<u8>,
    /// An `end-of-call-report` of a short call, about 100 KB.
    pub report_100k: Vec<u8>,
    /// An `end-of-call-report` of a long call, about 2 MB.
    pub report_2m: Vec<u8>,
    /// The same 2 MB report with `type` as the last key of `message`.
    pub report_2m_type_last: Vec<u8>,
    /// A `conversation-update` of about 2 MB, a type the benchmark hooks do
    /// not handle.
    pub unhandled_2m: Vec<u8>,
}

impl Bodies {
    /// Generates every body.
    pub fn generate() -> Bodies {
        let report_2m = end_of_call_report(2_000_000);
        Bodies {
            tool_calls: to_body(&tool_calls()),
            status_update: to_body(&status_update()),
            report_100k: to_body(&end_of_call_report(100_000)),
            report_2m_type_last: to_body(&type_last(report_2m.clone())),
            report_2m: to_body(&report_2m),
            unhandled_2m: to_body(&conversation_update(2_000_000)),
        }
    }
}

fn to_body(message: &Json) -> Vec<u8> {
    let envelope = Json::Object(vec![("message", message.clone())]);
    serde_json::to_vec(&envelope).expect("an ordered JSON value always serialises")
}

/// Moves the `type` key of a message to the end.
pub fn type_last(message: Json) -> Json {
    let Json::Object(mut entries) = message else {
        return message;
    };
    if let Some(index) = entries.iter().position(|(key, _)| *key == "type") {
        let entry = entries.remove(index);
        entries.push(entry);
    }
    Json::Object(entries)
}

/// Builds a `tool-calls` message: `lookupOrder` with object arguments and
/// `checkAvailability` with arguments as a JSON string, as OpenAI sends them.
pub fn tool_calls() -> Json {
    let mut text = Text::new(0x7001);
    let conversation = Conversation::generate(&mut text, 3, CALL_START_MS);
    let lookup = tool_call(
        "call_0001lookupOrderAAAA",
        "lookupOrder",
        object! {"orderId": "ORD-1001"},
    );
    let availability = tool_call(
        "call_0002checkAvailabilityA",
        "checkAvailability",
        Json::Str(r#"{"date":"2030-01-10"}"#.to_owned()),
    );

    object! {
        "phoneNumber": phone_number(),
        "type": "tool-calls",
        "toolWithToolCallList": vec![
            tool_with_call("lookupOrder", "Finds an order by id.", lookup.clone()),
            tool_with_call("checkAvailability", "Lists free slots on a day.", availability.clone()),
        ],
        "timestamp": CALL_START_MS + 60_000,
        "artifact": object! {
            "messages": conversation.messages,
            "messagesOpenAIFormatted": conversation.openai,
        },
        "customer": customer(),
        "call": call("in-progress", None),
        "toolCallList": vec![lookup, availability],
    }
}

/// Builds a `status-update` of a call that just connected.
pub fn status_update() -> Json {
    object! {
        "phoneNumber": phone_number(),
        "type": "status-update",
        "status": "in-progress",
        "timestamp": CALL_START_MS + 1_500,
        "artifact": object! {
            "messages": Vec::<Json>::new(),
            "messagesOpenAIFormatted": Vec::<Json>::new(),
        },
        "assistant": assistant(),
        "customer": customer(),
        "call": call("in-progress", None),
    }
}

/// Builds an `end-of-call-report` whose serialised `message` is about
/// `target_bytes` long, by growing the conversation.
pub fn end_of_call_report(target_bytes: usize) -> Json {
    let turns = turns_for(target_bytes, report_with_turns);
    report_with_turns(turns)
}

/// Builds a `conversation-update` whose serialised `message` is about
/// `target_bytes` long.
pub fn conversation_update(target_bytes: usize) -> Json {
    let turns = turns_for(target_bytes, conversation_update_with_turns);
    conversation_update_with_turns(turns)
}

fn report_with_turns(turns: usize) -> Json {
    let mut text = Text::new(0xE0C0);
    let conversation = Conversation::generate(&mut text, turns, CALL_START_MS);
    let ended_ms = conversation.end_ms + 2_000;
    let duration_seconds = (ended_ms - CALL_START_MS) as f64 / 1000.0;
    let summary = text.sentence(40);

    object! {
        "phoneNumber": phone_number(),
        "type": "end-of-call-report",
        "endedReason": "customer-ended-call",
        "cost": 0.0123 * duration_seconds,
        "costs": costs(duration_seconds),
        "timestamp": ended_ms + 4_000,
        "artifact": object! {
            "messages": conversation.messages,
            "messagesOpenAIFormatted": conversation.openai,
            "recordingUrl": "https://storage.example.invalid/recordings/call-0001-mono.wav",
            "stereoRecordingUrl": "https://storage.example.invalid/recordings/call-0001-stereo.wav",
            "recording": object! {
                "stereoUrl": "https://storage.example.invalid/recordings/call-0001-stereo.wav",
                "mono": object! {
                    "combinedUrl": "https://storage.example.invalid/recordings/call-0001-mono.wav",
                    "assistantUrl": "https://storage.example.invalid/recordings/call-0001-assistant.wav",
                    "customerUrl": "https://storage.example.invalid/recordings/call-0001-customer.wav",
                },
            },
            "transcript": conversation.transcript.clone(),
            "logUrl": "https://storage.example.invalid/logs/call-0001.jsonl.gz",
            "variableValues": object! {"customerName": "Ada", "orderId": "ORD-1001"},
        },
        "assistant": assistant(),
        "customer": customer(),
        "call": call("ended", Some(ended_ms)),
        "analysis": object! {
            "summary": summary.clone(),
            "structuredData": object! {"orderId": "ORD-1001", "booked": true, "sentiment": "positive"},
            "successEvaluation": "true",
        },
        "startedAt": iso_time(CALL_START_MS),
        "endedAt": iso_time(ended_ms),
        "durationSeconds": duration_seconds,
        "durationMs": (ended_ms - CALL_START_MS) as f64,
        "summary": summary,
        "transcript": conversation.transcript,
        "recordingUrl": "https://storage.example.invalid/recordings/call-0001-mono.wav",
        "stereoRecordingUrl": "https://storage.example.invalid/recordings/call-0001-stereo.wav",
    }
}

fn conversation_update_with_turns(turns: usize) -> Json {
    let mut text = Text::new(0xC0DE);
    let conversation = Conversation::generate(&mut text, turns, CALL_START_MS);

    object! {
        "phoneNumber": phone_number(),
        "type": "conversation-update",
        "messages": conversation.messages.clone(),
        "messagesOpenAIFormatted": conversation.openai.clone(),
        "timestamp": conversation.end_ms,
        "artifact": object! {
            "messages": conversation.messages,
            "messagesOpenAIFormatted": conversation.openai,
            "transcript": conversation.transcript,
        },
        "assistant": assistant(),
        "customer": customer(),
        "call": call("in-progress", None),
    }
}

/// Finds the number of turns that brings a message to about `target_bytes`,
/// from the size of two small builds (the size grows linearly in turns).
fn turns_for(target_bytes: usize, build: fn(usize) -> Json) -> usize {
    let size = |turns| serde_json::to_vec(&build(turns)).map_or(0, |bytes| bytes.len());
    let base = size(0);
    let per_turn = (size(64).saturating_sub(base) / 64).max(1);
    target_bytes.saturating_sub(base) / per_turn
}

/// 2026-01-01T00:00:00Z in Unix milliseconds.
const CALL_START_MS: i64 = 1_767_225_600_000;

/// Formats a Unix time in milliseconds as Vapi writes timestamps, e.g.
/// `2026-01-01T00:00:01.500Z`.
fn iso_time(unix_ms: i64) -> String {
    let format = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    );
    let date_time =
        time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(unix_ms) * 1_000_000)
            .expect("benchmark times are within the years 1 to 9999");
    date_time
        .format(&format)
        .expect("the format has only numeric components")
}

fn phone_number() -> Json {
    object! {
        "provider": "twilio",
        "number": "+15555550100",
        "twilioAccountSid": "AC00000000000000000000000000000000",
        "name": "Front desk line",
        "assistantId": "asst-support-0001",
        "id": "pn-0001",
        "orgId": "org-0001",
    }
}

fn customer() -> Json {
    object! {"number": "+15555550106", "name": "Ada"}
}

fn call(status: &str, ended_ms: Option<i64>) -> Json {
    let mut entries = vec![
        ("type", Json::from("inboundPhoneCall")),
        ("status", Json::from(status)),
        ("phoneCallProvider", Json::from("twilio")),
        ("phoneCallTransport", Json::from("pstn")),
        ("id", Json::from("call-0001")),
        ("orgId", Json::from("org-0001")),
        ("createdAt", Json::from(iso_time(CALL_START_MS - 1_200))),
        ("updatedAt", Json::from(iso_time(CALL_START_MS + 1_000))),
        ("startedAt", Json::from(iso_time(CALL_START_MS))),
    ];
    if let Some(ended_ms) = ended_ms {
        entries.push(("endedAt", Json::from(iso_time(ended_ms))));
        entries.push(("endedReason", Json::from("customer-ended-call")));
    }
    entries.extend([
        (
            "monitor",
            object! {
                "listenUrl": "wss://phone-call-websocket.example.invalid/call-0001/listen",
                "controlUrl": "https://phone-call-control.example.invalid/call-0001/control",
            },
        ),
        (
            "phoneCallProviderId",
            Json::from("CA00000000000000000000000000000001"),
        ),
        ("assistantId", Json::from("asst-support-0001")),
        ("phoneNumberId", Json::from("pn-0001")),
        ("customer", customer()),
    ]);
    Json::Object(entries)
}

/// Builds the assistant configuration Vapi attaches to most messages.
fn assistant() -> Json {
    object! {
        "name": "Front desk",
        "transcriber": object! {"provider": "deepgram", "model": "nova-2", "language": "en"},
        "model": object! {
            "provider": "openai",
            "model": "gpt-4o-mini",
            "temperature": 0.3,
            "messages": vec![object! {
                "role": "system",
                "content": "You are a concise front-desk assistant. Use lookupOrder for order questions and checkAvailability then bookAppointment for visits. Never invent an order status or a free slot.",
            }],
            "toolIds": vec![Json::from("tool-lookup-order"), Json::from("tool-check-availability")],
        },
        "voice": object! {"provider": "11labs", "voiceId": "voice-0001", "stability": 0.5},
        "firstMessage": "Thanks for calling. I can check an order or book a visit. How can I help?",
        "endCallPhrases": vec![Json::from("goodbye"), Json::from("talk to you soon")],
        "serverMessages": vec![
            Json::from("end-of-call-report"),
            Json::from("status-update"),
            Json::from("tool-calls"),
            Json::from("transfer-destination-request"),
        ],
        "server": object! {"url": "https://agent.example.invalid/api/webhook", "timeoutSeconds": 20},
    }
}

fn tool_call(id: &str, name: &str, arguments: Json) -> Json {
    object! {
        "id": id,
        "type": "function",
        "function": object! {"name": name, "arguments": arguments},
    }
}

fn tool_with_call(name: &str, description: &str, call: Json) -> Json {
    object! {
        "type": "function",
        "function": object! {
            "name": name,
            "description": description,
            "parameters": object! {
                "type": "object",
                "properties": object! {
                    "orderId": object! {"type": "string", "description": "The order id, e.g. ORD-1001."},
                    "date": object! {"type": "string", "description": "The day, YYYY-MM-DD."},
                },
            },
        },
        "server": object! {"url": "https://agent.example.invalid/api/webhook"},
        "messages": Vec::<Json>::new(),
        "toolCall": call,
    }
}

fn costs(duration_seconds: f64) -> Json {
    let minutes = duration_seconds / 60.0;
    Json::Array(vec![
        object! {"type": "transport", "provider": "twilio", "minutes": minutes, "cost": 0.0085 * minutes},
        object! {"type": "transcriber", "transcriber": object! {"provider": "deepgram", "model": "nova-2"}, "minutes": minutes, "cost": 0.01 * minutes},
        object! {"type": "model", "model": object! {"provider": "openai", "model": "gpt-4o-mini"}, "promptTokens": 12_000_i64, "completionTokens": 900_i64, "cost": 0.0025},
        object! {"type": "voice", "voice": object! {"provider": "11labs", "voiceId": "voice-0001"}, "characters": 4_200_i64, "cost": 0.04},
        object! {"type": "vapi", "subType": "normal", "minutes": minutes, "cost": 0.05 * minutes},
        object! {"type": "analysis", "analysisType": "summary", "model": object! {"provider": "openai", "model": "gpt-4o-mini"}, "promptTokens": 3_000_i64, "completionTokens": 120_i64, "cost": 0.0006},
    ])
}

/// A generated conversation in the three forms Vapi sends it.
struct Conversation {
    /// `artifact.messages`: Vapi's turn objects.
    messages: Vec<Json>,
    /// `messagesOpenAIFormatted`: the same turns as OpenAI chat messages.
    openai: Vec<Json>,
    /// `AI: ...` / `User: ...` lines.
    transcript: String,
    /// When the last turn ended, in Unix milliseconds.
    end_ms: i64,
}

impl Conversation {
    /// Generates a system prompt and `turns` spoken turns, alternating
    /// assistant and caller, with a tool call and its result after every
    /// tenth turn.
    fn generate(text: &mut Text, turns: usize, start_ms: i64) -> Conversation {
        let prompt = "You are a concise front-desk assistant for an espresso machine shop.";
        let mut conversation = Conversation {
            messages: vec![
                object! {"role": "system", "message": prompt, "time": start_ms, "secondsFromStart": 0_i64},
            ],
            openai: vec![object! {"role": "system", "content": prompt}],
            transcript: String::new(),
            end_ms: start_ms,
        };

        let mut now_ms = start_ms + 400;
        for turn in 0..turns {
            let words = 12 + text.below(24);
            let spoken = text.sentence(words);
            let duration_ms = 250 * spoken.split(' ').count() as i64;
            let is_bot = turn % 2 == 0;
            conversation.push_turn(is_bot, spoken, now_ms, duration_ms, start_ms);
            now_ms += duration_ms + 300 + text.below(900) as i64;

            if turn % 10 == 9 {
                conversation.push_tool_call(turn, now_ms, start_ms);
                now_ms += 800;
            }
        }
        conversation.end_ms = now_ms;
        conversation
    }

    fn push_turn(
        &mut self,
        is_bot: bool,
        spoken: String,
        now_ms: i64,
        duration_ms: i64,
        start_ms: i64,
    ) {
        let seconds_from_start = (now_ms - start_ms) as f64 / 1000.0;
        let (role, openai_role, speaker) = if is_bot {
            ("bot", "assistant", "AI")
        } else {
            ("user", "user", "User")
        };
        let mut entries = vec![
            ("role", Json::from(role)),
            ("message", Json::from(spoken.clone())),
            ("time", Json::from(now_ms)),
            ("endTime", Json::from(now_ms + duration_ms)),
            ("secondsFromStart", Json::from(seconds_from_start)),
            ("duration", Json::from(duration_ms)),
        ];
        if is_bot {
            entries.push(("source", Json::from("")));
        }
        self.messages.push(Json::Object(entries));
        self.openai
            .push(object! {"role": openai_role, "content": spoken.clone()});
        self.transcript.push_str(speaker);
        self.transcript.push_str(": ");
        self.transcript.push_str(&spoken);
        self.transcript.push('\n');
    }

    fn push_tool_call(&mut self, turn: usize, now_ms: i64, start_ms: i64) {
        let id = format!("call_{turn:04}lookupOrderHistory");
        let arguments = format!(r#"{{"orderId":"ORD-{}"}}"#, 1000 + turn % 3);
        let result = r#"{"orderId":"ORD-1001","status":"shipped","estimatedDelivery":"2030-01-12","items":"1 x espresso machine"}"#;
        let seconds_from_start = (now_ms - start_ms) as f64 / 1000.0;
        let call = object! {
            "id": id.clone(),
            "type": "function",
            "function": object! {"name": "lookupOrder", "arguments": arguments},
        };

        self.messages.push(object! {
            "role": "tool_calls",
            "toolCalls": vec![call.clone()],
            "message": "",
            "time": now_ms,
            "secondsFromStart": seconds_from_start,
        });
        self.messages.push(object! {
            "role": "tool_call_result",
            "toolCallId": id.clone(),
            "name": "lookupOrder",
            "result": result,
            "time": now_ms + 600,
            "secondsFromStart": seconds_from_start + 0.6,
        });
        self.openai
            .push(object! {"role": "assistant", "tool_calls": vec![call]});
        self.openai
            .push(object! {"role": "tool", "tool_call_id": id, "content": result});
    }
}

/// Seeded words for generated speech (SplitMix64 over a fixed vocabulary).
struct Text {
    state: u64,
}

const WORDS: &[&str] = &[
    "order",
    "shipped",
    "delivery",
    "tomorrow",
    "espresso",
    "machine",
    "grinder",
    "appointment",
    "morning",
    "afternoon",
    "could",
    "you",
    "please",
    "check",
    "my",
    "the",
    "a",
    "is",
    "it",
    "when",
    "will",
    "arrive",
    "thank",
    "sure",
    "let",
    "me",
    "look",
    "that",
    "up",
    "one",
    "moment",
    "I",
    "see",
    "your",
    "for",
    "two",
    "on",
    "Friday",
    "at",
    "nine",
    "eleven",
    "o'clock",
    "works",
    "great",
    "anything",
    "else",
    "no",
    "that's",
    "all",
    "goodbye",
    "number",
    "ORD-1001",
    "warranty",
    "repair",
    "milk",
    "jug",
    "cancel",
    "refund",
    "café",
    "\"quoted\"",
    "confirm",
    "booking",
    "name",
    "Ada",
    "Lovelace",
    "address",
    "street",
];

impl Text {
    fn new(seed: u64) -> Text {
        Text { state: seed }
    }

    fn next(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Returns a number in `0..bound`.
    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }

    /// Returns `words` words, capitalised and ending with a full stop.
    fn sentence(&mut self, words: usize) -> String {
        let mut sentence = String::new();
        for index in 0..words {
            if index > 0 {
                sentence.push(' ');
            }
            sentence.push_str(WORDS[self.below(WORDS.len())]);
        }
        if let Some(first) = sentence.get(..1) {
            let upper = first.to_uppercase();
            sentence.replace_range(..1, &upper);
        }
        sentence.push('.');
        sentence
    }
}
