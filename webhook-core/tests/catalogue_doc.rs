//! The catalogue table in the crate docs (`src/catalogue.md`) is generated
//! from the catalogue itself; this test fails when the two differ.

use std::fmt::Write;
use std::path::PathBuf;

use webhook_core::{EVENTS, Namespace};

fn render() -> String {
    let mut text =
        String::from("| name | wire type | payload | reply |\n| --- | --- | --- | --- |\n");
    for namespace in Namespace::ALL {
        for def in EVENTS.iter().filter(|def| def.namespace == namespace) {
            let wire = def
                .wire_types
                .iter()
                .map(|wire| format!("`{wire}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let reply = match def.reply {
                "NoReply" => "none: `200 {}`".to_owned(),
                "ClientReply" => {
                    "[`ClientReply`](crate::reply::ClientReply): an optional client message"
                        .to_owned()
                }
                "VoiceReply" => {
                    "[`VoiceReply`](crate::reply::VoiceReply): raw PCM bytes".to_owned()
                }
                other => format!("[`{other}`](crate::reply::{other})"),
            };
            let payload = def.payload.replace(' ', "");
            writeln!(
                text,
                "| `{}.{}` | {wire} | [`{payload}`](crate::events::{payload}) | {reply} |",
                namespace.as_str(),
                def.method,
            )
            .expect("writing to a String");
        }
    }
    text
}

#[test]
fn catalogue_doc_matches_catalogue() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/catalogue.md");
    let expected = render();
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &expected).expect("write catalogue.md");
        return;
    }
    let actual = std::fs::read_to_string(&path).expect("read catalogue.md");
    assert_eq!(
        actual, expected,
        "src/catalogue.md is out of date; rerun with UPDATE_SNAPSHOTS=1"
    );
}

#[test]
fn catalogue_has_every_vapi_type() {
    let server = EVENTS
        .iter()
        .filter(|def| def.namespace == Namespace::Server)
        .count();
    let client = EVENTS
        .iter()
        .filter(|def| def.namespace == Namespace::Client)
        .count();
    // 29 current server types plus the legacy `function-call` and
    // `assistant.started`. 22 client types of Vapi's `ClientMessage`, plus
    // four that `assistant.clientMessages` lists without a message schema:
    // `status-update`, `function-call`, `function-call-result` and
    // `tool.completed`.
    assert_eq!(server, 31);
    assert_eq!(client, 26);
}
