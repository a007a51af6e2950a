#!/usr/bin/env bash
# Installs the Debian 12 packages exportctl needs to build, test and benchmark,
# and the front-end packages (web/package.json, from npm) that the build
# compiles into the binary. Safe to re-run; installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
packages=(
  build-essential cmake pkg-config git
  clang clang-format clang-tidy libclang-rt-14-dev
  libyaml-cpp-dev nlohmann-json3-dev libcli11-dev
  libicu-dev libopencc-dev opencc libsqlite3-dev libcpp-httplib-dev
  libgtest-dev libgmock-dev googletest libbenchmark-dev
  hyperfine wrk curl python3 python3-yaml
  libssl-dev libhangul-data libpq-dev postgresql sqlite3 libzstd-dev
  chromium chromium-driver python3-selenium fonts-wqy-zenhei
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js and npm: Debian's, unless the machine already has them.
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
else
  echo "install-deps: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# Front-end libraries at the versions web/package-lock.json pins.
if [ ! -f web/node_modules/chart.js/dist/chart.umd.min.js ]; then
  echo "install-deps: npm ci (web/)"
  npm ci --prefix web --no-audit --no-fund --loglevel=error
fi
