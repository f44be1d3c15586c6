#!/usr/bin/env bash
# slow-gateways.sh: read latency while N provisioning clients wait on a gateway that never answers
# Not a test: prints a table (stderr; pep's log goes to target/slow-gateways.log). Builds target/pep.jar and the benchmarks (bench/java) when missing.
#   bench/slow-gateways.sh [--slow=60] [--reads=50]
set -euo pipefail
repo=$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd)
cd "$repo"
if [[ ! -f target/pep.jar || ! -f target/bench-classes/io/pep/bench/SlowGatewayBench.class ]]; then
  echo "building pep and the benchmarks (mvn -q -Pbench -DskipTests package) ..." >&2
  mvn -q -Pbench -DskipTests package
fi
exec "${JAVA:-java}" -cp "target/pep.jar:target/test-classes:target/bench-classes" io.pep.bench.SlowGatewayBench "$@" >target/slow-gateways.log
