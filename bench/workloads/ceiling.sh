#!/usr/bin/env bash
# Row ceiling: the machine's HTTP ceiling under the verify row's load. A
# private nginx (its own prefix, a free loopback port, worker_processes 1,
# pinned to the server CPU) answers every request with `return 200`; wrk
# loads it with the verify row's connections and duration. No HTTP server
# on this core can answer much faster, so gatehouse's rows read as a
# fraction of it.
set -euo pipefail
# shellcheck source=bench/lib/common.sh
source "$(dirname "$0")/../lib/common.sh"

bench_workdir ceiling
port=$(bench_free_port)
mkdir -p "$BENCH_WORK/tmp"
cat >"$BENCH_WORK/nginx.conf" <<EOF_CONF
daemon off;
master_process on;
worker_processes 1;
pid $BENCH_WORK/nginx.pid;
error_log $BENCH_WORK/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $BENCH_WORK/tmp/body;
  proxy_temp_path $BENCH_WORK/tmp/proxy;
  fastcgi_temp_path $BENCH_WORK/tmp/fastcgi;
  uwsgi_temp_path $BENCH_WORK/tmp/uwsgi;
  scgi_temp_path $BENCH_WORK/tmp/scgi;
  # gatehouse keeps a connection for any number of requests; so does this.
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$port;
    location / { return 200 "ok\n"; }
  }
}
EOF_CONF
# taskset execs nginx (daemon off), so $! is the master process.
taskset -c "$BENCH_SERVER_CPU" nginx -p "$BENCH_WORK" -c "$BENCH_WORK/nginx.conf" \
  -e "$BENCH_WORK/error.log" &
nginx_pid=$!
bench_track "$nginx_pid" QUIT
for ((i = 0; i < 100; i++)); do
  curl -sf -o /dev/null --max-time 1 "http://127.0.0.1:$port/" && break
  kill -0 "$nginx_pid" 2>/dev/null || bench_die "nginx exited: $(cat "$BENCH_WORK/error.log")"
  sleep 0.1
done
bench_wrk "$BENCH_WORK/load.json" "$BENCH_CONNECTIONS" "http://127.0.0.1:$port/"

# Peak memory of the master and its one worker together, the whole server.
rss=$(bench_peak_rss_kb "$nginx_pid")
read -ra workers <"/proc/$nginx_pid/task/$nginx_pid/children" || true  # no newline at its end
for child in "${workers[@]}"; do
  rss=$((rss + $(bench_peak_rss_kb "$child")))
done
bench_stop "$nginx_pid" QUIT
bench_write_row ceiling "$BENCH_WORK/load.json" "$rss" \
  "nginx_connections=$BENCH_CONNECTIONS"
