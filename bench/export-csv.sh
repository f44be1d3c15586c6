#!/usr/bin/env bash
# Times one full CSV drop of N deployed gateways (default 1,000,000) with pep's heap capped at 256 MB.
# The embedded store runs in its own JVM (as MongoDB would), loaded first; pep then drops through
# POST /v3/exports/csv?mode=full. Usage: bench/export-csv.sh [records] [h2|memory] [full|incremental]
# (incremental: the records are claimed first, in batches, with the shipped pep.mongo.timeout-ms)
# (memory: mongo-java-server's in-memory backend, which serves far faster than the H2 one and so
# shows pep's own share of the time.)
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-1000000}
backend=${2:-h2}
mode=${3:-full}
mvn -q -o -Pbench test-compile
mvn -q -o dependency:build-classpath -Dmdep.outputFile=target/bench.cp >/dev/null
cp="target/bench-classes:target/test-classes:target/classes:$(cat target/bench.cp)"
work=$(mktemp -d)
trap 'kill "$store_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
java -Xmx8g -cp "$cp" io.pep.export.BenchStore "$work/store" "$records" "$backend" > "$work/store.out" 2>"$work/store.err" &
store_pid=$!
until grep -q '^READY' "$work/store.out" 2>/dev/null; do
  kill -0 "$store_pid" 2>/dev/null || { cat "$work/store.err" >&2; exit 1; }
  sleep 1
done
read -r _ uri load_ms < <(grep '^READY' "$work/store.out")
echo "store: $uri, $records records loaded in ${load_ms} ms"
echo
echo "| records | full drop ms | file MB | rows/s | pep max heap MB | pep peak heap MB |"
echo "|---:|---:|---:|---:|---:|---:|"
java -Xmx256m -cp "$cp" io.pep.export.CsvDropBenchmark "$uri" "$mode" 2>"$work/pep.err" | grep '^|' || { tail -20 "$work/pep.err" >&2; exit 1; }
