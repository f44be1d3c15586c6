#!/usr/bin/env bash
# slow-gateways.sh: read latency while N provisioning clients wait on a gateway that never answers
# (issue 10 item 6). Not a test: prints a table (stderr; pep's log goes to target/slow-gateways.log). Needs target/pep.jar and target/test-classes.
#   bench/slow-gateways.sh [--slow=60] [--reads=50]
set -euo pipefail
repo=$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd)
cd "$repo"
if [[ ! -f target/pep.jar || ! -f target/test-classes/io/pep/bench/SlowGatewayBench.class ]]; then
  echo "building pep (mvn -q -DskipTests package) ..." >&2
  mvn -q -DskipTests package
fi
exec "${JAVA:-java}" -cp "target/pep.jar:target/test-classes" io.pep.bench.SlowGatewayBench "$@" >target/slow-gateways.log
