#!/usr/bin/env bash
# Load on `exportctl serve` over loopback with wrk: /v1/classify and
# /v1/check with the audit log off, on SQLite and on PostgreSQL (a temporary
# cluster on a free port), next to the in-process batch rate measured in the
# same run. Usage: bench/serve_load.sh [SECONDS] [CONNECTIONS]
# Needs a release build, wrk and PostgreSQL's server binaries.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
connections=${2:-32}
bin=build/release/src/cli/exportctl
work=$(mktemp -d)
pg_bin=$(pg_config --bindir)
as_pg=""
if [ "$(id -u)" -eq 0 ]; then as_pg="runuser -u postgres --"; chown postgres "$work"; fi
cleanup() {
  [ -n "${server:-}" ] && kill "$server" 2>/dev/null || true
  [ -d "$work/pg" ] && $as_pg "$pg_bin/pg_ctl" -D "$work/pg" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

cat >"$work/classify.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"chip": "nvidia-h800-sxm5-80gb", "date": "2024-01-01"}'
LUA
cat >"$work/check.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"chip": "nvidia-h20", "to": "CN", "date": "2025-04-20"}'
LUA

start_server() {  # $1: audit spec or "" ; prints nothing, sets $server and $addr
  rm -f "$work/ready"
  local audit=()
  [ -n "$1" ] && audit=(--audit "$1")
  "$bin" --data-dir "$work/data" serve --listen 127.0.0.1:0 --no-auth "${audit[@]}" --ready-file "$work/ready" \
    >"$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 600); do [ -s "$work/ready" ] && break; sleep 0.05; done
  addr=$(cat "$work/ready")
}
stop_server() { kill "$server"; wait "$server" 2>/dev/null || true; server=""; }

# wrk's summary as "requests/s p50 p99".
measure() {  # $1 endpoint, $2 lua
  wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$2" "http://$addr$1" >"$work/wrk.txt"
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
  p50=$(awk '$1 == "50%" {print $2}' "$work/wrk.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$work/wrk.txt")
  errors=$(awk '/Non-2xx/ {print $4}' "$work/wrk.txt")
  echo "$rps $p50 $p99 ${errors:-0}"
}

# PostgreSQL: a temporary cluster.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
$as_pg "$pg_bin/initdb" -D "$work/pg" -A trust -U exportctl --no-sync >/dev/null
$as_pg "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w \
  -o "-p $port -k $work -c listen_addresses=127.0.0.1" start >/dev/null
"$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U exportctl bench
pg_uri="postgresql://exportctl@127.0.0.1:$port/bench"

echo "exportctl serve on loopback, wrk -t2 -c$connections -d${seconds}s, $(nproc) cores"
printf "%-24s %-14s %12s %10s %10s %8s\n" endpoint audit "requests/s" p50 p99 non-2xx
for audit in off "sqlite:$work/audit.db" "$pg_uri"; do
  label=$audit
  case $audit in sqlite:*) label=sqlite ;; postgresql:*) label=postgresql ;; esac
  start_server "$([ "$audit" = off ] && echo "" || echo "$audit")"
  for endpoint in classify check; do
    read -r rps p50 p99 errors < <(measure "/v1/$endpoint" "$work/$endpoint.lua")
    printf "%-24s %-14s %12s %10s %10s %8s\n" "/v1/$endpoint" "$label" "$rps" "$p50" "$p99" "$errors"
  done
  if [ "$audit" != off ]; then
    verify=$("$bin" audit verify --audit "$audit" | head -1)
    echo "  audit verify: $verify"
  fi
  stop_server
done

# In process, same machine, same run: the batch rate for the same check.
python3 - "$work/tx.csv" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("chip,to,date\n")
    for _ in range(200000):
        f.write("nvidia-h20,CN,2025-04-20\n")
PY
start=$(date +%s.%N)
"$bin" --data-dir "$work/data" check --file "$work/tx.csv" --out "$work/out.csv" --no-progress
end=$(date +%s.%N)
python3 -c "print(f'in-process batch (check --file, 200000 rows): {200000/($end-$start):,.0f} checks/s')"
