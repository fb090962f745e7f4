#!/usr/bin/env bash
# The benchmark suite (`make bench`): builds Release, runs every workload,
# and writes docs/benchmarks.md from the raw results in bench/results/.
#
#   bench/run.sh                 every workload; rewrites docs/benchmarks.md
#   bench/run.sh verify:sqlite refresh:postgres ...
#                                only these; renders bench/results/report.md
#                                (docs/ only ever shows one complete run)
#
# Each workload is a script in bench/workloads/ that starts its own servers
# and stops them by PID when it ends, fails or is interrupted; this script
# runs them one at a time, each under a hard time limit, and goes on past
# a failed one so the report can say which failed. The exit status is
# non-zero if any failed. Settings: see bench/lib/common.sh; BENCH_NO_BUILD=1
# skips the build, BENCH_NOTE adds a sentence to the report's header.
set -euo pipefail
# shellcheck source=bench/lib/common.sh
source "$(dirname "$0")/lib/common.sh"

# In the order they run. micro first: nothing else runs meanwhile. login
# before login_flood, which floods at twice the rate login measured.
ALL_WORKLOADS=(
  micro ceiling
  verify:sqlite check:sqlite refresh:sqlite login:sqlite login_flood:sqlite
  start:sqlite
  verify:postgres refresh:postgres
  scale:sqlite scale:postgres
)
# A hang detector, not a budget: the slowest workload (scale on
# PostgreSQL) takes a few minutes.
WORKLOAD_TIME_LIMIT=${BENCH_WORKLOAD_TIME_LIMIT:-900}

build() {
  if [[ -n ${BENCH_NO_BUILD:-} ]]; then
    bench_log "BENCH_NO_BUILD set: using the binaries already in $BENCH_BUILD"
    return
  fi
  bench_log "building Release in $BENCH_BUILD"
  cmake -S "$BENCH_ROOT" -B "$BENCH_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DGATEHOUSE_BUILD_TESTS=OFF -DGATEHOUSE_BUILD_BENCH=ON >/dev/null
  cmake --build "$BENCH_BUILD" -j "$(nproc)" \
    --target gatehouse gatehouse_loader gatehouse_micro_bench
}

# run_workload NAME[:BACKEND]: one workload script, its output in
# BENCH_RESULTS/logs/. Returns its exit status.
run_workload() {
  local name=${1%%:*} backend=
  [[ $1 == *:* ]] && backend=${1#*:}
  local log=$BENCH_RESULTS/logs/$name${backend:+-$backend}.log
  bench_log "workload $1 (log: ${log#"$BENCH_ROOT"/})"
  # timeout is the direct child, so stopping its PID stops the workload,
  # whose own trap then stops its servers.
  local status=0
  bench_wait_for timeout --kill-after=30 "$WORKLOAD_TIME_LIMIT" \
    "$BENCH_ROOT/bench/workloads/$name.sh" ${backend:+"$backend"} >"$log" 2>&1 ||
    status=$?
  grep '^bench: ' "$log" | grep -v '^bench: error' >&2 || true
  if ((status != 0)); then
    bench_log "workload $1 FAILED (exit $status); its log ends:"
    tail -n 15 "$log" >&2
  fi
  return "$status"
}

main() {
  local workloads=("$@") full=0
  if ((${#workloads[@]} == 0)); then
    workloads=("${ALL_WORKLOADS[@]}")
    full=1
  fi
  local started=$SECONDS
  # Marks every row this run writes; the report shows those rows only.
  BENCH_RUN_ID=$(date -u +%Y%m%dT%H%M%S.%N)
  export BENCH_RUN_ID
  build
  local build_seconds=$((SECONDS - started))

  # A full run starts from nothing, so the report holds this run only.
  if ((full)); then rm -rf "$BENCH_RESULTS"/*.json "$BENCH_RESULTS/logs"; fi
  mkdir -p "$BENCH_RESULTS/logs"
  "$BENCH_ROOT/bench/collect_environment.sh" >"$BENCH_RESULTS/environment.json"

  local failed=() spec
  for spec in "${workloads[@]}"; do
    run_workload "$spec" || failed+=("$spec")
  done

  jq -n --arg run_id "$BENCH_RUN_ID" --argjson build_s "$build_seconds" \
    --argjson total_s "$((SECONDS - started))" \
    --arg loadavg_after "$(cut -d' ' -f1-3 /proc/loadavg)" \
    --arg note "${BENCH_NOTE:-}" \
    --arg workloads "${workloads[*]}" \
    --args '{run_id: $run_id, build_s: $build_s, total_s: $total_s,
             loadavg_after: $loadavg_after, note: $note,
             workloads: ($workloads | split(" ")), failed: $ARGS.positional}' \
    ${failed[@]+"${failed[@]}"} >"$BENCH_RESULTS/run.json"

  local report=$BENCH_RESULTS/report.md
  ((full)) && report=$BENCH_ROOT/docs/benchmarks.md
  "$BENCH_ROOT/bench/render_report.sh" "$report"
  bench_log "report: ${report#"$BENCH_ROOT"/} ($((SECONDS - started)) s in all)"
  if ((${#failed[@]} > 0)); then
    bench_die "failed workloads: ${failed[*]}"
  fi
}

main "$@"
