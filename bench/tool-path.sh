#!/usr/bin/env bash
# bench/tool-path.sh [rounds] [gateways]: the default tool path (pep.tool.mode=exec, bin/pep-inject: a
# JVM per gateway) against pep's injector in-process, each against a simulated gateway
# (bin/pep-fcc-sim --forever), pep started by bin/pep on an empty data folder. Per round and mode
# (modes alternate: exec, in-process, exec, …): right after the start, GATEWAYS gateways one after
# another (one curl each, a new connection, as pep-cli calls): the first's time and the p50 / p90 of
# the 6th to the last; then C8_GATEWAYS (default 80) 8 at a time (xargs -P 8): gateways/s and p50 / p90. Prints
# one table row per mode (medians across the rounds) and the load average before and after.
# Defaults: 3 rounds, 25 gateways; PEP_JAR: the jar to run (default target/pep.jar, never rebuilt here). Loopback only; stops every process it started and removes its
# scratch folder. Needs curl, python3, xargs. Not a test: it asserts nothing.
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
cd "$repo"
rounds=${1:-3}
gateways=${2:-25}
c8_gateways=${C8_GATEWAYS:-80}
scratch=$(mktemp -d)
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$scratch"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
percentile() { # P: nearest rank of the numbers on stdin
  sort -n | awk -v p="$1" '{v[NR]=$1} END {if (!NR) {print "?"; exit}; r=int(p*NR/100+0.999); if (r<1) r=1; print v[r]}'
}
ms() { awk '{printf "%.0f\n", $1 * 1000}'; }

# one_round MODE OUT: one start of pep in MODE (exec or in-process), its figures appended to OUT
one_round() {
  local mode=$1 out=$2 data port sim_port pid sim_pid base deadline=$((SECONDS + 600)) i t0 t1
  data=$(mktemp -d -p "$scratch")
  mkdir -p "$data/routes" "$data/sim"
  sim_port=$(free_port)
  bin/pep-fcc-sim --forever --port="$sim_port" --store="$data/sim" >"$data/sim.log" 2>&1 &
  sim_pid=$!
  pids+=("$sim_pid")
  port=$(free_port)
  base=http://127.0.0.1:$port
  env PEP_JAR="$jar" PEP_SERVER_PORT="$port" PEP_SERVER_HOST=127.0.0.1 PEP_DATA_DIR="$data" PEP_ROUTES_DIR="$data/routes" \
    PEP_TOOL_MODE="$mode" bin/pep >"$data/pep.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  until [[ $(curl -s -o /dev/null --max-time 10 -w '%{http_code}' "$base/v3/enrollment-ids?limit=1") == 200 ]]; do
    kill -0 "$pid" 2>/dev/null || { tail -40 "$data/pep.log" >&2; exit 1; }
    ((SECONDS < deadline)) || { echo "pep did not answer; see $data/pep.log" >&2; exit 1; }
    sleep 0.02
  done
  until grep -q 'Client IP Address and Port' "$data/sim.log"; do sleep 0.05; done
  for ((i = 1; i <= gateways; i++)); do
    curl -s -o /dev/null --max-time 60 -w '%{http_code} %{time_total}\n' \
      "$base/v3/identity?serialNumber=C1-$mode-$i&ip=127.0.0.1&port=$sim_port" >>"$data/c1"
  done
  t0=$(date +%s%N)
  seq "$c8_gateways" | xargs -P 8 -I{} curl -s -o /dev/null --max-time 60 -w '%{http_code} %{time_total}\n' \
    "$base/v3/identity?serialNumber=C8-$mode-{}&ip=127.0.0.1&port=$sim_port" >>"$data/c8"
  t1=$(date +%s%N)
  kill "$pid" "$sim_pid" 2>/dev/null || true
  wait "$pid" "$sim_pid" 2>/dev/null || true
  printf '%s %s %s %s %s %s %s\n' \
    "$(head -1 "$data/c1" | cut -d' ' -f2 | ms)" \
    "$(tail -n +6 "$data/c1" | cut -d' ' -f2 | ms | percentile 50)" \
    "$(tail -n +6 "$data/c1" | cut -d' ' -f2 | ms | percentile 90)" \
    "$(awk -v n="$(wc -l <"$data/c8")" -v ns="$((t1 - t0))" 'BEGIN {printf "%.1f", n / (ns / 1e9)}')" \
    "$(cut -d' ' -f2 "$data/c8" | ms | percentile 50)" \
    "$(cut -d' ' -f2 "$data/c8" | ms | percentile 90)" \
    "$(cat "$data/c1" "$data/c8" | grep -vc '^200 ' || true)" >>"$out"
}

median_of() { # COLUMN FILE
  cut -d' ' -f"$1" "$2" | percentile 50
}

# PEP_JAR: the jar to run as it is (default target/pep.jar; bin/pep never rebuilds it here)
jar=$(readlink -f "${PEP_JAR:-target/pep.jar}")
[[ -f $jar ]] || { echo "bench/tool-path.sh: build target/pep.jar first (mvn -DskipTests package)" >&2; exit 1; }
before=$(loadavg)
# a first start outside the table: trains the start-up caches when the jar is new
one_round exec "$scratch/warmup"
for ((r = 1; r <= rounds; r++)); do
  one_round exec "$scratch/exec"
  one_round in-process "$scratch/in-process"
done
echo "rounds: $rounds, gateways at c1: $gateways, at c8: $c8_gateways; load average before: $before, after: $(loadavg)"
echo
echo '| tool path | first gateway after a start | c1 p50 / p90 (gateways 6–'"$gateways"') | c8 gateways/s | c8 p50 / p90 | not 200 |'
echo '|---|---:|---:|---:|---:|---:|'
for mode in exec in-process; do
  f=$scratch/$mode
  label=$([[ $mode == exec ]] && echo 'exec + bin/pep-inject (default)' || echo 'in-process injector')
  printf '| %s | %s ms | %s / %s ms | %s | %s / %s ms | %s |\n' "$label" "$(median_of 1 "$f")" "$(median_of 2 "$f")" \
    "$(median_of 3 "$f")" "$(median_of 4 "$f")" "$(median_of 5 "$f")" "$(median_of 6 "$f")" \
    "$(awk '{s += $7} END {print s}' "$f")"
done
