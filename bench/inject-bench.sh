#!/usr/bin/env bash
# inject-bench.sh: provisions/s and latency of GET /v3/identity end to end on loopback
# (pep in-process injector + embedded store + simulated gateways in one JVM; exec rows for contrast).
# Not a test: prints a table. See bench/README.md.
#   bench/inject-bench.sh [--build] [--requests=N] [--concurrency=1,4,16] [--warmup=N]
#                         [--exec-requests=N] [--exec-concurrency=1,4] [--log-level=INFO|WARN]
#                         [--log-file=F] [--max-concurrent=N]
# The JVM and its options are bin/pep's (bin/lib/jvm.bash: Temurin 25 when installed, -Xmx192m, serial
# GC; no AOT cache): pep's figures as pep runs, with its gateways and clients in the same heap.
# Env: JAVA_HOME (the JVM), BENCH_JAVA_OPTS (extra JVM options after those, e.g. -XX:StartFlightRecording=...).
set -euo pipefail

repo=$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd)
cd "$repo"

build=false
args=()
for arg in "$@"; do
  case $arg in
    --build) build=true ;;
    -h|--help) sed -n '2,11p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) args+=("$arg") ;;
  esac
done

jar=target/pep.jar
bench_class=target/bench-classes/io/pep/bench/InjectBench.class
if [[ $build == true || ! -f $jar || ! -f $bench_class ]]; then
  echo "building pep and the benchmarks (mvn -q -Pbench -DskipTests package) ..." >&2
  mvn -q -Pbench -DskipTests package
fi

# shellcheck source=bin/lib/jvm.bash
source bin/lib/jvm.bash
# the fat jar carries every runtime dependency; the bench (bench/java) reuses the tests' helpers
# shellcheck disable=SC2086 # BENCH_JAVA_OPTS is a list of options
exec "$PEP_JAVA" -Dfile.encoding=UTF-8 "${PEP_JVM_OPTS[@]}" ${BENCH_JAVA_OPTS:-} -cp "$jar:target/test-classes:target/bench-classes" io.pep.bench.InjectBench "${args[@]}"
