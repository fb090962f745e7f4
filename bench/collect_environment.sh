#!/usr/bin/env bash
# Prints, as JSON, what a reader needs to weigh the numbers: the machine,
# the versions of everything measured or measuring, the pinning, the date
# and how busy the machine was before the run (load average).
#
#   bench/collect_environment.sh > bench/results/environment.json
set -euo pipefail
# shellcheck source=bench/lib/common.sh
source "$(dirname "$0")/lib/common.sh"

first_line() { "$@" 2>&1 | head -n 1; }

commit=unknown
if git -C "$BENCH_ROOT" rev-parse --git-dir >/dev/null 2>&1; then
  commit=$(git -C "$BENCH_ROOT" rev-parse --short=12 HEAD)
  # Read-only: compares the work tree with HEAD without touching the index.
  if ! git -C "$BENCH_ROOT" diff --quiet HEAD -- 2>/dev/null; then
    commit+=" with uncommitted changes"
  fi
fi

# Where the databases live: fsync costs depend on it.
mkdir -p "$BENCH_BUILD/bench-work"
fs_type=$(findmnt -n -o FSTYPE -T "$BENCH_BUILD/bench-work")
compiler=$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$BENCH_BUILD/CMakeCache.txt")

jq -n \
  --arg cpu "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)" \
  --arg cores "$(nproc --all)" \
  --arg kernel "$(uname -sr)" \
  --arg os "$(. /etc/os-release && echo "$PRETTY_NAME")" \
  --arg memory_kb "$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)" \
  --arg loadavg "$(cut -d' ' -f1-3 /proc/loadavg)" \
  --arg date "$(date -u '+%Y-%m-%d %H:%M UTC')" \
  --arg commit "$commit" \
  --arg gatehouse "$(first_line "$GATEHOUSE_BIN" version)" \
  --arg compiler "$(first_line "${compiler:-c++}" --version)" \
  --arg build_type "$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$BENCH_BUILD/CMakeCache.txt")" \
  --arg boost "$(sed -n 's/^Boost_DIR:PATH=.*Boost-\([0-9.]*\).*/\1/p' "$BENCH_BUILD/CMakeCache.txt")" \
  --arg sqlite "$(pkg-config --modversion sqlite3)" \
  --arg libsodium "$(pkg-config --modversion libsodium)" \
  --arg postgres "$(first_line /usr/lib/postgresql/15/bin/postgres --version)" \
  --arg nginx "$(first_line nginx -v)" \
  --arg wrk "$(first_line wrk -v | sed 's/ \[.*//')" \
  --arg benchmark "$(dpkg-query -W -f='${Version}' libbenchmark-dev 2>/dev/null || echo unknown)" \
  --arg fs_type "$fs_type" \
  --arg server_cpu "$BENCH_SERVER_CPU" \
  --arg load_cpu "$BENCH_LOAD_CPU" \
  --arg duration "$BENCH_DURATION" \
  --arg connections "$BENCH_CONNECTIONS" \
  '{machine: {cpu: $cpu, cores: $cores, kernel: $kernel, os: $os,
              memory_kb: $memory_kb, loadavg_before: $loadavg,
              database_fs: $fs_type},
    date: $date,
    versions: {commit: $commit, gatehouse: $gatehouse, compiler: $compiler,
               build_type: $build_type, boost: $boost, sqlite: $sqlite,
               libsodium: $libsodium, postgres: $postgres, nginx: $nginx,
               wrk: $wrk, google_benchmark: $benchmark},
    settings: {server_cpu: $server_cpu, load_cpu: $load_cpu,
               duration_s: $duration, connections: $connections}}'
