#!/usr/bin/env bash
#
# Gateway side, after `pep-cli get-one-identity` succeeded: puts the new
# identity where maestro and edge-core read it and lets edge-core start
# again at the next boot. Safe to run again: an identity already in place
# is reported and kept.
#
# Without Parsec, FCC leaves the credentials in a pal/ folder in its working
# directory; they move to edge-core's credentials folder. With Parsec (TPM)
# FCC has already written them to PSA trusted storage under that folder;
# this checks that they and the Parsec service are there.

set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=gateway-identity-common.sh
source "$script_dir/gateway-identity-common.sh"

IDENTITY_JSON="${IDENTITY_JSON:-identity.json}"
FCC_OUTPUT_DIR="${FCC_OUTPUT_DIR:-pal}"
PARSEC_TOOL="${PARSEC_TOOL:-parsec-tool}"

usage() {
    cat <<USAGE
Usage: $(basename "$0") [--parsec] [options]

Installs identity.json and the device management credentials, then unmasks
$EDGE_CORE_SERVICE. Reboot the gateway afterwards.

  --parsec  credentials are in Parsec/TPM-backed PSA storage (PDM_CRED_DIR/pst)
  -i FILE   identity.json written by pep-cli     (IDENTITY_JSON=$IDENTITY_JSON)
  -p DIR    FCC's output folder, without Parsec  (FCC_OUTPUT_DIR=$FCC_OUTPUT_DIR)
  -c DIR    identity.json destination folder     (EDGE_GW_CONFIG_DIR=$EDGE_GW_CONFIG_DIR)
  -d DIR    device management credentials folder (PDM_CRED_DIR=$PDM_CRED_DIR)
  -s NAME   edge-core's systemd unit             (EDGE_CORE_SERVICE=$EDGE_CORE_SERVICE)
  -h        show this help

GATEWAY_ROOT prefixes every default gateway path (for trying this on a copy).
USAGE
}

installed_identity_json() {
    echo "$EDGE_GW_CONFIG_DIR/identity.json"
}

# Checks run before anything is moved, so a missing piece leaves the
# gateway as it was.
check_identity_json() {
    [[ -f "$IDENTITY_JSON" || -f "$(installed_identity_json)" ]] \
        || die "No $IDENTITY_JSON found; run pep-cli get-one-identity first."
}

check_fcc_output() {
    [[ -d "$FCC_OUTPUT_DIR" || -d "$PDM_CRED_DIR" ]] \
        || die "No FCC output folder $FCC_OUTPUT_DIR and no credentials at $PDM_CRED_DIR; did FCC run here?"
}

install_identity_json() {
    local installed
    installed="$(installed_identity_json)"
    if [[ -f "$IDENTITY_JSON" ]]; then
        mkdir -p "$EDGE_GW_CONFIG_DIR"
        mv -f "$IDENTITY_JSON" "$installed"
        echo "Successfully installed identity.json at $installed"
    else
        echo "identity.json already installed at $installed"
    fi
}

# edge-core creates its credential store only when the folder is absent, so
# the new credentials replace the folder rather than merge into it. Removing
# first and moving second also makes an interrupted run safe to repeat: the
# source stays in place until the move has completed.
install_fcc_output() {
    if [[ -d "$FCC_OUTPUT_DIR" ]]; then
        remove_path "$PDM_CRED_DIR" "previous device management credentials"
        mkdir -p "$(dirname "$PDM_CRED_DIR")"
        mv "$FCC_OUTPUT_DIR" "$PDM_CRED_DIR"
        echo "Successfully installed device management credentials at $PDM_CRED_DIR"
    else
        echo "Device management credentials already installed at $PDM_CRED_DIR"
    fi
}

check_parsec_credentials() {
    "$PARSEC_TOOL" ping >/dev/null || die "The Parsec service does not answer ($PARSEC_TOOL ping); the credentials' keys live there."
    local psa_storage="$PDM_CRED_DIR/pst"
    [[ -d "$psa_storage" ]] || die "Failed to locate device management credentials at $psa_storage."
    echo "Found device management credentials in PSA trusted storage at $psa_storage."
}

main() {
    local use_parsec=false option
    local -a options=()
    # getopts knows short options only; --parsec and --help are taken out first.
    for option in "$@"; do
        case "$option" in
            --parsec) use_parsec=true ;;
            --help) usage; return 0 ;;
            *) options+=("$option") ;;
        esac
    done
    set -- "${options[@]+"${options[@]}"}"
    while getopts ":i:p:c:d:s:h" option; do
        case "$option" in
            i) IDENTITY_JSON="$OPTARG" ;;
            p) FCC_OUTPUT_DIR="$OPTARG" ;;
            c) EDGE_GW_CONFIG_DIR="$OPTARG" ;;
            d) PDM_CRED_DIR="$OPTARG" ;;
            s) EDGE_CORE_SERVICE="$OPTARG" ;;
            h) usage; return 0 ;;
            :) usage >&2; die "-$OPTARG needs a value" ;;
            *) usage >&2; die "unknown option -$OPTARG" ;;
        esac
    done

    require_root

    check_identity_json
    if [[ "$use_parsec" == true ]]; then
        check_parsec_credentials
    else
        check_fcc_output
    fi

    install_identity_json
    if [[ "$use_parsec" != true ]]; then
        install_fcc_output
    fi

    # prepare-for-new-identity.sh masked edge-core; it starts at next boot.
    systemctl unmask "$EDGE_CORE_SERVICE"
    echo "Done. Reboot the gateway to connect with the new identity."
}

main "$@"
