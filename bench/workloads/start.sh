#!/usr/bin/env bash
# Rows start-first-BACKEND and start-BACKEND: time from exec to the first
# 200 from /readyz, and resident memory after 1 s idle
# (gatehouse_loader startup, which starts the server itself so its clock
# starts at exec). First on an empty database (migrations and key
# generation included), then BENCH_START_RUNS (5) restarts on the
# database that first start left.
#
#   bench/workloads/start.sh sqlite|postgres
set -euo pipefail
# shellcheck source=bench/lib/common.sh
source "$(dirname "$0")/../lib/common.sh"
# shellcheck source=bench/lib/gatehouse.sh
source "$BENCH_ROOT/bench/lib/gatehouse.sh"
# shellcheck source=bench/lib/database.sh
source "$BENCH_ROOT/bench/lib/database.sh"

backend=${1:-sqlite}
bench_workdir "start-$backend"
bench_database "$backend" "$BENCH_WORK"
gh_configure "$BENCH_WORK" "$BENCH_DB_URL"

# probe RUNS OUT: the loader's start-up probe, pinned like every other row.
probe() {
  bench_wait_for timeout $((BENCH_HANG_MARGIN + 30 * $1)) \
    taskset -c "$BENCH_LOAD_CPU" "$LOADER_BIN" startup --url "$GH_URL" \
    --cpu "$BENCH_SERVER_CPU" --runs "$1" --log "$BENCH_WORK/server.log" \
    --out "$2" -- "$GATEHOUSE_BIN" serve
}
probe 1 "$BENCH_WORK/first.json"
probe "${BENCH_START_RUNS:-5}" "$BENCH_WORK/restart.json"
bench_write_row "start-first-$backend" "$BENCH_WORK/first.json" null
bench_write_row "start-$backend" "$BENCH_WORK/restart.json" null
