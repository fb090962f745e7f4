#!/usr/bin/env bash
# Row verify-BACKEND: GET /api/v1/auth/me with a valid access cookie, on
# BENCH_CONNECTIONS keep-alive connections (wrk): what every page load of
# a signed-in user costs.
#
#   bench/workloads/verify.sh sqlite|postgres
set -euo pipefail
# shellcheck source=bench/lib/common.sh
source "$(dirname "$0")/../lib/common.sh"
# shellcheck source=bench/lib/gatehouse.sh
source "$BENCH_ROOT/bench/lib/gatehouse.sh"
# shellcheck source=bench/lib/database.sh
source "$BENCH_ROOT/bench/lib/database.sh"

backend=${1:-sqlite}
bench_workdir "verify-$backend"
bench_database "$backend" "$BENCH_WORK"
gh_configure "$BENCH_WORK" "$BENCH_DB_URL"
gh_add_user
gh_start
cookie=$(gh_access_cookie)
bench_wrk "$BENCH_WORK/load.json" "$BENCH_CONNECTIONS" \
  -H "Cookie: $GH_ACCESS_COOKIE=$cookie" "$GH_URL/api/v1/auth/me"
gh_stop
bench_write_row "verify-$backend" "$BENCH_WORK/load.json" "$GH_PEAK_RSS_KB"
