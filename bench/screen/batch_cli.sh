#!/usr/bin/env bash
# End-to-end batch run of the CLI: imports fmatch's 37,917 CSL+METI names (from ../shared, as a
# CSL-layout CSV in a temporary data dir, never copied into the repo) plus the bundled lists, then
# screens yente's 50,000 synthetic US names with `exportctl screen --file` on all cores.
# Usage: bench/screen/batch_cli.sh [BUILD_DIR]   (default build/screen); skips when ../shared is absent.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/screen}
bin=$build/src/cli/exportctl
shared=../shared/screening/data
if [ ! -f "$shared/fmatch/csl_meti_names_2022-12.csv" ]; then echo "batch_cli: $shared not found (skipped)"; exit 0; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$shared/fmatch/csl_meti_names_2022-12.csv" "$tmp/names.csv" <<'PY'
import csv, sys
out = csv.writer(open(sys.argv[2], "w", newline=""))
out.writerow(["source", "name"])
for line in open(sys.argv[1], encoding="utf-8-sig"):
    name = line.strip().strip('"')
    if name:
        out.writerow(["CSL+METI names (fmatch 2022-12)", name])
PY
"$bin" --data-dir "$tmp/dd" lists import "$tmp/names.csv" data/lists/entity_list_ai.csv data/lists/csl_watchman_*.csv \
  data/lists/ofac_sdn_2021-07.csv data/lists/bis_dpl_2022-09.txt | head -1
echo "threads: $(nproc); input: $shared/yente/negatives_us.csv"
/usr/bin/time -f "wall %e s, max RSS %M KB" \
  "$bin" --data-dir "$tmp/dd" screen --file "$shared/yente/negatives_us.csv" --name-column full_name \
  --out "$tmp/results.csv"
echo "output rows: $(($(wc -l <"$tmp/results.csv") - 1))"
