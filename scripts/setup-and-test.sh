#!/usr/bin/env bash
# Installs what is missing (Debian 12), then builds and runs every test: the
# release build, the same suites under ASan + UBSan, a format check, and a short
# run of each libFuzzer target.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
jobs=$(nproc)

echo "== format check (clang-format)"
files=$(git ls-files 'src/*.cpp' 'src/*.h' 'tests/*.cpp' 'tests/*.h' 'bench/*.cpp' 'fuzz/*.cpp' 2>/dev/null || true)
if [ -n "$files" ]; then clang-format --dry-run --Werror $files; fi

echo "== release build + tests"
cmake --preset release -DEXPORTCTL_TESTS=ON -DEXPORTCTL_BENCH=ON >/dev/null
cmake --build --preset release -j"$jobs"
ctest --preset release -j"$jobs"

echo "== ASan + UBSan build + tests"
cmake --preset asan >/dev/null
cmake --build --preset asan -j"$jobs"
ctest --preset asan -j"$jobs"

if [ -d fuzz ] && ls fuzz/*.cpp >/dev/null 2>&1; then
  echo "== libFuzzer smoke run (clang)"
  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz -j"$jobs"
  ./scripts/run-fuzzers.sh "${FUZZ_SECONDS:-60}"
fi
echo "== all tests passed"
