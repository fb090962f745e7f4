#!/usr/bin/env bash
# Profiles the verify path (GET /api/v1/auth/me with a valid access cookie)
# and prints the functions with the most self cost. The server is set up
# as for the verify row (bench/workloads/verify.sh: production settings,
# SQLite, pinned to the server CPU) and gets PROFILE_REQUESTS (20,000)
# requests on 4 connections from gatehouse_loader, a bound by count.
#
# With working hardware counters (`perf stat -e instructions true`) the
# server runs normally under `perf record`; without them (most VMs) it runs
# under `valgrind --tool=callgrind`, collecting only while the requests run
# (not the start-up or the sign-in's argon2id). Raw data stays in
# BENCH_RESULTS/profile/ for perf report or callgrind_annotate.
#
#   make bench   # or bench/run.sh micro: builds build-bench/
#   bench/profile_verify.sh
set -euo pipefail
# shellcheck source=bench/lib/common.sh
source "$(dirname "$0")/lib/common.sh"
# shellcheck source=bench/lib/gatehouse.sh
source "$BENCH_ROOT/bench/lib/gatehouse.sh"
# shellcheck source=bench/lib/database.sh
source "$BENCH_ROOT/bench/lib/database.sh"

requests=${PROFILE_REQUESTS:-20000}
top=${PROFILE_TOP:-30}
out=$BENCH_RESULTS/profile
[[ -x $GATEHOUSE_BIN && -x $LOADER_BIN ]] ||
  bench_die "build first: bench/run.sh builds $GATEHOUSE_BIN and $LOADER_BIN"
rm -rf "$out"
mkdir -p "$out"

hardware_counters() {
  local stat
  stat=$(perf stat -x, -e instructions true 2>&1) || return 1
  [[ $stat != *"not supported"* && $stat != *"not counted"* ]]
}

bench_workdir profile-verify
bench_database sqlite "$BENCH_WORK"
gh_configure "$BENCH_WORK" "$BENCH_DB_URL"
gh_add_user

# load: the bounded verify load, with its own summary in the output.
load() {
  timeout 3600 taskset -c "$BENCH_LOAD_CPU" "$LOADER_BIN" request \
    --url "$GH_URL" --path /api/v1/auth/me \
    --header "Cookie: $GH_ACCESS_COOKIE=$cookie" --connections 4 \
    --requests "$requests" --duration 3600 --out "$out/load.json"
  bench_log "load: $(jq -c '{requests, errors, requests_per_s, p50_ms, p99_ms}' "$out/load.json")"
}

if command -v perf >/dev/null && hardware_counters; then
  bench_log "profiling with perf record ($requests requests)"
  gh_start
  cookie=$(gh_access_cookie)
  perf record -q -g -F 2000 -p "$GH_PID" -o "$out/perf.data" 2>"$out/perf.log" &
  perf_pid=$!
  bench_track "$perf_pid" INT
  sleep 0.5  # perf attaches before the first request
  load
  bench_stop "$perf_pid" INT
  gh_stop
  perf report -i "$out/perf.data" --stdio --no-children --sort symbol \
    --percent-limit 0.5 2>/dev/null | grep -v '^#' | grep -v '^$' | cut -c1-160 |
    head -n "$top"
else
  command -v valgrind >/dev/null ||
    bench_die "neither perf with hardware counters nor valgrind: run scripts/install-bench-deps.sh"
  bench_log "no hardware counters here: profiling with callgrind ($requests requests; slow)"
  gh_start valgrind --tool=callgrind --instr-atstart=no \
    --callgrind-out-file="$out/callgrind.out"
  cookie=$(gh_access_cookie)
  callgrind_control --instr=on "$GH_PID" >/dev/null
  load
  callgrind_control --instr=off "$GH_PID" >/dev/null
  gh_stop  # valgrind writes callgrind.out as the server exits
  callgrind_annotate --inclusive=no "$out/callgrind.out" 2>/dev/null |
    sed -n '/^Ir/,$p' | cut -c1-160 | head -n $((top + 2))
fi
bench_log "raw profile in ${out#"$BENCH_ROOT"/}"
