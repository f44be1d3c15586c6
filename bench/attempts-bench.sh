#!/usr/bin/env bash
# The throughput cost of the attempt log and of Camel's route metrics: GET /v3/identity with wrk at
# 8 connections (2 threads), unique serials, a stub factory tool (/bin/echo printing an enrollment
# id: a process per gateway, no gateway), the embedded store, loopback only. Each configuration
# runs on a fresh pep: warm-up, then a measured run. Prints a table. Needs target/pep.jar and wrk.
#   bench/attempts-bench.sh [seconds] [rounds]
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
jar=$repo/target/pep.jar
seconds=${1:-15}
rounds=${2:-2}
[[ -f $jar ]] || { echo "build first: mvn -DskipTests package" >&2; exit 1; }
command -v wrk >/dev/null || { echo "needs wrk (apt-get install -y wrk)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/serials.lua" <<'LUA'
local counter = 0
local prefix = ""
function setup(thread) thread:set("tid", tostring(math.random(1, 1000000000))) end
function init(args) prefix = (args[1] or "B") .. "-" .. tid .. "-" end
request = function()
  counter = counter + 1
  return wrk.format("GET", "/v3/identity?serialNumber=" .. prefix .. counter .. "&ip=127.0.0.1&port=7777")
end
LUA

count_attempts() { # PORT: every attempt, following the CSV pages' Link headers
  local url="/v3/attempts?format=csv&limit=1000" total=0 rows
  while [[ -n $url ]]; do
    curl -s -D "$work/headers" "http://127.0.0.1:$1$url" >"$work/page.csv"
    rows=$(($(wc -l <"$work/page.csv") - 1))
    ((rows > 0)) || break
    total=$((total + rows))
    url=$(sed -n 's/^Link: <\([^>]*\)>.*/\1/p' "$work/headers" | tr -d '\r')
  done
  echo "$total"
}
ok_count() { # PORT: pep_provisionings_total{outcome="ok"}
  curl -s "http://127.0.0.1:$1/observe/metrics" | awk -F' ' '/^pep_provisionings_total\{outcome="ok"\}/ {printf "%d", $2}'
}

id=A-00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF
run_config() { # NAME ATTEMPTS CAMEL_METRICS ROUND
  local name=$1 port data pid
  port=$((20000 + RANDOM % 20000))
  data=$(mktemp -d "$work/data.XXXXXX")
  PEP_SERVER_HOST=127.0.0.1 PEP_SERVER_PORT=$port PEP_DATA_DIR=$data PEP_TOOL_EXECUTABLE=/bin/echo \
    PEP_TOOL_ARGS="enrollment id: $id" PEP_ATTEMPTS_ENABLED=$2 CAMEL_METRICS_ENABLED=$3 \
    java -jar "$jar" >"$data/pep.log" 2>&1 &
  pid=$!
  until [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/observe/health/ready") == 200 ]]; do
    kill -0 "$pid" 2>/dev/null || { echo "pep exited; see $data/pep.log" >&2; exit 1; }
    sleep 0.2
  done
  wrk -t2 -c8 -d5s -s "$work/serials.lua" "http://127.0.0.1:$port" -- "warm$4" >/dev/null
  wrk -t2 -c8 -d"${seconds}s" --latency -s "$work/serials.lua" "http://127.0.0.1:$port" -- "run$4" >"$work/wrk.txt"
  local rps p50 p99 non2xx logged
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
  p50=$(awk '$1 == "50%" {print $2}' "$work/wrk.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$work/wrk.txt")
  non2xx=$(awk '/Non-2xx/ {print $5}' "$work/wrk.txt")
  sleep 1
  logged=$(count_attempts "$port")
  printf '| %d | %s | %s | %s | %s | %s | %s |\n' "$4" "$name" "$rps" "$p50" "$p99" "${non2xx:-0}" \
    "$([[ $2 == true ]] && echo "$logged of $(ok_count "$port") ok" || echo "-")"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

printf 'wrk -t2 -c8 -d%ss, stub tool /bin/echo, embedded store; %s\n\n' "$seconds" "$(nproc) cores, shared with other builds"
printf '| round | configuration | requests/s | p50 | p99 | non-2xx | attempts logged |\n|---|---|---|---|---|---|---|\n'
for ((round = 1; round <= rounds; round++)); do
  run_config "no attempt log, no Camel route metrics" false false "$round"
  run_config "attempt log, no Camel route metrics (default)" true false "$round"
  run_config "attempt log + Camel route metrics" true true "$round"
done
