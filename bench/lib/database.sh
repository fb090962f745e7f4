# Sourced by the workload scripts: the database a workload runs on.
#
#   bench_database BACKEND DIR   # sqlite or postgres; sets BENCH_DB_URL
#
# SQLite: a new file in DIR. PostgreSQL: a new private cluster in DIR
# (bench/lib/postgres.sh), stopped when the script exits.
# shellcheck shell=bash
# shellcheck source=bench/lib/postgres.sh
source "$BENCH_ROOT/bench/lib/postgres.sh"

# shellcheck disable=SC2034  # BENCH_DB_URL is the result, read by the caller
bench_database() {
  case $1 in
    sqlite) BENCH_DB_URL=sqlite://$2/gatehouse.db ;;
    postgres)
      pg_start "$2"
      BENCH_DB_URL=$PG_URL
      ;;
    *) bench_die "unknown backend '$1' (sqlite or postgres)" ;;
  esac
}
