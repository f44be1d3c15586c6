#!/usr/bin/env bash
# The shell side of the test suite, against the packaged jar: pep-cli's bats specs, the deployment
# checks, the alert rules and the dashboard in Chromium. They run side by side: each spends most of
# its time waiting on a server it started (on a port of its own), so one after the other left the
# machine's cores idle. Each suite's output is kept in target/shell-suites/<suite>.log and printed
# whole when it ends; exit non-zero when any suite failed, naming it.
set -uo pipefail

repo=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
logs=$repo/target/shell-suites
mkdir -p "$logs"

suites=(cli:cli/test/run.sh deploy:test/deploy/run.sh alerts:test/alerts/run.sh dashboard:test/dashboard/run.sh)
declare -A pid_of
for suite in "${suites[@]}"; do
  name=${suite%%:*}
  (
    start=$SECONDS
    cd "$repo" && bash "${suite#*:}"
    status=$?
    echo "$((SECONDS - start))" >"$logs/$name.seconds"
    exit "$status"
  ) >"$logs/$name.log" 2>&1 &
  pid_of[$name]=$!
done

failed=()
for suite in "${suites[@]}"; do
  name=${suite%%:*}
  wait "${pid_of[$name]}"
  status=$?
  echo "===== $name (${suite#*:}): exit $status after $(cat "$logs/$name.seconds" 2>/dev/null || echo '?') s ====="
  cat "$logs/$name.log"
  ((status == 0)) || failed+=("$name")
done

if ((${#failed[@]})); then
  echo "shell suites failed: ${failed[*]} (logs in $logs)" >&2
  exit 1
fi
echo "shell suites passed: ${#suites[@]} in $SECONDS s"
