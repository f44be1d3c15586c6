#!/usr/bin/env bash
#
# Gateway side, before FCC runs: stops edge-core and removes the previous
# identity so that the one pep injects next is the only one. Safe to run
# again: whatever is already gone is reported and skipped.

set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=gateway-identity-common.sh
source "$script_dir/gateway-identity-common.sh"

# State that older gateway images derive from the previous identity:
# gateway statistics, device database, maestro database. Colon-separated;
# set LEGACY_STATE_PATHS= to keep them.
LEGACY_STATE_PATHS="${LEGACY_STATE_PATHS-$GATEWAY_ROOT/wigwag/system/lib/bash/relaystatics.sh:$GATEWAY_ROOT/userdata/etc/devicejs/db:$GATEWAY_ROOT/userdata/etc/maestroConfig.db}"

usage() {
    cat <<USAGE
Usage: $(basename "$0") [options]

Stops and masks $EDGE_CORE_SERVICE, then removes the gateway's previous identity.

  -c DIR    identity.json folder to clear          (EDGE_GW_CONFIG_DIR=$EDGE_GW_CONFIG_DIR)
  -d DIR    device management credentials to clear (PDM_CRED_DIR=$PDM_CRED_DIR)
  -s NAME   edge-core's systemd unit               (EDGE_CORE_SERVICE=$EDGE_CORE_SERVICE)
  -x PATH   also remove PATH (repeatable); by default LEGACY_STATE_PATHS:
            ${LEGACY_STATE_PATHS:-<none>}
  -h        show this help

GATEWAY_ROOT prefixes every default path (for trying this on a copy).
USAGE
}

main() {
    local option
    local -a stale_paths=()
    IFS=: read -r -a stale_paths <<<"$LEGACY_STATE_PATHS"
    while getopts ":c:d:s:x:h" option; do
        case "$option" in
            c) EDGE_GW_CONFIG_DIR="$OPTARG" ;;
            d) PDM_CRED_DIR="$OPTARG" ;;
            s) EDGE_CORE_SERVICE="$OPTARG" ;;
            x) stale_paths+=("$OPTARG") ;;
            h) usage; return 0 ;;
            :) usage >&2; die "-$OPTARG needs a value" ;;
            *) usage >&2; die "unknown option -$OPTARG" ;;
        esac
    done

    require_root

    # Masked, not only stopped: nothing may start edge-core (and let it
    # create fresh credentials of its own) until install-new-identity.sh.
    systemctl mask "$EDGE_CORE_SERVICE"
    systemctl stop "$EDGE_CORE_SERVICE"
    echo "Stopped $EDGE_CORE_SERVICE"

    remove_path "$PDM_CRED_DIR" "device management credentials"
    remove_path "$EDGE_GW_CONFIG_DIR" "identity.json folder"
    local path
    for path in "${stale_paths[@]}"; do
        if [[ -n "$path" ]]; then
            remove_path "$path" "state of the previous identity"
        fi
    done
    echo "Done"
}

main "$@"
