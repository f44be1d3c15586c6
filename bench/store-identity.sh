#!/usr/bin/env bash
# The cost of durable writes: GET /v3/identity at concurrency 8 with the stub factory tool
# (src/test/tools/fake-ft-demo: a bash script printing an enrollment id), a unique serial per
# request, on a fresh embedded store. Loopback only; prints one table row per configuration.
# Usage: bench/store-identity.sh [seconds] [label=jar[:fsync]]...
#   default: target/pep.jar with fsync on and off; add e.g. before=/tmp/old/target/pep.jar
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
shift || true
configs=("$@")
[[ ${#configs[@]} -gt 0 ]] || configs=("fsync-on=target/pep.jar:true" "fsync-off=target/pep.jar:false")
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 1; }
work=$(mktemp -d)
pid=
trap '[[ -n $pid ]] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
cat > "$work/identity.lua" <<'LUA'
local counter = 0
local prefix
function setup(thread) thread:set("tid", tostring(math.random(1, 1000000000))) end
function init(args) prefix = "WRK-" .. tid .. "-" .. os.time() .. "-" end
request = function()
  counter = counter + 1
  return wrk.format("GET", "/v3/identity?serialNumber=" .. prefix .. counter .. "&ip=127.0.0.1&port=7777")
end
LUA
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before the run; c8, ${seconds} s each"
echo
echo "| configuration | req/s | p50 ms | p99 ms | non-200 |"
echo "|---|---:|---:|---:|---:|"
for config in "${configs[@]}"; do
  label=${config%%=*}; spec=${config#*=}; jar=${spec%%:*}; fsync=true
  [[ $spec == *:* ]] && fsync=${spec##*:}
  data=$(mktemp -d -p "$work"); mkdir -p "$data/routes"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  PEP_DATA_DIR=$data PEP_SERVER_HOST=127.0.0.1 PEP_SERVER_PORT=$port PEP_ROUTES_DIR=$data/routes \
    PEP_TOOL_EXECUTABLE=$PWD/src/test/tools/fake-ft-demo PEP_MONGO_EMBEDDED_FSYNC=$fsync \
    java -Xmx256m -jar "$jar" > "$data/pep.log" 2>&1 &
  pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$port/v3/enrollment-id?serialNumber=none" ||
        [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v3/enrollment-id?serialNumber=none") == 404 ]]; do
    kill -0 "$pid" 2>/dev/null || { tail -20 "$data/pep.log" >&2; exit 1; }
    sleep 0.5
  done
  wrk -t2 -c8 -d5s -s "$work/identity.lua" "http://127.0.0.1:$port" >/dev/null # warm-up
  wrk -t2 -c8 -d"${seconds}s" --latency -s "$work/identity.lua" "http://127.0.0.1:$port" > "$data/wrk.out"
  awk -v label="$label" '
    /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} /Requests\/sec/ {rps=$2} /Non-2xx/ {bad=$NF}
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    END {printf "| %s | %.1f | %.1f | %.1f | %d |\n", label, rps, ms(p50), ms(p99), bad}' "$data/wrk.out"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
done
