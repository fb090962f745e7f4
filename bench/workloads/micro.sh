#!/usr/bin/env bash
# The micro-benchmarks (gatehouse_micro_bench, Google Benchmark), pinned to
# the server CPU, where the code they time runs in the server; nothing
# else of the suite runs meanwhile. Raw JSON to BENCH_RESULTS/micro.json.
set -euo pipefail
# shellcheck source=bench/lib/common.sh
source "$(dirname "$0")/../lib/common.sh"

mkdir -p "$BENCH_RESULTS"
timeout 600 taskset -c "$BENCH_SERVER_CPU" "$BENCH_BUILD/gatehouse_micro_bench" \
  --benchmark_min_time="${BENCH_MICRO_MIN_TIME:-0.3}" \
  --benchmark_out="$BENCH_RESULTS/micro.json" --benchmark_out_format=json >&2
