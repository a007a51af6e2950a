#!/usr/bin/env bash
# Installs what is missing (Debian 12), builds exportctl, and runs the main job on
# the bundled data: the whole chip catalog classified as of today, the H800's
# classification at every rule boundary since October 2022, the H20's license
# decision for China across the same boundaries, a "no" with its reasons, an
# UNDETERMINED answer, and a party screened in Chinese.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake --preset release -DEXPORTCTL_TESTS=OFF -DEXPORTCTL_BENCH=OFF >/dev/null
cmake --build --preset release -j"$(nproc)"
bin=build/release/src/cli/exportctl
today=$(date -u +%F)
echo "== rules in force on $today"
"$bin" rules list --date "$today"
echo
echo "== the bundled catalog as of $today"
"$bin" classify --all --date "$today"
echo
echo "== NVIDIA H800 at every rule boundary"
"$bin" classify --chip nvidia-h800-sxm5-80gb --timeline | sed -n '1,12p'
echo
echo "== NVIDIA H20 to China: license decision at every rule boundary"
"$bin" check --chip nvidia-h20 --to CN --timeline
echo
echo "== an H100 for a Singapore subsidiary of a Chinese company, today"
"$bin" check --chip nvidia-h100-sxm5-80gb --to SG --hq CN --date "$today"
echo
echo "== a \"no\" that explains itself: an H100 to Israel in June 2024"
"$bin" check --chip nvidia-h100-sxm5-80gb --to IL --date 2024-06-01
echo
echo "== UNDETERMINED is an answer: the MI308 has no published TPP (exit status 3)"
"$bin" check --chip amd-mi308x --to CN --date 2024-06-01 || test $? -eq 3
echo
echo "== impact of the April 2025 H20/MI308 letters on a synthetic order book"
"$bin" impact --orders examples/orders-2025.csv --before 2025-04-08 --after 2025-04-15 --no-progress \
  --out build/impact-example
echo "(open build/impact-example/report.html in a browser: it needs no network)"
echo
echo "== screening a party written in Chinese characters (bundled lists)"
"$bin" screen "华为技术有限公司"
