#!/usr/bin/env bash
# /auth/me latency, idle and under a login flood (SPEC §10: a flood of
# sign-ins never delays it): the login and login-flood rows of the full
# suite, on their own. Builds build-bench/ if needed; the rows land in
# bench/results/ and bench/results/report.md. `make bench` runs everything.
#
#   bench/login_flood.sh
set -euo pipefail
exec "$(dirname "$0")/run.sh" login:sqlite login_flood:sqlite
