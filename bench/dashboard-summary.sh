#!/usr/bin/env bash
# Cost of one GET /dashboard/api/summary on a large attempt log in the embedded store (see
# DashboardSummaryBench.java). Prints a table. Needs target/pep.jar.   bench/dashboard-summary.sh [attempts]
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
[[ -f $repo/target/pep.jar ]] || { echo "build first: mvn -DskipTests package" >&2; exit 1; }
exec timeout 600 java -Xmx1g -cp "$repo/target/pep.jar" "$repo/bench/DashboardSummaryBench.java" "${1:-50000}" 2>/dev/null
