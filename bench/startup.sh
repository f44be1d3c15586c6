#!/usr/bin/env bash
# pep's start-up time (launch of bin/pep to the first HTTP 200 of a listing), the CPU it used to get
# there (user+sys: steadier than wall time on a loaded machine), and its resident memory and thread
# count once idle, over a few runs, on the embedded store. Prints a table, then the medians.
# Builds the jar (and trains the AOT cache on Java 25) first through bin/pep's own logic.
#   bench/startup.sh [runs]        JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 bench/startup.sh   (Java 17)
#   STARTUP_JARS="before=/tmp/a/pep.jar after=target/pep.jar" bench/startup.sh 5   (A/B, alternating
#   runs; copy each jar to its own folder: its AOT cache is written beside it)
#   STARTUP_JARS="a=target/pep.jar b=target/pep.jar" STARTUP_OPTS_b="-XX:TrimNativeHeapInterval=5000" \
#     bench/startup.sh 5   (A/B of JVM options: STARTUP_OPTS_<label> is added to that label's runs)
# Env: PEP_JAVA_OPTS (extra JVM options), IDLE_SECONDS (wait before reading RSS, default 10).
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
runs=${1:-3}
idle=${IDLE_SECONDS:-10}
read -r -a jars <<<"${STARTUP_JARS:-pep=}"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
tick=$(getconf CLK_TCK)
# shellcheck source=bin/lib/jvm.bash
source "$repo/bin/lib/jvm.bash"
jstat=$(dirname "$(readlink -f "$(command -v "$PEP_JAVA")")")/jstat
rows=$(mktemp)

# a first start of each jar outside the table: builds the jar / trains the AOT cache when needed
for spec in "${jars[@]}"; do
  warm=$(mktemp -d)
  port=$(free_port)
  PEP_JAR=${spec#*=} PEP_SERVER_PORT=$port PEP_DATA_DIR=$warm timeout 300 "$repo/bin/pep" >"$warm/pep.log" 2>&1 &
  warm_pid=$!
  until [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v3/enrollment-ids") == 200 ]]; do
    kill -0 "$warm_pid" 2>/dev/null || { echo "pep did not start; see $warm/pep.log" >&2; exit 1; }
    sleep 0.2
  done
  kill "$warm_pid"; wait "$warm_pid" 2>/dev/null || true
  rm -rf "$warm"
done

printf '| run | jar | start to first 200 (ms) | CPU to first 200 (ms) | RSS idle after %d s (MB) | threads idle | classes loaded | load average |\n|---|---|---|---|---|---|---|---|\n' "$idle"
for ((run = 1; run <= runs; run++)); do
  for spec in "${jars[@]}"; do
    label=${spec%%=*}
    data=$(mktemp -d)
    port=$(free_port)
    start=$(date +%s%N)
    opts_var=STARTUP_OPTS_$label
    PEP_JAVA_OPTS="${PEP_JAVA_OPTS:-} ${!opts_var:-}" \
      PEP_JAR=${spec#*=} PEP_SERVER_PORT=$port PEP_DATA_DIR=$data "$repo/bin/pep" >"$data/pep.log" 2>&1 &
    pid=$!
    until [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v3/enrollment-ids") == 200 ]]; do
      kill -0 "$pid" 2>/dev/null || { echo "pep exited; see $data/pep.log" >&2; exit 1; }
      sleep 0.02
    done
    ready_ms=$((($(date +%s%N) - start) / 1000000))
    cpu_ms=$(awk -v t="$tick" '{print int(($14 + $15) * 1000 / t)}' "/proc/$pid/stat")
    sleep "$idle"
    rss_mb=$(($(awk '/VmRSS/ {print $2}' "/proc/$pid/status") / 1024))
    threads=$(awk '/^Threads/ {print $2}' "/proc/$pid/status")
    classes=$("$jstat" -class "$pid" 2>/dev/null | awk 'NR == 2 {print $1}')
    load=$(cut -d' ' -f1 /proc/loadavg)
    printf '| %d | %s | %d | %d | %d | %d | %s | %s |\n' "$run" "$label" "$ready_ms" "$cpu_ms" "$rss_mb" "$threads" "${classes:-?}" "$load" | tee -a "$rows"
    kill "$pid"; wait "$pid" 2>/dev/null || true
    rm -rf "$data"
  done
done
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
printf '\n| jar | median start (ms) | median CPU (ms) | median RSS (MB) | median threads | median classes |\n|---|---|---|---|---|---|\n'
for spec in "${jars[@]}"; do
  label=${spec%%=*}
  col() { awk -F'|' -v l=" $label " -v c="$1" '$3 == l {print $c}' "$rows" | median; }
  printf '| %s | %s | %s | %s | %s | %s |\n' "$label" "$(col 4)" "$(col 5)" "$(col 6)" "$(col 7)" "$(col 8)"
done
rm -f "$rows"
