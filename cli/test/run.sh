#!/usr/bin/env bash
# The CLI's checks: shellcheck on every script of cli/, then the bats specs
# (which start a real pep server from target/pep.jar). Non-zero on any failure.
set -euo pipefail

cli_dir=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)

mapfile -t scripts < <(
  cd "$cli_dir" &&
    { ls pep-cli.sh common.sh commands/*.sh test/*.sh test/*.bash test/*.bats test/fakes/*; } 2>/dev/null
)
echo "shellcheck: ${#scripts[@]} scripts"
(cd "$cli_dir" && shellcheck -x "${scripts[@]}")

bats "$cli_dir/test"
