#!/usr/bin/env bash
# Rows login-flood-idle-BACKEND and login-flood-BACKEND: does a flood of
# sign-ins delay /auth/me (SPEC §10)? /auth/me is probed by wrk on 4
# connections, first with nothing else going on, then while sign-ins
# arrive at BENCH_FLOOD_FACTOR (2) times the hashing capacity the login
# row measured (gatehouse_loader login-rate: an open loop, so the excess
# piles up in the server's hashing queue and past it gets 503 at once).
#
#   bench/workloads/login_flood.sh sqlite|postgres   (after login.sh)
set -euo pipefail
# shellcheck source=bench/lib/common.sh
source "$(dirname "$0")/../lib/common.sh"
# shellcheck source=bench/lib/gatehouse.sh
source "$BENCH_ROOT/bench/lib/gatehouse.sh"
# shellcheck source=bench/lib/database.sh
source "$BENCH_ROOT/bench/lib/database.sh"

backend=${1:-sqlite}
probe_connections=4
login_row=$BENCH_RESULTS/login-$backend.json
[[ -s $login_row ]] || bench_die "no $login_row: run bench/workloads/login.sh $backend first"
capacity=$(jq '.load.requests_per_s' "$login_row")
rate=$(jq -n --argjson c "$capacity" --argjson f "${BENCH_FLOOD_FACTOR:-2}" \
  '[$c * $f, 1] | max')

bench_workdir "login-flood-$backend"
bench_database "$backend" "$BENCH_WORK"
gh_configure "$BENCH_WORK" "$BENCH_DB_URL"
gh_add_user
gh_start
cookie=$(gh_access_cookie)
me=(-H "Cookie: $GH_ACCESS_COOKIE=$cookie" "$GH_URL/api/v1/auth/me")

bench_wrk "$BENCH_WORK/idle.json" "$probe_connections" "${me[@]}"
idle_rss=$(bench_peak_rss_kb "$GH_PID")

# The flood starts 2 s before the probe and ends 2 s after it, so the whole
# probe runs under a full hashing queue. timeout is the direct child here,
# so stopping its PID stops the loader too.
timeout $((BENCH_DURATION + 4 + BENCH_HANG_MARGIN)) \
  taskset -c "$BENCH_LOAD_CPU" "$LOADER_BIN" login-rate --url "$GH_URL" \
  --email "$GH_EMAIL" --password "$GH_PASSWORD" --rate "$rate" \
  --duration $((BENCH_DURATION + 4)) --out "$BENCH_WORK/flood.json" &
flood=$!
bench_track "$flood"
sleep 2
bench_wrk "$BENCH_WORK/busy.json" "$probe_connections" "${me[@]}"
wait "$flood" || bench_die "the login flood failed"
bench_untrack "$flood"
gh_stop

bench_write_row "login-flood-idle-$backend" "$BENCH_WORK/idle.json" "$idle_rss" \
  "probe_connections=$probe_connections"
bench_write_row "login-flood-$backend" "$BENCH_WORK/busy.json" "$GH_PEAK_RSS_KB" \
  "probe_connections=$probe_connections" "login_capacity_per_s=$capacity" \
  "flood=$(jq -c . "$BENCH_WORK/flood.json")"
