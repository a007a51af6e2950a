#!/usr/bin/env bash
# Impact analysis over a generated SYNTHETIC order book (default 10 million
# orders, 5,000 customers), timed with hyperfine, side by side with what a user
# would run without it: two `check --file` batches over the same rows, one per
# date, whose outputs would then be joined. Peak memory from /usr/bin/time.
# Usage: bench/impact_batch.sh [ORDERS]   (needs a release build)
set -euo pipefail
cd "$(dirname "$0")/.."
orders=${1:-10000000}
bin=build/release/src/cli/exportctl
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
data="$work/data"   # empty data folder: the bundled lists
python3 bench/gen_orders.py "$orders" "$work/orders.csv"
# The same rows as check transactions, once per date (chip,to,date,hq,party).
for d in 2025-04-08 2025-04-15; do
  awk -F, -v d="$d" 'NR==1{print "chip,to,date,hq,party"; next} {print $2","$6","d","$8","$7}' \
    "$work/orders.csv" > "$work/tx-$d.csv"
done
echo "order book: $orders orders, $(du -h "$work/orders.csv" | cut -f1)"
hyperfine --warmup 1 --runs 3 --export-markdown "$work/result.md" \
  -n "impact, 2 threads, --out" \
  "$bin --data-dir $data impact --orders $work/orders.csv --before 2025-04-08 --after 2025-04-15 --out $work/out --no-progress" \
  -n "impact, 1 thread, --out" \
  "$bin --data-dir $data impact --orders $work/orders.csv --before 2025-04-08 --after 2025-04-15 --out $work/out --threads 1 --no-progress" \
  -n "baseline: check --file at both dates, 2 threads" \
  "$bin --data-dir $data check --file $work/tx-2025-04-08.csv --out $work/c1.csv --no-progress && $bin --data-dir $data check --file $work/tx-2025-04-15.csv --out $work/c2.csv --no-progress"
cat "$work/result.md"
/usr/bin/time -f "impact peak memory: %M KB, %e s" \
  "$bin" --data-dir "$data" impact --orders "$work/orders.csv" --before 2025-04-08 --after 2025-04-15 \
  --out "$work/out" --no-progress > /dev/null
