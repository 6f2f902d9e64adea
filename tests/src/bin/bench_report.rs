//! Prints the benchmark results as Markdown tables of medians and ratios,
//! each ratio next to its target.
//!
//! It reads what the benchmarks of `tests/bench/run.sh` left behind: the
//! criterion estimates under `<target>/criterion`, and `ratios.json`,
//! `allocations.json` and `http.json` under `$BENCH_RESULTS_DIR` (default
//! `<target>/bench-results`), where `<target>` is the target folder this
//! program was built into.
//! A missing result prints as `-`, so the report also works after running
//! one benchmark alone.
//!
//! `cargo run -p webhook-tests --bin bench_report`

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value;

fn main() {
    let target = target_dir();
    let results = match std::env::var_os("BENCH_RESULTS_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => target.join("bench-results"),
    };
    let criterion = Criterion {
        dir: target.join("criterion"),
    };

    let mut report = String::new();
    let ratios = read_json(&results.join("ratios.json"));
    deliveries(&mut report, &ratios);
    unhandled(&mut report, &ratios);
    criterion_medians(&mut report, &criterion);
    parsing(&mut report, &criterion);
    authentication(&mut report, &criterion);
    allocations(&mut report, &read_json(&results.join("allocations.json")));
    http(&mut report, &read_json(&results.join("http.json")));
    print!("{report}");
}

/// Returns the target folder this program was built into
/// (`<target>/<profile>/bench_report`), where the benchmarks built by the
/// same cargo settings write their results.
fn target_dir() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.to_path_buf()))
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"))
}

/// The median estimates criterion saved for the last run.
struct Criterion {
    dir: PathBuf,
}

impl Criterion {
    /// Returns the median time of `group/function` in nanoseconds.
    fn median_ns(&self, group: &str, function: &str) -> Option<f64> {
        let path = self
            .dir
            .join(group)
            .join(function)
            .join("new/estimates.json");
        read_json(&path)?["median"]["point_estimate"].as_f64()
    }
}

fn read_json(path: &Path) -> Option<Value> {
    let bytes = std::fs::read(path).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// A ratio with the bound it must meet.
#[derive(Clone, Copy)]
enum Target {
    AtLeast(f64),
    AtMost(f64),
    None,
}

impl Target {
    fn describe(self) -> String {
        match self {
            Target::AtLeast(bound) => format!(">= {bound}"),
            Target::AtMost(bound) => format!("<= {bound}"),
            Target::None => "-".to_owned(),
        }
    }

    fn verdict(self, value: Option<f64>) -> &'static str {
        match (self, value) {
            (Target::None, _) | (_, None) => "",
            (Target::AtLeast(bound), Some(value)) if value >= bound => "met",
            (Target::AtMost(bound), Some(value)) if value <= bound => "met",
            _ => "**missed**",
        }
    }
}

fn ratio(numerator: Option<f64>, denominator: Option<f64>) -> Option<f64> {
    match (numerator, denominator) {
        (Some(numerator), Some(denominator)) if denominator > 0.0 => Some(numerator / denominator),
        _ => None,
    }
}

fn time(ns: Option<f64>) -> String {
    match ns {
        None => "-".to_owned(),
        Some(ns) if ns >= 1e6 => format!("{:.2} ms", ns / 1e6),
        Some(ns) if ns >= 1e3 => format!("{:.1} µs", ns / 1e3),
        Some(ns) => format!("{ns:.0} ns"),
    }
}

fn number(value: Option<f64>, decimals: usize) -> String {
    value.map_or_else(|| "-".to_owned(), |value| format!("{value:.decimals$}"))
}

/// Reads one field of the entry of `body` in `ratios.json`.
fn ratio_field(ratios: &Option<Value>, body: &str, field: &str) -> Option<f64> {
    ratios
        .as_ref()?
        .as_array()?
        .iter()
        .find(|entry| entry["body"] == body)?[field]
        .as_f64()
}

fn deliveries(report: &mut String, ratios: &Option<Value>) {
    let rows = [
        ("tool-calls", Target::AtLeast(2.0), Target::AtMost(1.25)),
        ("status-update", Target::AtLeast(2.0), Target::AtMost(1.25)),
        ("report-100k", Target::None, Target::None),
        ("report-2m", Target::AtLeast(1.5), Target::AtMost(1.15)),
        ("report-2m-type-last", Target::None, Target::None),
        ("status-update-message", Target::None, Target::None),
    ];

    report.push_str("### In-process delivery (medians of alternating rounds)\n\n");
    report.push_str("| body | framework | baseline | limit | baseline ÷ framework | target | | framework ÷ limit | target | |\n");
    report.push_str("| --- | ---: | ---: | ---: | ---: | --- | --- | ---: | --- | --- |\n");
    for (body, speedup_target, limit_target) in rows {
        let field = |name: &str| ratio_field(ratios, body, name);
        let speedup = field("baseline_over_framework");
        let overhead = field("framework_over_limit");
        let _ = writeln!(
            report,
            "| {body} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            time(field("framework_ns")),
            time(field("baseline_ns")),
            time(field("limit_ns")),
            number(speedup, 2),
            speedup_target.describe(),
            speedup_target.verdict(speedup),
            number(overhead, 2),
            limit_target.describe(),
            limit_target.verdict(overhead),
        );
    }
    report.push_str(
        "\nTimes are per delivery; each ratio is the median of the ratios within a round. \
         `status-update-message` is the status update through a handler that takes \
         `Message<T>` of the three fields it reads, borrowed from the body; its limit \
         decodes that type directly.\n\n",
    );
}

fn unhandled(report: &mut String, ratios: &Option<Value>) {
    let field = |name: &str| ratio_field(ratios, "unhandled-2m", name);
    let share = field("framework_over_limit");
    let target = Target::AtMost(0.10);

    report.push_str("### Unhandled 2 MB `conversation-update`\n\n");
    report
        .push_str("| framework | baseline | full decode | framework ÷ full decode | target | |\n");
    report.push_str("| ---: | ---: | ---: | ---: | --- | --- |\n");
    let _ = writeln!(
        report,
        "| {} | {} | {} | {} | <= 10% | {} |\n",
        time(field("framework_ns")),
        time(field("baseline_ns")),
        time(field("limit_ns")),
        share.map_or_else(|| "-".to_owned(), percent),
        target.verdict(share),
    );
}

fn criterion_medians(report: &mut String, criterion: &Criterion) {
    report.push_str("### Criterion medians (one benchmark after the other, as a cross-check)\n\n");
    report.push_str("| group | framework | baseline | limit or full decode |\n");
    report.push_str("| --- | ---: | ---: | ---: |\n");
    for group in [
        "tool-calls",
        "status-update",
        "report-100k",
        "report-2m",
        "report-2m-type-last",
        "unhandled-2m",
    ] {
        let reference = criterion
            .median_ns(group, "limit")
            .or_else(|| criterion.median_ns(group, "full-decode"));
        let _ = writeln!(
            report,
            "| {group} | {} | {} | {} |",
            time(criterion.median_ns(group, "framework")),
            time(criterion.median_ns(group, "baseline")),
            time(reference),
        );
    }
    report.push('\n');
}

fn parsing(report: &mut String, criterion: &Criterion) {
    report.push_str("### `Delivery::parse` on the 2 MB report\n\n");
    report.push_str("| case | median |\n| --- | ---: |\n");
    for (function, case) in [
        ("type-first", "`type` near the start (schema order)"),
        ("type-last", "`type` as the last key"),
        (
            "type-first-and-call-id",
            "`type` first, then `call_id()` (reads the whole body)",
        ),
    ] {
        let _ = writeln!(
            report,
            "| {case} | {} |",
            time(criterion.median_ns("parse-2m", function))
        );
    }
    report.push('\n');
}

fn authentication(report: &mut String, criterion: &Criterion) {
    report.push_str("### Authentication\n\n");
    report.push_str("| check | median |\n| --- | ---: |\n");
    let _ = writeln!(
        report,
        "| shared secret | {} |",
        time(criterion.median_ns("auth", "shared-secret"))
    );
    let _ = writeln!(
        report,
        "| HMAC-SHA256 over the 2 MB report | {} |\n",
        time(criterion.median_ns("auth", "hmac-sha256-2m"))
    );
}

fn allocations(report: &mut String, counts: &Option<Value>) {
    let find = |body: &str, contender: &str, field: &str| -> Option<f64> {
        counts
            .as_ref()?
            .as_array()?
            .iter()
            .find(|count| count["body"] == body && count["contender"] == contender)?[field]
            .as_f64()
    };

    report.push_str("### Heap allocations per delivery (median of 15)\n\n");
    report.push_str("| body | framework | baseline | limit | framework ÷ baseline |\n");
    report.push_str("| --- | ---: | ---: | ---: | ---: |\n");
    for body in [
        "tool-calls",
        "status-update",
        "report-100k",
        "report-2m",
        "status-update-message",
    ] {
        let cell = |contender: &str| match (
            find(body, contender, "allocations"),
            find(body, contender, "bytes"),
        ) {
            (Some(count), Some(bytes)) => format!("{count:.0} / {:.0} KiB", bytes / 1024.0),
            _ => "-".to_owned(),
        };
        let _ = writeln!(
            report,
            "| {body} | {} | {} | {} | {} |",
            cell("framework"),
            cell("baseline"),
            cell("limit"),
            number(
                ratio(
                    find(body, "framework", "allocations"),
                    find(body, "baseline", "allocations")
                ),
                2
            ),
        );
    }
    report.push_str("\nEach cell: allocation calls / bytes allocated.\n\n");
}

fn http(report: &mut String, outcomes: &Option<Value>) {
    let find = |body: &str, server: &str, field: &str| -> Option<f64> {
        outcomes
            .as_ref()?
            .as_array()?
            .iter()
            .find(|outcome| outcome["body"] == body && outcome["server"] == server)?[field]
            .as_f64()
    };

    report.push_str("### HTTP on 127.0.0.1 (wrk, medians of the runs)\n\n");
    report.push_str("| body | framework req/s | baseline req/s | ratio (>= 1) | | p50 framework / baseline | p99 framework / baseline | p99 ratio (<= 1) | | peak RSS framework / baseline |\n");
    report.push_str("| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | --- | ---: |\n");
    for body in ["status-update", "tool-calls", "report-100k", "report-2m"] {
        let rps_ratio = ratio(
            find(body, "framework", "requests_per_second"),
            find(body, "baseline", "requests_per_second"),
        );
        let p99_ratio = ratio(
            find(body, "framework", "p99_ms"),
            find(body, "baseline", "p99_ms"),
        );
        let pair = |field: &str, unit: &str, decimals: usize| {
            format!(
                "{} / {} {unit}",
                number(find(body, "framework", field), decimals),
                number(find(body, "baseline", field), decimals)
            )
        };
        let rss = |server: &str| {
            number(
                find(body, server, "peak_rss_kib").map(|kib| kib / 1024.0),
                1,
            )
        };
        let _ = writeln!(
            report,
            "| {body} | {} | {} | {} | {} | {} | {} | {} | {} | {} / {} MiB |",
            number(find(body, "framework", "requests_per_second"), 0),
            number(find(body, "baseline", "requests_per_second"), 0),
            number(rps_ratio, 2),
            Target::AtLeast(1.0).verdict(rps_ratio),
            pair("p50_ms", "ms", 2),
            pair("p99_ms", "ms", 2),
            number(p99_ratio, 2),
            Target::AtMost(1.0).verdict(p99_ratio),
            rss("framework"),
            rss("baseline"),
        );
    }
    report.push('\n');
}

/// Formats a share as a percentage, with two decimals below 1%
/// so a share of 0.03% does not print as 0.0%.
fn percent(share: f64) -> String {
    let percent = share * 100.0;
    if percent >= 1.0 {
        format!("{percent:.1}%")
    } else {
        format!("{percent:.2}%")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_keeps_small_shares_visible() {
        assert_eq!(percent(0.247), "24.7%");
        assert_eq!(percent(0.000_254), "0.03%");
        assert_eq!(percent(0.01), "1.0%");
    }

    #[test]
    fn verdict_compares_with_bound() {
        assert_eq!(Target::AtLeast(2.0).verdict(Some(2.0)), "met");
        assert_eq!(Target::AtLeast(2.0).verdict(Some(1.9)), "**missed**");
        assert_eq!(Target::AtMost(1.15).verdict(Some(1.1)), "met");
        assert_eq!(Target::AtMost(1.15).verdict(Some(1.2)), "**missed**");
        assert_eq!(Target::AtMost(1.15).verdict(None), "");
        assert_eq!(Target::None.verdict(Some(9.0)), "");
    }

    #[test]
    fn ratio_needs_both_values() {
        assert_eq!(ratio(Some(3.0), Some(2.0)), Some(1.5));
        assert_eq!(ratio(Some(3.0), None), None);
        assert_eq!(ratio(Some(3.0), Some(0.0)), None);
    }

    #[test]
    fn time_picks_unit() {
        assert_eq!(time(Some(130.4)), "130 ns");
        assert_eq!(time(Some(18_702.8)), "18.7 µs");
        assert_eq!(time(Some(4_743_969.4)), "4.74 ms");
        assert_eq!(time(None), "-");
    }

    #[test]
    fn missing_estimate_is_none() {
        let criterion = Criterion {
            dir: PathBuf::from("/nonexistent/criterion"),
        };
        assert_eq!(criterion.median_ns("tool-calls", "framework"), None);
    }
}
