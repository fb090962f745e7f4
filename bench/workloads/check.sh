#!/usr/bin/env bash
# Row check-BACKEND: GET /api/v1/auth/check as nginx's auth_request sends
# it for a role-protected page (/admin, role admin, from the [guard] rules
# in bench/lib/gatehouse.sh), signed in as an admin; the same load as the
# verify row. Every answer should be a 2xx (allowed).
#
#   bench/workloads/check.sh sqlite|postgres
set -euo pipefail
# shellcheck source=bench/lib/common.sh
source "$(dirname "$0")/../lib/common.sh"
# shellcheck source=bench/lib/gatehouse.sh
source "$BENCH_ROOT/bench/lib/gatehouse.sh"
# shellcheck source=bench/lib/database.sh
source "$BENCH_ROOT/bench/lib/database.sh"

backend=${1:-sqlite}
bench_workdir "check-$backend"
bench_database "$backend" "$BENCH_WORK"
gh_configure "$BENCH_WORK" "$BENCH_DB_URL"
gh_add_user
gh_start
cookie=$(gh_access_cookie)
bench_wrk "$BENCH_WORK/load.json" "$BENCH_CONNECTIONS" \
  -H "Cookie: $GH_ACCESS_COOKIE=$cookie" \
  -H "X-Original-Method: GET" -H "X-Original-URI: /admin" \
  "$GH_URL/api/v1/auth/check"
gh_stop
bench_write_row "check-$backend" "$BENCH_WORK/load.json" "$GH_PEAK_RSS_KB"
