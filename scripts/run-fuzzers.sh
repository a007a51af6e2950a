#!/usr/bin/env bash
# Runs every libFuzzer target built by the "fuzz" preset, starting from the
# seed corpus in fuzz/seeds/<target>/. CI runs a fixed number of inputs with a
# fixed seed (FUZZ_RUNS, default 20000; at most N seconds each, default 60) so
# that a red run is reproducible; for real fuzzing give FUZZ_SEED=0 and a
# larger time, e.g. FUZZ_RUNS=-1 scripts/run-fuzzers.sh 3600.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
runs=${FUZZ_RUNS:-20000}
seed=${FUZZ_SEED:-1}
status=0
for bin in build/fuzz/fuzz/*_fuzz; do
  [ -x "$bin" ] || continue
  name=$(basename "$bin")
  corpus=$(mktemp -d)
  seeds=fuzz/seeds/${name%_fuzz}
  [ -d "$seeds" ] && cp -r "$seeds"/. "$corpus"/
  echo "-- $name: $runs inputs, seed $seed, at most ${seconds}s"
  if ! "$bin" -seed="$seed" -runs="$runs" -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=65536 "$corpus" \
        -artifact_prefix="build/fuzz/${name}-" >"build/fuzz/${name}.log" 2>&1; then
    echo "FAILED: $name (see build/fuzz/${name}.log)"; tail -30 "build/fuzz/${name}.log"; status=1
  else
    grep -E '^(#[0-9]+.*DONE|Done)' "build/fuzz/${name}.log" | tail -1 || true
  fi
  rm -rf "$corpus"
done
exit $status
