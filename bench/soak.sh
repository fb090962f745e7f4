#!/usr/bin/env bash
# Soak: the sanitizer build of the server under mixed load for a bounded
# time, then a graceful stop, so that AddressSanitizer, UndefinedBehavior-
# Sanitizer and LeakSanitizer (at exit) all have their say.
#
#   bench/soak.sh [GATEHOUSE_BIN]      (or make soak)
#
# Settings (environment, with defaults):
#   GATEHOUSE_BIN   the server, built with -DGATEHOUSE_SANITIZE=ON
#                   (build-asan/gatehouse, as `make asan` builds it)
#   SOAK_SECONDS    seconds of load (180)
#   SOAK_OUT        where the server's stderr, the RSS samples and the load
#                   counts are kept (a fresh directory under /tmp)
#
# The server runs `serve --dev` on a free loopback port with a SQLite
# database in a temporary directory, pinned to BENCH_SERVER_CPU; the load
# (bench/soak_client.py: sessions on keep-alive connections, slow clients,
# garbage requests) runs on BENCH_LOAD_CPU. VmRSS is sampled every 5 s.
#
# The run fails, with a summary, when any of these does not hold:
#   - the server exits 0 on SIGTERM;
#   - its stderr has no "ERROR: AddressSanitizer", "runtime error:" or
#     "LeakSanitizer";
#   - every answer with a body is a JSON envelope;
#   - RSS is flat over the last two thirds of the run: its largest sample
#     there exceeds its first sample there by at most 10% or 8 MiB,
#     whichever is larger (the first third is warm-up: allocator arenas,
#     sanitizer shadow and caches filling).
set -euo pipefail
# shellcheck source=bench/lib/common.sh
source "$(dirname "$0")/lib/common.sh"

GATEHOUSE_BIN=${1:-${GATEHOUSE_BIN:-$BENCH_ROOT/build-asan/gatehouse}}
SOAK_SECONDS=${SOAK_SECONDS:-180}
RSS_INTERVAL=5
# The account page's origin; trusted on top of --dev's own.
ORIGIN=http://localhost:8080

[[ -x $GATEHOUSE_BIN ]] || bench_die "no server at $GATEHOUSE_BIN (build it with: make asan)"
SOAK_OUT=${SOAK_OUT:-$(mktemp -d /tmp/gatehouse-soak.XXXXXX)}
mkdir -p "$SOAK_OUT"
data=$(mktemp -d)
BENCH_DIRS+=("$data")

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export GATEHOUSE_LISTEN=127.0.0.1:$port
export GATEHOUSE_DATABASE_URL=sqlite://$data/gatehouse.db
export GATEHOUSE_TRUSTED_ORIGINS=$ORIGIN
# The load signs in again and again; the failure limits must not cut it.
export GATEHOUSE_LOGIN_ACCOUNT_LIMIT=1000000000
export GATEHOUSE_LOGIN_IP_LIMIT=1000000000

# taskset execs the server, so $! is the server itself.
taskset -c "$BENCH_SERVER_CPU" "$GATEHOUSE_BIN" serve --dev \
  >"$SOAK_OUT/server.out" 2>"$SOAK_OUT/server.err" &
pid=$!
bench_track "$pid"
for ((i = 0; i < 600; i++)); do
  curl -sf -o /dev/null --max-time 1 "http://127.0.0.1:$port/readyz" && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
if ! curl -sf -o /dev/null --max-time 1 "http://127.0.0.1:$port/readyz"; then
  tail -n 30 "$SOAK_OUT/server.err" >&2
  bench_die "the server did not become ready (stderr above)"
fi
bench_log "server pid $pid on port $port; load for ${SOAK_SECONDS}s; output in $SOAK_OUT"

# RSS sampler: "seconds_since_start kB" per line, until the server ends.
(
  start=$SECONDS
  while kill -0 "$pid" 2>/dev/null; do
    rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null) || break
    [[ -n $rss ]] && echo "$((SECONDS - start)) $rss"
    sleep "$RSS_INTERVAL"
  done
) >"$SOAK_OUT/rss.txt" &
sampler=$!
bench_track "$sampler"

load_status=0
bench_wait_for timeout $((SOAK_SECONDS + BENCH_HANG_MARGIN + 60)) \
  taskset -c "$BENCH_LOAD_CPU" python3 "$BENCH_ROOT/bench/soak_client.py" \
  "$port" "$SOAK_SECONDS" "$ORIGIN" "$SOAK_OUT/load.json" || load_status=$?

# Graceful stop; LeakSanitizer runs as the process exits.
kill -TERM "$pid"
server_status=0
for ((i = 0; i < 600; i++)); do
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
if kill -0 "$pid" 2>/dev/null; then
  bench_log "the server ignored SIGTERM for 60 s; killing it"
  kill -KILL "$pid"
fi
wait "$pid" || server_status=$?
bench_untrack "$pid"
bench_stop "$sampler"

# --- verdict --------------------------------------------------------------
failures=()
[[ $load_status -eq 0 ]] || failures+=("the load client exited $load_status")
[[ $server_status -eq 0 ]] || failures+=("the server exited $server_status")
sanitizer=$(grep -c -E 'ERROR: AddressSanitizer|runtime error:|LeakSanitizer' \
  "$SOAK_OUT/server.err" || true)
[[ $sanitizer -eq 0 ]] || failures+=("$sanitizer sanitizer report lines in server.err")
non_envelope=$(jq '.non_envelope' "$SOAK_OUT/load.json" 2>/dev/null || echo missing)
[[ $non_envelope == 0 ]] || failures+=("non-envelope answers: $non_envelope")

# RSS rule: over the samples after the first third of the run.
rss_verdict=$(awk -v total="$SOAK_SECONDS" '
  NR == 1 { first = $2 }
  { last = $2 }
  $1 >= total / 3 && base == "" { base = $2; base_t = $1 }
  $1 >= total / 3 && $2 > peak { peak = $2 }
  END {
    if (base == "") { print "FAIL no RSS sample after warm-up"; exit }
    allowed = base * 0.10; if (allowed < 8192) allowed = 8192
    verdict = (peak - base <= allowed) ? "ok" : "FAIL"
    printf "%s start %d kB, after warm-up (t=%ds) %d kB, peak after %d kB, end %d kB, growth %d kB (allowed %d)\n",
      verdict, first, base_t, base, peak, last, peak - base, allowed
  }' "$SOAK_OUT/rss.txt")
[[ $rss_verdict == ok* ]] || failures+=("RSS not flat: $rss_verdict")

echo "soak: ${SOAK_SECONDS}s against $GATEHOUSE_BIN"
jq -r '"requests: \(.requests_total) \(.requests | tostring)",
  "statuses: \(.statuses | tostring)",
  "transport errors: \(.transport_errors | tostring); slow clients cut off: \(.slow_clients_cut_off)",
  "non-envelope answers: \(.non_envelope) \(.non_envelope_samples | tostring)"' \
  "$SOAK_OUT/load.json" 2>/dev/null || echo "no load counts"
echo "rss: $rss_verdict"
echo "server exit status: $server_status; sanitizer report lines: $sanitizer"
echo "output: $SOAK_OUT"
if ((${#failures[@]})); then
  printf 'soak: FAIL: %s\n' "${failures[@]}"
  exit 1
fi
echo "soak: ok"
