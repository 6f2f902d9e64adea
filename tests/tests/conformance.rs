//! The conformance runner over the project's fixtures in `tests/cases`, and
//! over cases written here to prove the runner reports what differs.

use std::path::{Path, PathBuf};
use std::process::Command;

use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use webhook_tests::conformance::{Report, run_paths};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("cases")
}

fn write_cases(cases: &[Value]) -> tempfile::TempDir {
    let folder = tempfile::tempdir().unwrap();
    for case in cases {
        let id = case["id"].as_str().unwrap_or("unnamed");
        let text = serde_json::to_string_pretty(case).unwrap();
        std::fs::write(folder.path().join(format!("{id}.json")), text).unwrap();
    }
    folder
}

fn print(report: &Report) {
    for outcome in &report.outcomes {
        println!("{}", outcome.line());
    }
    println!("{}", report.summary());
}

fn status_update_case(id: &str, expect: Value) -> Value {
    json!({
        "id": id,
        "headers": {"Content-Type": "application/json", "x-vapi-secret": "test-secret-not-real"},
        "body": {"message": {
            "type": "status-update",
            "status": "ended",
            "endedReason": "customer-ended-call",
            "call": {"id": "call-test-0100"}
        }},
        "expect": expect
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shipped_cases_all_pass() {
    let report = run_paths(&[fixtures()]).await;
    print(&report);

    assert_eq!(report.failed(), 0, "{}", report.summary());
    let expected: Vec<String> = (1..=14).map(|n| format!("C{n:02}")).collect();
    assert_eq!(report.case_ids(), expected);
    // 14 cases and their 8 variants, each one outcome.
    assert_eq!(report.passed(), 22, "{}", report.summary());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn empty_expectation_is_failure() {
    let folder = write_cases(&[status_update_case("E01", json!({}))]);

    let report = run_paths(&[folder.path().to_path_buf()]).await;
    print(&report);

    assert_eq!(report.passed(), 0);
    assert_eq!(report.failed(), 1);
    let failures = &report.outcomes[0].failures;
    assert!(
        failures
            .iter()
            .any(|failure| failure.starts_with("expect:")),
        "{failures:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_expectations_are_failures() {
    let folder = write_cases(&[status_update_case(
        "W01",
        json!({
            "status": 500,
            "body": {"ok": true},
            "handler_called": false,
            "handler_sees": [{"path": "endedReason", "equals": "assistant-ended-call"}]
        }),
    )]);

    let report = run_paths(&[folder.path().to_path_buf()]).await;
    print(&report);

    assert_eq!(report.passed(), 0);
    assert_eq!(report.failed(), 1);
    let failures = &report.outcomes[0].failures;
    for field in ["status:", "body:", "handler_called:", "handler_sees:"] {
        assert!(
            failures.iter().any(|failure| failure.starts_with(field)),
            "no {field} failure in {failures:#?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeat_checks_every_delivery() {
    let mut passing = status_update_case(
        "R01",
        json!({"status_each": 200, "body": {}, "handler_called": true}),
    );
    passing["repeat"] = json!(3);
    let mut failing = status_update_case("R02", json!({"status_each": 202}));
    failing["repeat"] = json!(2);
    let folder = write_cases(&[passing, failing]);

    let report = run_paths(&[folder.path().to_path_buf()]).await;
    print(&report);

    assert!(report.outcomes[0].passed());
    let failures = &report.outcomes[1].failures;
    assert_eq!(failures.len(), 2, "{failures:#?}");
    assert!(failures[0].starts_with("delivery 1/2: status_each"));
    assert!(failures[1].starts_with("delivery 2/2: status_each"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pinned_clock_drives_hmac_tolerance() {
    let body =
        r#"{"message":{"type":"status-update","status":"ended","call":{"id":"call-test-0101"}}}"#;
    let timestamp = "1767225600";
    let mut mac = Hmac::<Sha256>::new_from_slice(b"test-secret-not-real").unwrap();
    mac.update(format!("{timestamp}.{body}").as_bytes());
    let signature = hex::encode(mac.finalize().into_bytes());
    let auth = json!({
        "mode": "hmac",
        "secret": "test-secret-not-real",
        "algorithm": "sha256",
        "signatureHeader": "x-signature",
        "timestampHeader": "x-timestamp",
        "includeTimestamp": true,
        "payloadFormat": "{timestamp}.{body}",
        "encoding": "hex",
        "toleranceSeconds": 300
    });
    let case = json!({
        "id": "H01",
        "headers": {"x-signature": signature, "x-timestamp": timestamp},
        "body": body,
        "config": {"auth": auth, "clock_unix_s": 1767225700},
        "expect": {"status": 200, "handler_called": true},
        "variants": [
            {
                "name": "clock past the tolerance",
                "config": {"auth": auth, "clock_unix_s": 1767226000},
                "expect": {"status": 401, "handler_called": false}
            },
            {
                "name": "unknown algorithm",
                "config": {"auth": {"mode": "hmac", "secret": "k", "algorithm": "md5"}},
                "expect": {"startup_error": true}
            }
        ]
    });
    let folder = write_cases(&[case]);

    let report = run_paths(&[folder.path().to_path_buf()]).await;
    print(&report);

    assert_eq!(report.failed(), 0, "{}", report.summary());
    assert_eq!(report.passed(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreadable_cases_are_failures() {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(folder.path().join("broken.json"), "{\"id\": ").unwrap();
    let typo = status_update_case("T01", json!({"status": 200, "stauts_each": 200}));
    std::fs::write(folder.path().join("typo.json"), typo.to_string()).unwrap();
    let missing = folder.path().join("no-such-case.json");
    let empty = tempfile::tempdir().unwrap();

    let report = run_paths(&[
        folder.path().to_path_buf(),
        missing,
        empty.path().to_path_buf(),
    ])
    .await;
    print(&report);

    assert_eq!(report.passed(), 0);
    assert_eq!(report.failed(), 4);
    let text: Vec<String> = report
        .outcomes
        .iter()
        .map(|outcome| outcome.line())
        .collect();
    assert!(
        text.iter().any(|line| line.contains("stauts_each")),
        "{text:#?}"
    );
    assert!(
        text.iter()
            .any(|line| line.contains("no `.json` case files")),
        "{text:#?}"
    );
}

#[test]
fn binary_exits_1_on_failure() {
    let folder = write_cases(&[
        status_update_case("B01", json!({"status": 200})),
        status_update_case("B02", json!({"status": 418})),
    ]);

    let output = Command::new(env!("CARGO_BIN_EXE_conformance"))
        .arg(folder.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();

    assert_eq!(output.status.code(), Some(1), "{stdout}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    assert_eq!(lines[0], "pass B01");
    assert!(
        lines[1].starts_with("FAIL B02: status: got 200, expected 418"),
        "{stdout}"
    );
    assert_eq!(lines[2], "1 passed, 1 failed");
}

#[test]
fn binary_exits_0_when_all_pass() {
    let folder = write_cases(&[status_update_case("B03", json!({"status": 200}))]);

    let output = Command::new(env!("CARGO_BIN_EXE_conformance"))
        .arg(folder.path().join("B03.json"))
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();

    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert_eq!(stdout.lines().last(), Some("1 passed, 0 failed"));
}

#[test]
fn binary_without_paths_is_a_usage_error() {
    let output = Command::new(env!("CARGO_BIN_EXE_conformance"))
        .output()
        .unwrap();

    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("usage: conformance PATH..."));
}
