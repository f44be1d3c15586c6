#!/usr/bin/env bash
# pep-cli get-verification-key -s <serial>: the journald forward-secure-sealing
# verification key recorded when the gateway was provisioned with -k.
set -euo pipefail
# shellcheck source=../common.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../common.sh"

run_serial_lookup verification-key "$@"
