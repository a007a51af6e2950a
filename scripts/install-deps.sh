#!/usr/bin/env bash
# Installs the Debian 12 packages exportctl needs to build, test and benchmark.
# Safe to re-run; installs only what is missing.
set -euo pipefail
packages=(
  build-essential cmake pkg-config git
  clang clang-format clang-tidy libclang-rt-14-dev
  libyaml-cpp-dev nlohmann-json3-dev libcli11-dev
  libicu-dev libopencc-dev opencc libsqlite3-dev libcpp-httplib-dev
  libgtest-dev libgmock-dev googletest libbenchmark-dev
  hyperfine wrk curl python3 python3-yaml
  libssl-dev libhangul-data libpq-dev postgresql sqlite3 libzstd-dev
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
