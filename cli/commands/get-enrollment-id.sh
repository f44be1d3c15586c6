#!/usr/bin/env bash
# pep-cli get-enrollment-id -s <serial>: the enrollment id of a deployed gateway.
set -euo pipefail
# shellcheck source=../common.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../common.sh"

run_serial_lookup enrollment-id "$@"
