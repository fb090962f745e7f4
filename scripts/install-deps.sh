#!/usr/bin/env bash
# Installs the Debian 12 packages gatehouse needs to build and test, and
# only those that are missing, so running it again is quick and harmless.
# Needs root (or sudo) only when something is missing. Then installs the
# npm packages of the browser tests (tests/browser), the JS client
# (clients/js) and the Next.js example (examples/nextjs), each when missing
# or older than its package-lock.json.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

packages=(
  build-essential cmake ninja-build pkg-config git curl ca-certificates
  libboost1.81-dev libboost-json1.81-dev
  libsodium-dev libsqlite3-dev libpq-dev
  # PostgreSQL 15 server: the storage tests start a private cluster of it
  # (testing/pg_cluster.h); libpq-dev above is the client library.
  postgresql-15
  libcli11-dev libspdlog-dev libfmt-dev libtomlplusplus-dev
  libpsl-dev publicsuffix
  # TLS for `gatehouse doctor --live` against an https:// API; the openssl
  # tool makes the test certificates of doctor_live_test and of the
  # Next.js browser test.
  libssl-dev openssl
  googletest libgtest-dev
  # nginx: tests/integration/nginx_test runs deploy/nginx/gatehouse.conf
  # in a private nginx (its own prefix and port); the system service the
  # package may start is not used.
  nginx
  # caddy: caddy_test runs deploy/caddy/Caddyfile in a private Caddy, not the service.
  caddy
  clang-format
  # clang builds the sanitizer pass of `make test` (Makefile: asan), which
  # checks the lock annotations, and the fuzz targets (tests/fuzz,
  # build-fuzz); libFuzzer's and the sanitizers' runtimes come with
  # libclang-rt-14-dev (only a recommendation of clang's, so named).
  clang libclang-rt-14-dev
  # Browser tests: Debian's Chromium, driven by playwright-core (which
  # never downloads a browser), and a font for its screenshots.
  chromium fonts-dejavu-core
)
# Node.js only when there is no `node` at all: a newer one installed
# another way (e.g. Node 20) is kept.
if ! command -v node >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} Debian packages present"
else
  echo "install-deps: installing ${missing[*]}"
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# playwright-core needs Node.js 20 or newer; Debian 12's own is 18.
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
  echo "install-deps: warning: Node.js $(node --version) found; the browser" \
       "tests (tests/browser) need Node.js 20 or newer" >&2
fi

# npm ci rewrites node_modules/.package-lock.json, so this is newer than
# package-lock.json exactly when node_modules matches it.
npm_ci_if_stale() {
  local dir="$repo/$1"
  if [ ! -f "$dir/node_modules/.package-lock.json" ] ||
     [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    echo "install-deps: npm ci in $1"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
}
npm_ci_if_stale tests/browser
npm_ci_if_stale clients/js
# The Next.js example links clients/js (file:), built: its dist/ must exist
# before the example's npm ci and build. `npm test` there rebuilds it.
if [ ! -f "$repo/clients/js/dist/next.js" ]; then
  echo "install-deps: building clients/js"
  (cd "$repo/clients/js" && npm run --silent build)
fi
npm_ci_if_stale examples/nextjs
