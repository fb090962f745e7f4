# Sourced by the workload scripts: one gatehouse server, configured as in
# production (not --dev), pinned to the server CPU.
#
#   gh_configure DIR DATABASE_URL   # settings for a server, in DIR
#   gh_add_user                     # the admin the loads sign in as
#   gh_start [WRAPPER...]           # start, wait for /readyz; sets GH_PID
#   gh_access_cookie                # sign in; prints the access token
#   gh_stop                         # sets GH_PEAK_RSS_KB, then stops it
#
# Production settings, with what a benchmark needs on top: a public URL on
# loopback (allowed over http), an app origin on the same site (trusted for
# CSRF and CORS), and sign-in failure limits so high that the rate limiter
# never cuts a login row. The guard rules are SPEC §7's example, in the
# file the black-box tests read (testing/testdata/guard.toml).
# shellcheck shell=bash

GH_EMAIL=bench@example.test
GH_PASSWORD="bench password 123"
GH_ACCESS_COOKIE=access_token

gh_configure() {
  GH_DIR=$1
  GH_PORT=$(bench_free_port)
  GH_URL=http://127.0.0.1:$GH_PORT
  # Never connected to: it only has to be a trusted origin on the API's site.
  GH_ORIGIN=http://127.0.0.1:3000
  export GATEHOUSE_LISTEN=127.0.0.1:$GH_PORT
  export GATEHOUSE_DATABASE_URL=$2
  export GATEHOUSE_PUBLIC_URL=$GH_URL
  export GATEHOUSE_TRUSTED_ORIGINS=$GH_ORIGIN
  export GATEHOUSE_CONFIG=$BENCH_ROOT/testing/testdata/guard.toml
  GATEHOUSE_MASTER_KEY=$(bench_random_hex 32)
  GATEHOUSE_INTERNAL_SECRET=$(bench_random_hex 32)
  export GATEHOUSE_MASTER_KEY GATEHOUSE_INTERNAL_SECRET
  export GATEHOUSE_LOGIN_ACCOUNT_LIMIT=1000000000
  export GATEHOUSE_LOGIN_IP_LIMIT=1000000000
}

gh_add_user() {
  if ! printf '%s\n' "$GH_PASSWORD" |
    "$GATEHOUSE_BIN" user add --email "$GH_EMAIL" --role admin \
      --password-stdin >>"$GH_DIR/cli.log" 2>&1; then
    tail -n 20 "$GH_DIR/cli.log" >&2
    bench_die "gatehouse user add failed (log above)"
  fi
}

# gh_start [WRAPPER...]: starts the server (under WRAPPER, e.g. valgrind,
# which must exec it) and waits at most 60 s for a 200 from /readyz.
# shellcheck disable=SC2120  # the wrapper is optional
gh_start() {
  # taskset execs the rest, so $! is the server itself.
  taskset -c "$BENCH_SERVER_CPU" "$@" "$GATEHOUSE_BIN" serve >>"$GH_DIR/server.log" 2>&1 &
  GH_PID=$!
  bench_track "$GH_PID"
  local i
  for ((i = 0; i < 600; i++)); do
    if curl -sf -o /dev/null --max-time 1 "$GH_URL/readyz"; then return 0; fi
    kill -0 "$GH_PID" 2>/dev/null || break
    sleep 0.1
  done
  tail -n 20 "$GH_DIR/server.log" >&2
  bench_die "gatehouse did not become ready (log above)"
}

gh_stop() {
  # shellcheck disable=SC2034  # the result, read by the caller
  GH_PEAK_RSS_KB=$(bench_peak_rss_kb "$GH_PID")
  bench_stop "$GH_PID"
}

# Signs in once; prints the access token the response sets.
gh_access_cookie() {
  local token
  token=$(curl -sf -D - -o /dev/null --max-time 10 -X POST \
    -H 'Content-Type: application/json' -d "$(gh_login_body)" \
    "$GH_URL/api/v1/auth/login" |
    sed -n "s/^Set-Cookie: $GH_ACCESS_COOKIE=\([^;]*\);.*/\1/p" | head -n 1)
  [[ -n $token ]] || bench_die "sign-in set no $GH_ACCESS_COOKIE cookie"
  echo "$token"
}

# The login body, for wrk and the loader.
gh_login_body() {
  jq -cn --arg e "$GH_EMAIL" --arg p "$GH_PASSWORD" '{email: $e, password: $p}'
}
