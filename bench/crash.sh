#!/usr/bin/env bash
# crash.sh: kill -9 of pep at random points of provisionings, and an external store outage under
# load; prints tables (acknowledged-then-lost, stuck serials, time until provisionable, orphan
# tool processes, identities recovered from the journal). Not a test. See bench/README.md.
#   bench/crash.sh [crash|outage|both] [--rounds=20] [--clients=4] [--outage=30]
#                  [--store=embedded|external] [--work=DIR] [--build]
# Env: JAVA (default java), BENCH_PEP_JAVA_OPTS (JVM options for the pep and store JVMs).
set -euo pipefail
repo=$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd)
cd "$repo"

build=false
args=()
for arg in "$@"; do
  case $arg in
    --build) build=true ;;
    -h|--help) sed -n '2,8p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) args+=("$arg") ;;
  esac
done
if [[ $build == true || ! -f target/pep.jar ]]; then
  echo "building pep (mvn -q -DskipTests package) ..." >&2
  mvn -q -B -DskipTests package
fi
# Java's source launcher runs the driver straight from bench/ (nothing under src/test)
exec "${JAVA:-java}" -cp target/pep.jar bench/CrashBench.java "${args[@]}"
