# shellcheck shell=bash
# What pep's shell-side tests need beyond Java and Maven (cli/test/run.sh, test/deploy/run.sh,
# test/dashboard/run.sh, test/alerts/run.sh):
# command -> Debian package. Sourced by bin/test and bin/lib/check-test-tools.
declare -gA PEP_TEST_TOOLS=(
  [bats]=bats
  [shellcheck]=shellcheck
  [docker-compose]=docker-compose
  [openssl]=openssl
  [zip]=zip
  [unzip]=unzip
  [curl]=curl
  [setpriv]=util-linux
  [chromium]=chromium
  [node]=nodejs
  [promtool]=prometheus
)

# The Debian packages of the tools that are not on the PATH, one line, sorted.
missing_test_packages() {
  local tool
  for tool in "${!PEP_TEST_TOOLS[@]}"; do
    command -v "$tool" >/dev/null 2>&1 || printf '%s\n' "${PEP_TEST_TOOLS[$tool]}"
  done | sort -u | paste -sd ' ' -
}
