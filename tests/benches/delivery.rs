//! In-process delivery benchmarks: for each generated body, the framework's
//! `Receiver::receive`, the hand-written `serde_json::Value` handler and the
//! direct `from_slice` decode (the limit), measured one after the other in
//! the same run. Also an unhandled 2 MB message against its full decode, and
//! the authentication checks on their own.
//!
//! Run with `cargo bench -p webhook-tests --bench delivery`; `tests/bench/run.sh`
//! runs it with the other benchmarks and prints the ratios. Under
//! `cargo test --benches` criterion runs each function once, as a smoke test.
//!
//! Every contender runs inside `block_on` of one current-thread tokio
//! runtime, because the framework's handlers are async. The synchronous
//! contenders pay the same wrapper, so it cancels out of the ratios.

// Each benchmark target uses part of the shared code.
#[allow(dead_code)]
mod support;

use std::hint::black_box;
use std::time::{Duration, SystemTime};

use criterion::{
    BenchmarkGroup, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
    measurement::WallTime,
};
use hmac::{Hmac, Mac};
use http::{HeaderMap, HeaderValue};
use serde_json::Value;
use sha2::Sha256;
use tokio::runtime::Runtime;
use webhook_core::events::ConversationUpdate;
use webhook_core::{Auth, Delivery, Namespace};

use support::contenders::{self, BenchHooks};
use support::payloads::Bodies;

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a current-thread runtime builds")
}

/// Checks that the three contenders return the same reply, so the
/// benchmark compares equal work.
fn check_same_reply(
    runtime: &Runtime,
    receiver: &webhook_core::Receiver<BenchHooks>,
    case: &contenders::Case<'_>,
) {
    let headers = HeaderMap::new();
    let framework = runtime.block_on(contenders::framework_deliver(receiver, &headers, case.body));
    let baseline = contenders::baseline_deliver(case.body);
    let limit = (case.limit)(case.body);

    let parse = |bytes: &[u8]| serde_json::from_slice::<Value>(bytes).expect("replies are JSON");
    assert_eq!(
        parse(&framework),
        parse(&baseline),
        "{}: framework and baseline replies differ",
        case.name
    );
    assert_eq!(
        parse(&framework),
        parse(&limit),
        "{}: framework and limit replies differ",
        case.name
    );
}

fn configure(group: &mut BenchmarkGroup<'_, WallTime>, body_len: usize) {
    group.throughput(Throughput::Bytes(body_len as u64));
    if body_len > 1_000_000 {
        // One iteration takes milliseconds: linear sampling would need
        // minutes to grow its iteration counts.
        group.sampling_mode(SamplingMode::Flat);
        group.sample_size(30);
    }
}

fn bench_case(criterion: &mut Criterion, runtime: &Runtime, case: &contenders::Case<'_>) {
    let receiver = contenders::framework();
    check_same_reply(runtime, &receiver, case);
    let headers = HeaderMap::new();

    let mut group = criterion.benchmark_group(case.name);
    configure(&mut group, case.body.len());
    group.bench_function("framework", |bencher| {
        bencher.iter(|| {
            runtime.block_on(contenders::framework_deliver(
                &receiver,
                &headers,
                black_box(case.body),
            ))
        })
    });
    group.bench_function("baseline", |bencher| {
        bencher
            .iter(|| runtime.block_on(async { contenders::baseline_deliver(black_box(case.body)) }))
    });
    group.bench_function("limit", |bencher| {
        bencher.iter(|| runtime.block_on(async { (case.limit)(black_box(case.body)) }))
    });
    group.finish();
}

fn deliveries(criterion: &mut Criterion) {
    let bodies = Bodies::generate();
    let runtime = runtime();
    let cases = contenders::cases(&bodies);
    for case in &cases {
        bench_case(criterion, &runtime, case);
    }
}

/// A 2 MB message of a type no handler takes, against decoding it fully.
fn unhandled(criterion: &mut Criterion) {
    let bodies = Bodies::generate();
    let body = &bodies.unhandled_2m[..];
    let runtime = runtime();
    let receiver = contenders::framework();
    let headers = HeaderMap::new();
    let reply = runtime.block_on(contenders::framework_deliver(&receiver, &headers, body));
    assert_eq!(reply, b"{}", "an unhandled message gets `{{}}`");

    let mut group = criterion.benchmark_group("unhandled-2m");
    configure(&mut group, body.len());
    group.bench_function("framework", |bencher| {
        bencher.iter(|| {
            runtime.block_on(contenders::framework_deliver(
                &receiver,
                &headers,
                black_box(body),
            ))
        })
    });
    group.bench_function("baseline", |bencher| {
        bencher.iter(|| runtime.block_on(async { contenders::baseline_deliver(black_box(body)) }))
    });
    group.bench_function("full-decode", |bencher| {
        bencher.iter(|| {
            runtime.block_on(async {
                contenders::decode_direct::<ConversationUpdate>(black_box(body))
            })
        })
    });
    group.finish();
}

/// `Delivery::parse` alone on the 2 MB report, which reads up to `type`,
/// and with `call_id()` before any decoding, which reads the whole body.
fn parsing(criterion: &mut Criterion) {
    let bodies = Bodies::generate();
    let headers = HeaderMap::new();

    let mut group = criterion.benchmark_group("parse-2m");
    configure(&mut group, bodies.report_2m.len());
    for (name, body) in [
        ("type-first", &bodies.report_2m),
        ("type-last", &bodies.report_2m_type_last),
    ] {
        group.bench_function(name, |bencher| {
            bencher.iter(|| {
                let delivery = Delivery::parse(Namespace::Server, &headers, black_box(body))
                    .expect("the report parses");
                black_box(delivery.kind())
            })
        });
    }
    group.bench_function("type-first-and-call-id", |bencher| {
        bencher.iter(|| {
            let delivery =
                Delivery::parse(Namespace::Server, &headers, black_box(&bodies.report_2m))
                    .expect("the report parses");
            black_box(delivery.call_id().map(str::len))
        })
    });
    group.finish();
}

const SECRET: &str = "bench-secret-not-real";
const SIGNED_AT: u64 = 1_767_225_600;

/// Measures the shared-secret check, and the HMAC-SHA256 check over the
/// 2 MB report.
fn authentication(criterion: &mut Criterion) {
    let bodies = Bodies::generate();
    let body = &bodies.report_2m[..];

    let shared = Auth::shared_secret(SECRET).expect("the secret is not empty");
    let mut secret_headers = HeaderMap::new();
    secret_headers.insert("x-vapi-secret", HeaderValue::from_static(SECRET));
    shared
        .verify(&secret_headers, body)
        .expect("the shared secret matches");

    let hmac = Auth::hmac(SECRET)
        .build()
        .expect("the key is not empty")
        .with_clock(|| SystemTime::UNIX_EPOCH + Duration::from_secs(SIGNED_AT));
    let hmac_headers = hmac_headers(body);
    hmac.verify(&hmac_headers, body)
        .expect("the HMAC signature matches");

    let mut group = criterion.benchmark_group("auth");
    group.bench_function("shared-secret", |bencher| {
        bencher.iter(|| shared.verify(black_box(&secret_headers), black_box(body)))
    });
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("hmac-sha256-2m", |bencher| {
        bencher.iter(|| hmac.verify(black_box(&hmac_headers), black_box(body)))
    });
    group.finish();
}

/// Signs `body` the way Vapi's default HMAC plan does: hex HMAC-SHA256 of
/// `{timestamp}.{body}`.
fn hmac_headers(body: &[u8]) -> HeaderMap {
    let timestamp = SIGNED_AT.to_string();
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).expect("any key length works");
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    let signature = hex::encode(mac.finalize().into_bytes());

    let mut headers = HeaderMap::new();
    headers.insert(
        "x-signature",
        HeaderValue::from_str(&signature).expect("hex is a valid header value"),
    );
    headers.insert(
        "x-timestamp",
        HeaderValue::from_str(&timestamp).expect("digits are a valid header value"),
    );
    headers
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .sample_size(60);
    targets = deliveries, unhandled, parsing, authentication
}
criterion_main!(benches);
