#!/usr/bin/env bash
#
# Checks for the deployment files: shellcheck on every deployment script,
# the bats suites in this folder, and docker-compose.yml validation (which
# needs no Docker engine). Runs every check, then exits non-zero if any
# failed. Missing tools are installed from Debian's packages when running
# as root (as CI does), so a fresh machine can run this.

set -uo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo_root" || exit 1

# command -> Debian package
declare -A REQUIRED_TOOLS=(
    [shellcheck]=shellcheck
    [bats]=bats
    [docker-compose]=docker-compose
    [openssl]=openssl
    [zip]=zip
    [unzip]=unzip
)

install_missing_tools() {
    local tool
    local -a missing_packages=()
    for tool in "${!REQUIRED_TOOLS[@]}"; do
        command -v "$tool" >/dev/null 2>&1 || missing_packages+=("${REQUIRED_TOOLS[$tool]}")
    done
    [[ ${#missing_packages[@]} -eq 0 ]] && return 0
    if [[ "$EUID" -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
        echo "Missing tools, install them first: ${missing_packages[*]}" >&2
        return 1
    fi
    echo "Installing ${missing_packages[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing_packages[@]}" >/dev/null
}

passed=0
failed=0

run_check() {
    local name="$1"
    shift
    echo "== $name"
    if "$@"; then
        passed=$((passed + 1))
    else
        echo "FAILED: $name" >&2
        failed=$((failed + 1))
    fi
}

install_missing_tools || exit 1

shell_sources=(
    fcu-config-validator.sh
    fcu-installer.sh
    docker/entrypoint.sh
    example-scripts/*.sh
    test/deploy/*.sh
    test/deploy/*.bash
    test/deploy/*.bats
)

run_check "shellcheck" shellcheck -x "${shell_sources[@]}"
run_check "bats test/deploy" bats test/deploy
run_check "docker-compose config -q" docker-compose -f docker-compose.yml config -q
run_check "docker-compose config -q (profile scale)" docker-compose -f docker-compose.yml --profile scale config -q

echo "deploy-checks: $passed passed, $failed failed"
[[ "$failed" -eq 0 ]]
