#!/usr/bin/env bash
# Measures pep's start-up time (JVM launch to the first HTTP 200) and its resident memory once
# idle, over a few runs, on the embedded store. Prints a table. Needs target/pep.jar.
#   bench/startup.sh [runs]
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
jar=$repo/target/pep.jar
runs=${1:-3}
[[ -f $jar ]] || { echo "build first: mvn -DskipTests package" >&2; exit 1; }

port=$((20000 + RANDOM % 20000))
printf '| run | start to first 200 (ms) | RSS idle after 10 s (MB) |\n|---|---|---|\n'
for ((run = 1; run <= runs; run++)); do
  data=$(mktemp -d)
  start=$(date +%s%N)
  # shellcheck disable=SC2086 # PEP_JAVA_OPTS is a list of options
  PEP_SERVER_PORT=$port PEP_DATA_DIR=$data java ${PEP_JAVA_OPTS:-} -jar "$jar" >"$data/pep.log" 2>&1 &
  pid=$!
  until [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v3/enrollment-ids") == 200 ]]; do
    kill -0 "$pid" 2>/dev/null || { echo "pep exited; see $data/pep.log" >&2; exit 1; }
    sleep 0.05
  done
  ready_ms=$((($(date +%s%N) - start) / 1000000))
  sleep 10
  rss_mb=$(($(awk '/VmRSS/ {print $2}' "/proc/$pid/status") / 1024))
  printf '| %d | %d | %d |\n' "$run" "$ready_ms" "$rss_mb"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$data"
done
