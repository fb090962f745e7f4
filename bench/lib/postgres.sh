# Sourced by the workload scripts that run on PostgreSQL: a private
# PostgreSQL 15 cluster, as testing/pg_cluster.cc makes for the tests.
#
#   pg_start DIR    # initdb in DIR/pg, start on a free loopback port;
#                   # sets PG_URL (database "gatehouse") and PG_PID
#
# The server is pinned to the server CPU beside gatehouse (the database is
# part of what serves a request) and runs with PostgreSQL's defaults,
# fsync and synchronous_commit on, as in production. It runs as the
# `postgres` OS user when we are root (initdb and postgres refuse root).
# It is stopped at exit with SIGINT, PostgreSQL's fast shutdown.
# shellcheck shell=bash

PG_BIN=/usr/lib/postgresql/15/bin

# The command prefix that runs a program as the cluster's owner.
PG_AS_OWNER=()
if [[ $(id -u) -eq 0 ]]; then
  PG_AS_OWNER=(setpriv --reuid=postgres --regid=postgres --init-groups --)
fi

pg_start() {
  local dir=$1/pg
  [[ -x $PG_BIN/postgres ]] || bench_die "PostgreSQL 15 is not installed ($PG_BIN)"
  mkdir -p "$dir"
  if [[ $(id -u) -eq 0 ]]; then
    chown postgres: "$dir"
    "${PG_AS_OWNER[@]}" test -w "$dir" ||
      bench_die "the postgres user cannot write $dir (a parent directory is closed to it)"
  fi
  "${PG_AS_OWNER[@]}" "$PG_BIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 \
    --locale=C --no-sync >"$dir/initdb.log" 2>&1 ||
    bench_die "initdb failed: $(tail -n 5 "$dir/initdb.log")"
  local port
  port=$(bench_free_port)
  # exec chain (taskset, setpriv, postgres): $! is the postmaster itself.
  taskset -c "$BENCH_SERVER_CPU" "${PG_AS_OWNER[@]}" "$PG_BIN/postgres" -D "$dir/data" -p "$port" \
    -c listen_addresses=127.0.0.1 -c unix_socket_directories="$dir" \
    >"$dir/server.log" 2>&1 &
  PG_PID=$!
  bench_track "$PG_PID" INT
  local i
  for ((i = 0; i < 300; i++)); do
    if pg_isready -q -h 127.0.0.1 -p "$port"; then break; fi
    kill -0 "$PG_PID" 2>/dev/null || bench_die "postgres exited: $(tail -n 5 "$dir/server.log")"
    sleep 0.1
  done
  psql -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres \
    -c 'CREATE DATABASE gatehouse' >/dev/null ||
    bench_die "cannot create the gatehouse database"
  # shellcheck disable=SC2034  # the result, read by the caller
  PG_URL=postgres://postgres@127.0.0.1:$port/gatehouse
}
