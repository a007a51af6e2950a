#!/usr/bin/env bash
# Batch license checks over a generated 1-million-row transactions file, on 1
# and 2 threads, timed with hyperfine. Usage: bench/check_batch.sh [ROWS]
# Needs a release build (cmake --preset release && cmake --build --preset release).
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
bin=build/release/src/cli/exportctl
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 bench/gen_transactions.py "$rows" "$work/tx.csv"
python3 bench/gen_transactions.py "$rows" "$work/tx-parties.csv" --parties
echo "transactions: $rows rows, $(du -h "$work/tx.csv" | cut -f1)"
hyperfine --warmup 1 --runs 5 --export-markdown "$work/result.md" \
  -n "1 thread" "$bin check --file $work/tx.csv --out $work/out.csv --threads 1 --no-progress" \
  -n "2 threads" "$bin check --file $work/tx.csv --out $work/out.csv --threads 2 --no-progress" \
  -n "2 threads, 10% rows with a party" "$bin check --file $work/tx-parties.csv --out $work/out.csv --threads 2 --no-progress"
cat "$work/result.md"
