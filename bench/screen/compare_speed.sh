#!/usr/bin/env bash
# Screening speed of two builds side by side in one run: each build's
# screen_bench alternately, RUNS times, the median of each figure printed.
# The machine is shared (2 cores); alternating and taking medians keeps a
# busy moment from deciding the comparison.
# Usage: bench/screen/compare_speed.sh BASELINE_BUILD_DIR NEW_BUILD_DIR [RUNS] [QUERIES]
set -euo pipefail
cd "$(dirname "$0")/../.."
base=$1 new=$2 runs=${3:-5} queries=${4:-20000}
shared=${SHARED:-../shared}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for i in $(seq "$runs"); do
  for b in "$base" "$new"; do
    line=$("$b/bench/screen_bench" --shared "$shared" --no-baseline --queries "$queries" --benchmark_filter=NONE 2>&1 |
      grep '^exportctl index')
    echo "$b $line" >>"$out"
  done
done
python3 - "$out" "$base" "$new" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    parts = line.split()
    build, nums = parts[0], parts[5:10]
    rows.setdefault(build, []).append([float(x) for x in nums])
print(f"{'build':40} {'p50 us':>8} {'p99 us':>8} {'1 core n/s':>11} {'2 threads n/s':>14}  (median of {len(rows[sys.argv[2]])} runs)")
for b in sys.argv[2:]:
    cols = list(zip(*rows[b]))
    med = [statistics.median(c) for c in cols]
    print(f"{b:40} {med[0]:8.1f} {med[1]:8.1f} {med[3]:11.0f} {med[4]:14.0f}")
PY
