# Sourced by every bench script: settings, CPU pinning, and the processes
# and directories a script started, which its EXIT trap stops and removes
# (also when the script fails or is interrupted).
#
# Settings (environment, with defaults):
#   BENCH_BUILD        build directory with gatehouse and the bench tools
#   BENCH_RESULTS      raw results, one JSON file per row
#   BENCH_DURATION     seconds per measured run
#   BENCH_CONNECTIONS  connections of the verify, check and ceiling runs
#   BENCH_SERVER_CPU   CPU of everything serving: gatehouse, nginx, PostgreSQL
#   BENCH_LOAD_CPU     CPU of everything loading: wrk, gatehouse_loader
# shellcheck shell=bash

BENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BENCH_BUILD=${BENCH_BUILD:-$BENCH_ROOT/build-bench}
BENCH_RESULTS=${BENCH_RESULTS:-$BENCH_ROOT/bench/results}
BENCH_DURATION=${BENCH_DURATION:-10}
BENCH_CONNECTIONS=${BENCH_CONNECTIONS:-32}
BENCH_SERVER_CPU=${BENCH_SERVER_CPU:-0}
BENCH_LOAD_CPU=${BENCH_LOAD_CPU:-1}
GATEHOUSE_BIN=${GATEHOUSE_BIN:-$BENCH_BUILD/gatehouse}
LOADER_BIN=${LOADER_BIN:-$BENCH_BUILD/gatehouse_loader}

# Any run longer than its own duration by this much is hung, not slow.
BENCH_HANG_MARGIN=60

bench_log() { echo "bench: $*" >&2; }
bench_die() {
  bench_log "error: $*"
  exit 1
}

# --- processes this script started, stopped by PID at exit -------------
BENCH_PIDS=()     # "pid:signal", in start order
BENCH_DIRS=()     # directories to remove at exit

# bench_track PID [SIGNAL]: stop PID with SIGNAL (TERM) at exit.
bench_track() { BENCH_PIDS+=("$1:${2:-TERM}"); }

# bench_untrack PID: forget PID once it has ended, so that exit never
# signals a process that has since taken its number.
bench_untrack() {
  local kept=() entry
  for entry in "${BENCH_PIDS[@]}"; do
    [[ ${entry%%:*} == "$1" ]] || kept+=("$entry")
  done
  BENCH_PIDS=(${kept[@]+"${kept[@]}"})
}

# bench_wait_for CMD...: runs CMD as a tracked child and waits for it,
# returning its status. Unlike a plain foreground command, the wait ends as
# soon as this script is signalled, so its EXIT trap runs at once.
bench_wait_for() {
  "$@" &
  local pid=$! status=0
  bench_track "$pid"
  wait "$pid" || status=$?
  bench_untrack "$pid"
  return "$status"
}

# bench_stop PID [SIGNAL]: sends SIGNAL (TERM), waits up to 15 s for the
# process to exit, then kills it, and forgets it. Quiet if it is already
# gone. PID must be a child of this script.
bench_stop() {
  local pid=$1 signal=${2:-TERM}
  if kill -0 "$pid" 2>/dev/null; then
    kill -"$signal" "$pid" 2>/dev/null || true
    local i
    for ((i = 0; i < 150; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      bench_log "pid $pid ignored SIG$signal for 15 s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  wait "$pid" 2>/dev/null || true
  bench_untrack "$pid"
}

bench_cleanup() {
  local i entry
  for ((i = ${#BENCH_PIDS[@]} - 1; i >= 0; i--)); do
    entry=${BENCH_PIDS[i]}
    bench_stop "${entry%%:*}" "${entry#*:}"
  done
  BENCH_PIDS=()
  for entry in "${BENCH_DIRS[@]}"; do rm -rf "$entry"; done
  BENCH_DIRS=()
}
trap bench_cleanup EXIT
# A signal ends the script through exit, so the EXIT trap runs.
trap 'exit 130' INT
trap 'exit 143' TERM

# bench_workdir NAME: sets BENCH_WORK to a fresh scratch directory, removed
# at exit. It lives in the build directory, on the disk the build is on,
# not in a /tmp that may be tmpfs: fsync costs are part of what the
# database rows measure. (Not called as $(...): the removal must be
# registered in this shell, not in a subshell.)
bench_workdir() {
  BENCH_WORK=$BENCH_BUILD/bench-work/$1
  rm -rf "$BENCH_WORK"
  mkdir -p "$BENCH_WORK"
  BENCH_DIRS+=("$BENCH_WORK")
}

# --- measuring ----------------------------------------------------------
bench_free_port() { "$LOADER_BIN" free-port; }

# bench_peak_rss_kb PID: the process's peak resident set (VmHWM), in kB.
bench_peak_rss_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }

# bench_random_hex BYTES: that many random bytes as lower-case hex.
bench_random_hex() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }

# bench_wrk OUT CONNECTIONS [wrk args...] URL: one wrk run on the load CPU
# for BENCH_DURATION seconds, its summary written to OUT as JSON
# (bench/wrk/json_report.lua). WRK_METHOD and WRK_BODY pass through.
bench_wrk() {
  local out=$1 connections=$2
  shift 2
  WRK_JSON_OUT=$out bench_wait_for timeout $((BENCH_DURATION + BENCH_HANG_MARGIN)) \
    taskset -c "$BENCH_LOAD_CPU" wrk -t1 -c"$connections" -d"${BENCH_DURATION}s" \
    --timeout 10s -s "$BENCH_ROOT/bench/wrk/json_report.lua" "$@" >/dev/null
  [[ -s $out ]] || bench_die "wrk wrote no summary to $out"
}

# bench_loader ARGS...: gatehouse_loader on the load CPU, bounded in time.
bench_loader() {
  bench_wait_for timeout $((BENCH_DURATION + BENCH_HANG_MARGIN)) \
    taskset -c "$BENCH_LOAD_CPU" "$LOADER_BIN" "$@"
}

# bench_write_row ROW LOAD_JSON PEAK_RSS_KB [KEY=JSON...]: the result of
# one table row, as BENCH_RESULTS/ROW.json:
#   {"row": ROW, "run_id": BENCH_RUN_ID (set by bench/run.sh),
#    "load": <LOAD_JSON's document>, "server_peak_rss_kb": N,
#    KEY: <JSON value>...}
bench_write_row() {
  local row=$1 load=$2 rss=$3
  shift 3
  local args=(--arg row "$row" --arg run_id "${BENCH_RUN_ID:-}" \
    --argjson rss "${rss:-null}" --slurpfile load "$load")
  # shellcheck disable=SC2016  # jq variables, not shell ones
  local filter='{row: $row, run_id: $run_id, load: $load[0], server_peak_rss_kb: $rss}'
  local pair
  for pair in "$@"; do
    args+=(--argjson "${pair%%=*}" "${pair#*=}")
    filter+=" + {${pair%%=*}: \$${pair%%=*}}"
  done
  mkdir -p "$BENCH_RESULTS"
  jq -n "${args[@]}" "$filter" >"$BENCH_RESULTS/$row.json"
  bench_log "$row: $(jq -c '.load | {requests_per_s, p50_ms, p99_ms, errors,
    ready_ms_p50, idle_rss_kb_max} | with_entries(select(.value != null))' \
    "$BENCH_RESULTS/$row.json")"
}
