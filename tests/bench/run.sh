#!/usr/bin/env bash
# Runs every benchmark of the workspace and prints the tables of medians and
# ratios that BENCHMARKS.md records. Takes about 10 minutes after the build.
#
#   bash tests/bench/run.sh
#
# It installs `wrk` from Debian's packages when it is missing (as root),
# builds the two example servers in release mode, runs the criterion,
# alternating-ratio, allocation and HTTP benchmarks, and writes the report to
# $BENCH_RESULTS_DIR/report.md (default: bench-results in the target
# folder). The HTTP benchmark starts servers on 127.0.0.1 only and stops
# them when it ends.
set -euo pipefail

cd "$(dirname "$0")/../.."
# Next to the builds, also when CARGO_TARGET_DIR moves them (a relative one
# is taken from the workspace root, as cargo takes it).
export BENCH_RESULTS_DIR="${BENCH_RESULTS_DIR:-$(realpath -m "${CARGO_TARGET_DIR:-target}")/bench-results}"
mkdir -p "$BENCH_RESULTS_DIR"

if ! command -v wrk >/dev/null; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "wrk is missing: install it with \`sudo apt-get install -y wrk\`" >&2
        exit 1
    fi
    apt-get update -qq
    apt-get install -y -qq wrk >/dev/null
fi

cargo build --release -p webhook-examples --bins
cargo build --release -p webhook-tests --bin bench_report
cargo bench -p webhook-tests --bench delivery
cargo bench -p webhook-tests --bench ratios
cargo bench -p webhook-tests --bench allocations
cargo bench -p webhook-tests --bench http

report="$BENCH_RESULTS_DIR/report.md"
{
    echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores," \
        "$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -n 1)," \
        "$(rustc --version)."
    echo
    cargo run -q --release -p webhook-tests --bin bench_report
} >"$report"
cat "$report"
