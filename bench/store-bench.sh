#!/usr/bin/env bash
# The embedded store's listing, lookup and scan costs through the MongoDB driver, without pep
# (bench/store-bench.java). Usage: bench/store-bench.sh [records] [backend...]
#   records   default 1000000; loaded once into target/store-bench-<records>/ and kept for reuse
#   backend   pep (pep's DurableH2Backend), stock (mongo-java-server's H2Backend), memory; default: pep stock
# BENCH_JAVA_OPTS adds JVM options (default -Xmx3g: the stock backend holds whole results in memory).
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-1000000}
shift || true
[[ -d target/classes/io/pep/store ]] || mvn -B -ntp -q -o compile
[[ -f target/bench.cp ]] || mvn -B -ntp -q -o dependency:build-classpath -Dmdep.outputFile=target/bench.cp >/dev/null
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before the run"
# shellcheck disable=SC2086
exec java ${BENCH_JAVA_OPTS:--Xmx3g} -cp "target/classes:$(cat target/bench.cp)" bench/store-bench.java \
  "$records" "target/store-bench-$records" "$@"
