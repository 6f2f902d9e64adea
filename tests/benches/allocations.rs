//! Heap allocations per delivery: the framework against the hand-written
//! `Value` baseline (and the direct decode, for reference), counted by a
//! global allocator wrapper around one delivery at a time.
//!
//! `stats_alloc` counts with atomics on every thread, so the deliveries run
//! on a current-thread tokio runtime and nothing else runs meanwhile. Each
//! count is the median of [`RUNS`] deliveries, which drops the one-off
//! allocations of the first (lazy statics, the runtime's timer).
//!
//! `cargo bench -p webhook-tests --bench allocations` prints the table and
//! writes `allocations.json` to `$BENCH_RESULTS_DIR` (default
//! `target/bench-results`). Without `--bench`, as under
//! `cargo test --benches`, it runs each delivery once and writes nothing.

// Each benchmark target uses part of the shared code.
#[allow(dead_code)]
mod support;

use std::alloc::System;

use http::HeaderMap;
use serde::Serialize;
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

use support::contenders;
use support::payloads::Bodies;

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Deliveries counted per contender and body.
const RUNS: usize = 15;

/// The median allocation counts of one contender on one body.
#[derive(Debug, Serialize)]
struct Count {
    body: &'static str,
    body_bytes: usize,
    contender: &'static str,
    /// Calls to `alloc` and `realloc` during one delivery.
    allocations: usize,
    /// Bytes requested by those calls (a `realloc` counts its growth).
    bytes: usize,
}

fn main() {
    let benchmarking = std::env::args().any(|arg| arg == "--bench");
    let runs = if benchmarking { RUNS } else { 1 };

    let bodies = Bodies::generate();
    // A reordered body allocates as its original does, so the table leaves
    // it out.
    let cases = contenders::cases(&bodies)
        .into_iter()
        .filter(|case| !case.reordered);

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a current-thread runtime builds");
    let receiver = contenders::framework();
    let headers = HeaderMap::new();

    let mut counts = Vec::new();
    for contenders::Case {
        name: body_name,
        body,
        limit,
        ..
    } in cases
    {
        let framework = median_count(runs, || {
            runtime.block_on(contenders::framework_deliver(&receiver, &headers, body))
        });
        let baseline = median_count(runs, || contenders::baseline_deliver(body));
        let direct = median_count(runs, || limit(body));
        for (contender, (allocations, bytes)) in [
            ("framework", framework),
            ("baseline", baseline),
            ("limit", direct),
        ] {
            counts.push(Count {
                body: body_name,
                body_bytes: body.len(),
                contender,
                allocations,
                bytes,
            });
        }
    }

    // The status update through a `Message` handler, against the direct
    // decode of the same borrowed type.
    let view_receiver = contenders::framework_view();
    let body = &bodies.status_update[..];
    let framework = median_count(runs, || {
        runtime.block_on(contenders::framework_deliver(
            &view_receiver,
            &headers,
            body,
        ))
    });
    let baseline = median_count(runs, || contenders::baseline_deliver(body));
    let direct = median_count(runs, || contenders::limit_status_seen(body));
    for (contender, (allocations, bytes)) in [
        ("framework", framework),
        ("baseline", baseline),
        ("limit", direct),
    ] {
        counts.push(Count {
            body: "status-update-message",
            body_bytes: body.len(),
            contender,
            allocations,
            bytes,
        });
    }

    print_table(&counts);
    if benchmarking {
        write_results(&counts);
    }
}

/// Runs `deliver` `runs` times and returns the median allocation calls and
/// bytes of one run.
fn median_count(runs: usize, mut deliver: impl FnMut() -> Vec<u8>) -> (usize, usize) {
    let mut allocations = Vec::with_capacity(runs);
    let mut bytes = Vec::with_capacity(runs);
    for _ in 0..runs {
        let region = Region::new(GLOBAL);
        let reply = deliver();
        let change = region.change();
        drop(reply);

        allocations.push(change.allocations + change.reallocations);
        bytes.push(change.bytes_allocated + change.bytes_reallocated.max(0) as usize);
    }
    (median(&mut allocations), median(&mut bytes))
}

fn median(values: &mut [usize]) -> usize {
    values.sort_unstable();
    values[values.len() / 2]
}

fn print_table(counts: &[Count]) {
    println!(
        "{:<22} {:>10} {:<10} {:>12} {:>14}",
        "body", "body bytes", "contender", "allocations", "bytes"
    );
    for count in counts {
        println!(
            "{:<22} {:>10} {:<10} {:>12} {:>14}",
            count.body, count.body_bytes, count.contender, count.allocations, count.bytes
        );
    }
}

fn write_results(counts: &[Count]) {
    let dir = support::results_dir();
    let path = dir.join("allocations.json");
    let written = std::fs::create_dir_all(&dir).and_then(|()| {
        std::fs::write(&path, serde_json::to_vec_pretty(counts).unwrap_or_default())
    });
    match written {
        Ok(()) => println!("wrote {}", path.display()),
        Err(error) => {
            eprintln!("failed to write {}: {error}", path.display());
            std::process::exit(1);
        }
    }
}
