# Paths and helpers shared by the gateway-side identity scripts
# (prepare-for-new-identity.sh, install-new-identity.sh). Copy the three
# files to the gateway together.
#
# Defaults fit meta-pelion-edge / meta-edge images. Every default path lies
# under GATEWAY_ROOT (empty: the real root), so the scripts can be tried
# on a copy of a gateway's file system; flags and the variables below
# override single paths.
# shellcheck shell=bash

GATEWAY_ROOT="${GATEWAY_ROOT:-}"
# Where maestro reads identity.json (platform_readers/params/identity_path).
EDGE_GW_CONFIG_DIR="${EDGE_GW_CONFIG_DIR:-$GATEWAY_ROOT/userdata/edge_gw_config}"
# edge-core's device management credentials (PAL_FS_MOUNT_POINT_PRIMARY).
PDM_CRED_DIR="${PDM_CRED_DIR:-$GATEWAY_ROOT/userdata/mbed/mcc_config}"
EDGE_CORE_SERVICE="${EDGE_CORE_SERVICE:-edge-core}"

die() {
    echo "Error: $*" >&2
    exit 1
}

# systemctl mask/unmask need root. REQUIRE_ROOT=0 skips the check when the
# scripts are tried on a copy of the file system with a stand-in systemctl.
require_root() {
    if [[ "${REQUIRE_ROOT:-1}" != 0 && "$EUID" -ne 0 ]]; then
        die "This script must be run via sudo (or as root) - can't run systemctl mask commands otherwise."
    fi
}

# rm -rf with a guard: an empty or root path means a mistyped setting.
remove_path() {
    local path="$1" description="$2"
    [[ -n "$path" && "$path" != "/" ]] || die "refusing to remove '$path' ($description)"
    if [[ -e "$path" || -L "$path" ]]; then
        rm -rf -- "$path"
        echo "Cleared $description ($path)"
    else
        echo "No $description to clear ($path)"
    fi
}
