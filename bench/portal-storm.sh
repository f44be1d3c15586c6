#!/usr/bin/env bash
# The portal fault storm: N ids (default 500) uploaded through a fake portal
# on loopback that fails three quarters of the calls (429 and 503 with Retry-After: 1, 500, 502,
# dropped connections, one connection dropped after the bulk was created), one upload run after
# the other until the portal holds every id or the run budget (default 40) is spent.
# Prints a table row for this tree and, with --before[=REF], one for REF's code (default 20fee37,
# the exports before their retry rework; exported to a temp folder with `git archive`, the bench's two
# classes copied into its tests, compiled there).
# Usage: bench/portal-storm.sh [--before[=REF]] [ids] [max-runs] [fault-share]
# Not a test: it asserts nothing. Figures depend on the machine's load (shared build machines).
set -euo pipefail
cd "$(dirname "$0")/.."
before=false
before_ref=20fee37
case "${1:-}" in
  --before) before=true; shift ;;
  --before=*) before=true; before_ref=${1#--before=}; shift ;;
esac
ids=${1:-500}
runs=${2:-40}
share=${3:-0.75}

run_in() { # folder label (the bench profile compiles bench/java where the tree has one)
  (cd "$1" && mvn -B -ntp -q -o -Pbench test-compile && mvn -B -ntp -q -o dependency:build-classpath -Dmdep.outputFile=target/bench.cp >/dev/null)
  local cp="$1/target/bench-classes:$1/target/test-classes:$1/target/classes:$(cat "$1/target/bench.cp")"
  (cd "$1" && java -Xmx512m -cp "$cp" io.pep.export.PortalStormBenchmark "$2" "$ids" "$runs" "$share" 2>"$1/target/portal-storm.log") | grep '^|'
}

echo "| code | ids | ids accepted | ids sent (in all POSTs) | sends per id | ids in created bulks | max sends of one id | runs | ids left after a calm run | seconds |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
if $before; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  git archive "$before_ref" | tar -x -C "$work"
  cp src/test/java/io/pep/export/FakePortal.java bench/java/io/pep/export/PortalStormBenchmark.java "$work/src/test/java/io/pep/export/"
  run_in "$work" "$before_ref"
fi
run_in "$PWD" "this tree"
echo
echo "(per-run log: target/portal-storm.log)"
