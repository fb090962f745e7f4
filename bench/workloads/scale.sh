#!/usr/bin/env bash
# Rows scale-{verify,refresh}-{base,large}-BACKEND: the verify and refresh
# rows again, with about BENCH_SCALE_BASE (1,000) and then about
# BENCH_SCALE_LARGE (1,000,000) live sessions in the database
# (bench/seed_sessions.sh adds filler sessions in one SQL transaction).
# The target: the large rows within 20% of the base rows.
#
#   bench/workloads/scale.sh sqlite|postgres
set -euo pipefail
# shellcheck source=bench/lib/common.sh
source "$(dirname "$0")/../lib/common.sh"
# shellcheck source=bench/lib/gatehouse.sh
source "$BENCH_ROOT/bench/lib/gatehouse.sh"
# shellcheck source=bench/lib/database.sh
source "$BENCH_ROOT/bench/lib/database.sh"

backend=${1:-sqlite}
bench_workdir "scale-$backend"
bench_database "$backend" "$BENCH_WORK"
gh_configure "$BENCH_WORK" "$BENCH_DB_URL"
gh_add_user  # also migrates the new database

# seed COUNT: adds COUNT filler sessions; sets SEED_MS to the time it took.
seed() {
  local started
  started=$(date +%s%N)
  bench_wait_for timeout 900 "$BENCH_ROOT/bench/seed_sessions.sh" "$BENCH_DB_URL" "$1" >&2
  SEED_MS=$((($(date +%s%N) - started) / 1000000))
}

# measure SIZE SESSIONS SEED_MS: the verify and refresh rows at this
# size, each on a fresh server process so each row's peak memory is its own.
measure() {
  local size=$1 sessions=$2 seed_ms=$3
  gh_start
  local cookie
  cookie=$(gh_access_cookie)
  bench_wrk "$BENCH_WORK/verify-$size.json" "$BENCH_CONNECTIONS" \
    -H "Cookie: $GH_ACCESS_COOKIE=$cookie" "$GH_URL/api/v1/auth/me"
  gh_stop
  bench_write_row "scale-verify-$size-$backend" "$BENCH_WORK/verify-$size.json" \
    "$GH_PEAK_RSS_KB" "sessions=$sessions" "seed_ms=$seed_ms"

  gh_start
  bench_loader refresh --url "$GH_URL" --email "$GH_EMAIL" \
    --password "$GH_PASSWORD" --origin "$GH_ORIGIN" \
    --sessions "${BENCH_REFRESH_SESSIONS:-8}" --duration "$BENCH_DURATION" \
    --out "$BENCH_WORK/refresh-$size.json"
  gh_stop
  bench_write_row "scale-refresh-$size-$backend" "$BENCH_WORK/refresh-$size.json" \
    "$GH_PEAK_RSS_KB" "sessions=$sessions" "seed_ms=$seed_ms"
}

base=${BENCH_SCALE_BASE:-1000}
large=${BENCH_SCALE_LARGE:-1000000}
seed "$base"
measure base "$base" "$SEED_MS"
seed $((large - base))
measure large "$large" "$SEED_MS"
