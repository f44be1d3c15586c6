#!/usr/bin/env bash
# crash.sh: kill -9 of pep while requests are in flight, and an external store outage under load;
# prints tables (acknowledged-then-lost, requests in flight at each kill, stuck serials, time from
# the kill until a cut-short serial is provisionable, orphan tool processes, identities recovered
# from the journal). Not a test. See bench/README.md.
#   bench/crash.sh [crash|outage|both] [--rounds=20] [--clients=12] [--kill-in-flight=8]
#                  [--tool-ms=1000-4000] [--tool-timeout-ms=10000] [--stuck-after=30]
#                  [--start-limit=300] [--stub=plain|escape] [--sabotage=none|wipe-data]
#                  [--outage=30] [--store=embedded|external] [--work=DIR] [--build]
# pep runs through bin/pep (its JVM options: bin/lib/jvm.bash); the store JVM gets the same options.
# Env: BENCH_PEP_JAVA_OPTS (extra JVM options for pep, as PEP_JAVA_OPTS), BENCH_START_LIMIT
# (seconds a pep start may take, default 300; --start-limit wins).
set -euo pipefail
repo=$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd)
cd "$repo"
# shellcheck source=bin/lib/jvm.bash
source bin/lib/jvm.bash

build=false
args=()
for arg in "$@"; do
  case $arg in
    --build) build=true ;;
    -h|--help) sed -n '2,12p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) args+=("$arg") ;;
  esac
done
if [[ $build == true || ! -f target/pep.jar ]]; then
  echo "building pep (mvn -q -DskipTests package) ..." >&2
  mvn -q -B -DskipTests package
fi
export BENCH_STORE_JAVA_OPTS="${PEP_JVM_OPTS[*]}"
# Java's source launcher runs the driver straight from bench/ (nothing under src/test)
exec "$PEP_JAVA" -cp target/pep.jar bench/CrashBench.java "${args[@]}"
