//! The ratios between the three delivery contenders, measured in rounds
//! that alternate them, so that load from other processes on a shared
//! machine falls on all three alike.
//!
//! Criterion (`benches/delivery.rs`) measures one function after the other,
//! each for seconds, so a burst of load during one of them skews a ratio.
//! Here each round times a batch of about [`BATCH`] of each contender, in
//! an order that rotates every round, and computes the ratios within the
//! round. The report takes the median over [`ROUNDS`] rounds.
//!
//! `cargo bench -p webhook-tests --bench ratios` writes `ratios.json` to
//! `$BENCH_RESULTS_DIR` (default `target/bench-results`). Without
//! `--bench`, as under `cargo test --benches`, it runs two short rounds and
//! writes nothing.

// Each benchmark target uses part of the shared code.
#[allow(dead_code)]
mod support;

use std::hint::black_box;
use std::time::{Duration, Instant};

use http::HeaderMap;
use serde::Serialize;
use tokio::runtime::Runtime;
use webhook_core::events::ConversationUpdate;

use support::contenders;
use support::payloads::Bodies;

/// Rounds per body.
const ROUNDS: usize = 41;
/// Wall time of one contender's batch in a round.
const BATCH: Duration = Duration::from_millis(25);

/// One contender: runs one delivery of `body`.
type Contender<'a> = Box<dyn Fn(&[u8]) + 'a>;

/// The medians of one body.
#[derive(Debug, Serialize)]
struct Ratios {
    body: &'static str,
    rounds: usize,
    framework_ns: f64,
    baseline_ns: f64,
    limit_ns: f64,
    /// Baseline time over framework time: how many times faster the
    /// framework is than the hand-written `Value` handler.
    baseline_over_framework: f64,
    /// Framework time over limit time.
    framework_over_limit: f64,
}

fn main() {
    let benchmarking = std::env::args().any(|arg| arg == "--bench");
    let rounds = if benchmarking { ROUNDS } else { 2 };
    let batch = if benchmarking {
        BATCH
    } else {
        Duration::from_millis(1)
    };

    let bodies = Bodies::generate();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a current-thread runtime builds");
    let receiver = contenders::framework();
    let view_receiver = contenders::framework_view();

    let mut results = Vec::new();
    for contenders::Case {
        name, body, limit, ..
    } in contenders::cases(&bodies)
    {
        let runtime = &runtime;
        let contenders = [
            framework(runtime, &receiver),
            baseline(runtime),
            Box::new(move |body: &[u8]| {
                black_box(runtime.block_on(async { limit(body) }));
            }) as Contender<'_>,
        ];
        results.push(measure(name, body, &contenders, rounds, batch));
    }

    // `benches/delivery.rs` checks that the other rows' contenders give the
    // same reply; this row is measured here only, so it is checked here.
    let body = &bodies.status_update;
    let replies = [
        runtime.block_on(contenders::framework_deliver(
            &view_receiver,
            &HeaderMap::new(),
            body,
        )),
        contenders::baseline_deliver(body),
        contenders::limit_status_seen(body),
    ];
    assert!(
        replies.iter().all(|reply| reply == b"{}"),
        "every contender replies `{{}}` to a status update"
    );
    let view = [
        framework(&runtime, &view_receiver),
        baseline(&runtime),
        Box::new(|body: &[u8]| {
            black_box(runtime.block_on(async { contenders::limit_status_seen(body) }));
        }) as Contender<'_>,
    ];
    results.push(measure(
        "status-update-message",
        &bodies.status_update,
        &view,
        rounds,
        batch,
    ));

    let full_decode: Contender<'_> = Box::new(|body: &[u8]| {
        black_box(
            runtime.block_on(async { contenders::decode_direct::<ConversationUpdate>(body) }),
        );
    });
    let unhandled = [
        framework(&runtime, &receiver),
        baseline(&runtime),
        full_decode,
    ];
    results.push(measure(
        "unhandled-2m",
        &bodies.unhandled_2m,
        &unhandled,
        rounds,
        batch,
    ));

    for ratios in &results {
        println!(
            "{:<20} framework {:>12.0} ns  baseline {:>12.0} ns  limit {:>12.0} ns  baseline/framework {:.2}  framework/limit {:.2}",
            ratios.body,
            ratios.framework_ns,
            ratios.baseline_ns,
            ratios.limit_ns,
            ratios.baseline_over_framework,
            ratios.framework_over_limit
        );
    }
    if benchmarking {
        write_results(&results);
    }
}

fn framework<'a, H: webhook_core::Hooks>(
    runtime: &'a Runtime,
    receiver: &'a webhook_core::Receiver<H>,
) -> Contender<'a> {
    let headers = HeaderMap::new();
    Box::new(move |body: &[u8]| {
        black_box(runtime.block_on(contenders::framework_deliver(receiver, &headers, body)));
    })
}

fn baseline(runtime: &Runtime) -> Contender<'_> {
    Box::new(move |body: &[u8]| {
        black_box(runtime.block_on(async { contenders::baseline_deliver(body) }));
    })
}

/// Times `contenders` (framework, baseline, limit) on `body` over `rounds`
/// rounds and returns the medians.
///
/// Every contender runs inside `block_on`, as in `benches/delivery.rs`, so
/// that the wrapper cancels out of the ratios.
fn measure(
    name: &'static str,
    body: &[u8],
    contenders: &[Contender<'_>; 3],
    rounds: usize,
    batch: Duration,
) -> Ratios {
    let iterations: Vec<u32> = contenders
        .iter()
        .map(|contender| iterations_for(batch, || contender(body)))
        .collect();

    let mut per_iteration = [Vec::new(), Vec::new(), Vec::new()];
    for round in 0..rounds {
        for offset in 0..3 {
            let index = (round + offset) % 3;
            let started = Instant::now();
            for _ in 0..iterations[index] {
                contenders[index](black_box(body));
            }
            let nanos = started.elapsed().as_nanos() as f64 / f64::from(iterations[index]);
            per_iteration[index].push(nanos);
        }
    }

    let [framework, baseline, limit] = &per_iteration;
    let speedups: Vec<f64> = baseline.iter().zip(framework).map(|(b, f)| b / f).collect();
    let overheads: Vec<f64> = framework.iter().zip(limit).map(|(f, l)| f / l).collect();
    Ratios {
        body: name,
        rounds,
        framework_ns: median(framework.clone()),
        baseline_ns: median(baseline.clone()),
        limit_ns: median(limit.clone()),
        baseline_over_framework: median(speedups),
        framework_over_limit: median(overheads),
    }
}

/// Returns how many runs of `run` take about `batch`, at least one.
fn iterations_for(batch: Duration, mut run: impl FnMut()) -> u32 {
    // Warm up, then time a few runs to size the batch.
    for _ in 0..3 {
        run();
    }
    let started = Instant::now();
    let mut runs = 0u32;
    while started.elapsed() < batch / 4 || runs < 3 {
        run();
        runs += 1;
    }
    let per_run = started.elapsed() / runs;
    (batch.as_nanos() / per_run.as_nanos().max(1)).clamp(1, u128::from(u32::MAX)) as u32
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

fn write_results(results: &[Ratios]) {
    let dir = support::results_dir();
    let path = dir.join("ratios.json");
    let written = std::fs::create_dir_all(&dir).and_then(|()| {
        std::fs::write(
            &path,
            serde_json::to_vec_pretty(results).unwrap_or_default(),
        )
    });
    match written {
        Ok(()) => println!("wrote {}", path.display()),
        Err(error) => {
            eprintln!("failed to write {}: {error}", path.display());
            std::process::exit(1);
        }
    }
}
