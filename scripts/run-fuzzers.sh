#!/usr/bin/env bash
# Runs every libFuzzer target built by the "fuzz" preset for N seconds each
# (default 15), starting from the seed corpus in fuzz/seeds/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-15}
status=0
for bin in build/fuzz/fuzz/*_fuzz; do
  [ -x "$bin" ] || continue
  name=$(basename "$bin")
  corpus=$(mktemp -d)
  seeds=fuzz/seeds/${name%_fuzz}
  [ -d "$seeds" ] && cp -r "$seeds"/. "$corpus"/
  echo "-- $name for ${seconds}s"
  if ! "$bin" -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=65536 "$corpus" \
        -artifact_prefix="build/fuzz/${name}-" >"build/fuzz/${name}.log" 2>&1; then
    echo "FAILED: $name (see build/fuzz/${name}.log)"; tail -30 "build/fuzz/${name}.log"; status=1
  else
    grep -E '^(#[0-9]+.*DONE|Done)' "build/fuzz/${name}.log" | tail -1 || true
  fi
  rm -rf "$corpus"
done
exit $status
