#!/usr/bin/env bash
# Row refresh-BACKEND: chained refresh rotations, BENCH_REFRESH_SESSIONS
# (8) sessions each rotating with the token its last answer set, on its
# own connection (gatehouse_loader refresh). Every request is a real
# rotation: one write transaction.
#
#   bench/workloads/refresh.sh sqlite|postgres
set -euo pipefail
# shellcheck source=bench/lib/common.sh
source "$(dirname "$0")/../lib/common.sh"
# shellcheck source=bench/lib/gatehouse.sh
source "$BENCH_ROOT/bench/lib/gatehouse.sh"
# shellcheck source=bench/lib/database.sh
source "$BENCH_ROOT/bench/lib/database.sh"

backend=${1:-sqlite}
bench_workdir "refresh-$backend"
bench_database "$backend" "$BENCH_WORK"
gh_configure "$BENCH_WORK" "$BENCH_DB_URL"
gh_add_user
gh_start
bench_loader refresh --url "$GH_URL" --email "$GH_EMAIL" \
  --password "$GH_PASSWORD" --origin "$GH_ORIGIN" \
  --sessions "${BENCH_REFRESH_SESSIONS:-8}" --duration "$BENCH_DURATION" \
  --out "$BENCH_WORK/load.json"
gh_stop
bench_write_row "refresh-$backend" "$BENCH_WORK/load.json" "$GH_PEAK_RSS_KB"
