#!/usr/bin/env bash
# pep's start-up time (launch of bin/pep to the first HTTP 200 of a listing) and its resident memory
# once idle, over a few runs, on the embedded store. Prints a table. Builds the jar (and trains the
# AOT cache on Java 25) first through bin/pep's own logic.
#   bench/startup.sh [runs]        JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 bench/startup.sh   (Java 17)
# Env: PEP_JAVA_OPTS (extra JVM options), IDLE_SECONDS (wait before reading RSS, default 10).
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
runs=${1:-3}
idle=${IDLE_SECONDS:-10}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# a first start outside the table: builds the jar / trains the AOT cache when needed
warm=$(mktemp -d)
PEP_SERVER_PORT=$(free_port) PEP_DATA_DIR=$warm timeout 300 "$repo/bin/pep" >"$warm/pep.log" 2>&1 &
warm_pid=$!
until grep -q 'HTTP endpoints summary' "$warm/pep.log" 2>/dev/null; do
  kill -0 "$warm_pid" 2>/dev/null || { echo "pep did not start; see $warm/pep.log" >&2; exit 1; }
  sleep 0.2
done
kill "$warm_pid"; wait "$warm_pid" 2>/dev/null || true
rm -rf "$warm"

printf '| run | start to first 200 (ms) | RSS idle after %d s (MB) |\n|---|---|---|\n' "$idle"
for ((run = 1; run <= runs; run++)); do
  data=$(mktemp -d)
  port=$(free_port)
  start=$(date +%s%N)
  PEP_SERVER_PORT=$port PEP_DATA_DIR=$data "$repo/bin/pep" >"$data/pep.log" 2>&1 &
  pid=$!
  until [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v3/enrollment-ids") == 200 ]]; do
    kill -0 "$pid" 2>/dev/null || { echo "pep exited; see $data/pep.log" >&2; exit 1; }
    sleep 0.02
  done
  ready_ms=$((($(date +%s%N) - start) / 1000000))
  sleep "$idle"
  rss_mb=$(($(awk '/VmRSS/ {print $2}' "/proc/$pid/status") / 1024))
  printf '| %d | %d | %d |\n' "$run" "$ready_ms" "$rss_mb"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$data"
done
