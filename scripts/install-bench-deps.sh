#!/usr/bin/env bash
# Installs the Debian 12 packages the benchmark suite (`make bench`,
# bench/run.sh) needs on top of scripts/install-deps.sh, and only those that
# are missing, so running it again is quick and harmless. Needs root (or
# sudo) only when something is missing.
set -euo pipefail

packages=(
  wrk                 # HTTP load for the verify, check, login and ceiling rows
  libbenchmark-dev    # Google Benchmark, for bench/micro/
  nginx               # the reference ceiling (a private instance, not the service)
  postgresql-15       # the PostgreSQL rows (a private cluster per workload)
  postgresql-client-15  # psql and pg_isready
  sqlite3             # bench/seed_sessions.sh seeds SQLite with plain SQL
  jq                  # raw results are JSON; the report is rendered with jq
  curl
  util-linux          # taskset (pinning), setpriv, findmnt
  linux-perf valgrind # bench/profile_verify.sh
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-bench-deps: all ${#packages[@]} Debian packages present"
  exit 0
fi
echo "install-bench-deps: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
