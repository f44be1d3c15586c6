#!/usr/bin/env bash
# Cost of one refresh of the record gauges on N records in the embedded store (see
# StoreStatisticsBench.java). Prints a table. Needs target/pep.jar.   bench/store-statistics.sh [records]
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
[[ -f $repo/target/pep.jar ]] || { echo "build first: mvn -DskipTests package" >&2; exit 1; }
exec timeout 900 java -Xmx1g -cp "$repo/target/pep.jar" "$repo/bench/StoreStatisticsBench.java" "${1:-300000}" 2>/dev/null
