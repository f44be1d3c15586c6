#!/usr/bin/env bash
# pep (target/pep.jar, -Xmx256m) over HTTP on its default embedded store holding N records:
# pages of 1000 (first, deep, JSON and CSV), lookups, walking all pages, a full CSV drop, RSS and
# heap. Loopback only; prints a table. Usage: bench/store-http.sh [records] [--no-walk]
#   records   default 1000000, loaded once by bench/store-bench.sh into target/store-bench-<records>/
# PEP_JAR picks another build (e.g. an older one, for a before/after); PEP_HEAP (default 256m).
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-1000000}
walk=yes; [[ ${2:-} == --no-walk ]] && walk=no
jar=${PEP_JAR:-target/pep.jar}
[[ -f $jar ]] || mvn -B -ntp -q -o -DskipTests package
data=target/store-bench-$records
bench/store-bench.sh "$records" load >/dev/null 2>&1
middle=$(cat "$data/middle-id")
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
mkdir -p "$work/routes" "$work/exports"
PEP_DATA_DIR=$data PEP_SERVER_HOST=127.0.0.1 PEP_SERVER_PORT=$port PEP_ROUTES_DIR=$work/routes \
  PEP_EXPORT_CSV_DIR=$work/exports PEP_TOOL_EXECUTABLE=$PWD/src/test/tools/fake-ft-demo \
  java "-Xmx${PEP_HEAP:-256m}" -jar "$jar" > "$work/pep.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
until curl -fs -o /dev/null "$base/v3/enrollment-id?serialNumber=SN-1"; do
  kill -0 "$pid" 2>/dev/null || { tail -30 "$work/pep.log" >&2; exit 1; }
  sleep 0.5
done
rss() { awk '/VmRSS/ {printf "%d", $2/1024}' "/proc/$pid/status"; }
heap() { jcmd "$pid" GC.heap_info 2>/dev/null | awk '/garbage-first heap/ {gsub("K","",$6); printf "%d", $6/1024}'; }
# p50 of 21 sequential requests, ms
p50() {
  for _ in $(seq 21); do curl -fs -o /dev/null -w '%{time_total}\n' "$@"; done |
    sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[11]*1000}'
}
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); pep -Xmx${PEP_HEAP:-256m}, RSS idle $(rss) MB"
echo
echo "| records | cell | p50 ms |"
echo "|---:|---|---:|"
for _ in 1 2 3; do curl -fs -o /dev/null "$base/v3/enrollment-ids?limit=1000"; done # warm
echo "| $records | first page, JSON | $(p50 "$base/v3/enrollment-ids?limit=1000") |"
echo "| $records | first page, CSV | $(p50 "$base/v3/enrollment-ids?limit=1000&format=csv") |"
echo "| $records | deep page (middle), JSON | $(p50 "$base/v3/enrollment-ids?limit=1000&last=$middle") |"
echo "| $records | deep page (middle), CSV | $(p50 "$base/v3/enrollment-ids?limit=1000&last=$middle&format=csv") |"
echo "| $records | deep page (middle), ASC JSON | $(p50 "$base/v3/enrollment-ids?limit=1000&order=ASC&last=$middle") |"
cat > "$work/lookup.lua" <<LUA
math.randomseed(os.time())
request = function() return wrk.format("GET", "/v3/enrollment-id?serialNumber=SN-" .. math.random(1, $records)) end
LUA
lookup=$(wrk -t2 -c8 -d10s --latency -s "$work/lookup.lua" "$base" | awk '/^ +50%/ {print $2} /Requests\/sec/ {print $2}' | paste -sd' ')
echo "| $records | /v3/enrollment-id c8 (random serials): p50, req/s | ${lookup% *} (${lookup#* } req/s) |"
echo "RSS after pages and lookups: $(rss) MB, heap used $(heap) MB" >&2
if [[ $walk == yes ]]; then
  start=$(date +%s.%N); pages=0; rows=0; next="/v3/enrollment-ids?limit=1000&format=csv"
  while [[ -n $next ]]; do
    next=$(curl -fs -D "$work/headers" -o "$work/page.csv" "$base$next" && sed -n 's/^Link: <\([^>]*\)>.*/\1/p' "$work/headers" | tr -d '\r')
    rows=$((rows + $(wc -l < "$work/page.csv") - 1)); pages=$((pages + 1))
    [[ $(wc -l < "$work/page.csv") -le 1 ]] && break
  done
  echo "| $records | walk all pages of 1000 (CSV): $pages pages, $rows rows | $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {printf "%.0f (total)", (e-s)*1000}') |"
fi
# export_to_end PATH OUT: POST PATH with ?wait= (pep answers 202 + Location when the run outlasts
# it), then follows the Location until the run ended; the ended run's JSON goes to OUT. Prints the
# HTTP code ?wait= would have answered: 200, or 500 for a failed run.
export_to_end() {
  local code location sep='?'
  [[ $1 == *\?* ]] && sep='&'
  code=$(curl -s --max-time 60 -X POST -D "$2.headers" -o "$2" -w '%{http_code}' "$base$1${sep}wait=30" || true)
  location=$(sed -n 's/^location: *//Ip' "$2.headers" | tr -d '\r')
  while [[ $code == 202 && -n $location ]]; do
    sleep 0.05
    curl -s --max-time 30 -o "$2" "$base$location" || continue
    if ! grep -q '"status" *: *"running"' "$2"; then
      if grep -q '"status" *: *"failed"' "$2"; then code=500; else code=200; fi
    fi
  done
  echo "$code"
}

start=$(date +%s.%N)
[[ $(export_to_end "/v3/exports/csv?mode=full" "$work/run.json") == 200 ]]
echo "| $records | full CSV drop (POST /v3/exports/csv?mode=full), $(grep -o '"count" *: *[0-9]*' "$work/run.json" | grep -o '[0-9]*$') rows | $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {printf "%.0f (total)", (e-s)*1000}') |"
echo
echo "RSS after the drop: $(rss) MB, heap used $(heap) MB (max ${PEP_HEAP:-256m})"
