#!/usr/bin/env bash
# Row login-BACKEND: 4 connections signing in with the right password, back
# to back (wrk): each request is one argon2id verification, so this row's
# requests/s is the server's hashing capacity, which the login-flood row
# then doubles.
#
#   bench/workloads/login.sh sqlite|postgres
set -euo pipefail
# shellcheck source=bench/lib/common.sh
source "$(dirname "$0")/../lib/common.sh"
# shellcheck source=bench/lib/gatehouse.sh
source "$BENCH_ROOT/bench/lib/gatehouse.sh"
# shellcheck source=bench/lib/database.sh
source "$BENCH_ROOT/bench/lib/database.sh"

backend=${1:-sqlite}
bench_workdir "login-$backend"
bench_database "$backend" "$BENCH_WORK"
gh_configure "$BENCH_WORK" "$BENCH_DB_URL"
gh_add_user
gh_start
WRK_METHOD=POST WRK_BODY=$(gh_login_body) \
  bench_wrk "$BENCH_WORK/load.json" 4 "$GH_URL/api/v1/auth/login"
gh_stop
bench_write_row "login-$backend" "$BENCH_WORK/load.json" "$GH_PEAK_RSS_KB"
