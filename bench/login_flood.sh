#!/usr/bin/env bash
# Latency of /healthz and /auth/me, idle and under a login flood (SPEC §10:
# a flood of logins never delays them). Server on CPU 0, load on CPU 1,
# loopback only, every run bounded by wrk's -d. Prints a Markdown table.
#
#   bench/login_flood.sh [path/to/gatehouse]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-build/gatehouse}
PORT=${PORT:-18181}
DURATION=${DURATION:-10s}
WORK=$(mktemp -d)
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; rm -rf "$WORK"' EXIT

GATEHOUSE_LISTEN=127.0.0.1:$PORT GATEHOUSE_DATABASE_URL=sqlite://$WORK/g.db \
GATEHOUSE_LOG_LEVEL=error GATEHOUSE_LOGIN_ACCOUNT_LIMIT=100000000 \
GATEHOUSE_LOGIN_IP_LIMIT=100000000 \
  taskset -c 0 "$BIN" serve --dev > "$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 50); do grep -q listening "$WORK/server.log" && break; sleep 0.1; done

API=http://127.0.0.1:$PORT/api/v1
curl -sf -o /dev/null -X POST "$API/auth/register" \
  -d '{"email":"bench@example.test","password":"bench password 123"}'
ACCESS=$(curl -sf -D - -o /dev/null -X POST "$API/auth/login" \
  -d '{"email":"bench@example.test","password":"bench password 123"}' |
  sed -n 's/^Set-Cookie: access_token=\([^;]*\);.*/\1/p' | head -1)

# p50 p99 requests/s errors of one wrk run, as table cells.
measure() {
  taskset -c 1 wrk -t1 -c4 -d"$DURATION" --latency "$@" 2>&1 | awk '
    /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} /Requests\/sec/ {rps=$2}
    /Non-2xx/ {err=$NF} /Socket errors/ {err="socket errors"}
    END {printf "%s | %s | %s | %s", p50, p99, rps, (err==""?0:err)}'
}

echo "| endpoint | condition | p50 | p99 | requests/s | errors |"
echo "|---|---|---|---|---|---|"
echo "| /healthz | idle | $(measure "http://127.0.0.1:$PORT/healthz") |"
echo "| /api/v1/auth/me | idle | $(measure -H "Cookie: access_token=$ACCESS" "$API/auth/me") |"

# The flood outlasts both measurements below (2 s + 2 × DURATION).
FLOOD_SECONDS=$(( 4 + 2 * ${DURATION%s} ))
taskset -c 1 wrk -t1 -c32 -d${FLOOD_SECONDS}s -s bench/login.lua "$API/auth/login" \
  > "$WORK/flood.txt" 2>&1 &
FLOOD=$!
sleep 2
echo "| /healthz | login flood (32 connections) | $(measure "http://127.0.0.1:$PORT/healthz") |"
echo "| /api/v1/auth/me | login flood (32 connections) | $(measure -H "Cookie: access_token=$ACCESS" "$API/auth/me") |"
wait $FLOOD
awk '/Requests\/sec/ {print "\nlogin flood: " $2 " responses/s"} /Non-2xx/ {print "of which non-2xx (503 UNAVAILABLE past the hashing queue): " $NF}' "$WORK/flood.txt"
