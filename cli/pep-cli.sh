#!/usr/bin/env bash
# pep-cli: gateway-side client of the pep factory provisioning server.
# Dispatches to commands/<command>.sh; works in place and through a symlink
# (e.g. /usr/local/bin/pep-cli), hence readlink -f.
set -euo pipefail

PEP_CLI_DIR=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
export PEP_CLI_DIR
# shellcheck source=common.sh
source "$PEP_CLI_DIR/common.sh"
export PEP_SERVER_URL

readonly COMMANDS=(get-one-identity get-enrollment-id get-verification-key list-enrollment-ids list-attempts retire-identity)

cli_help() {
  cat <<HELP

pep-cli - pep (pelion-edge-provisioner) cli
Version: $(cli_version)
Usage: pep-cli [options] command {args...}

Options:
  -V, --version                    output the version number
  -h, --help                       output usage information

Commands:
  get-one-identity [<options>]     get a gateway identity based on the provided filters, saved as ./identity.json
  get-enrollment-id [<options>]    get enrollment identity of dispatched gateway
  get-verification-key [<options>] get journald verification key of dispatched gateway
  list-enrollment-ids [<options>]  list identities of dispatched gateways (JSON or CSV files)
  list-attempts [<options>]        the attempt log: every provisioning request and how it ended
  retire-identity [<options>]      retire a gateway's identity (rework) so its serial is provisioned again
  help [<command>]                 display help

Environment:
  PEP_SERVER_URL                   pep server (default: http://localhost:5151, now: $PEP_SERVER_URL)
  PEP_TOKEN                        access token sent as 'Authorization: Bearer', when pep requires one
  DEBUG                            any value traces every step on stderr (e.g. DEBUG=*)

Exit status: 0 success, 1 the server refused (its message is on stderr) or a
local step failed, 2 bad options (nothing was sent), 3 no answer from the server.
HELP
}

is_command() {
  local known
  for known in "${COMMANDS[@]}"; do
    [[ $1 == "$known" ]] && return 0
  done
  return 1
}

run_command() {
  exec bash "$PEP_CLI_DIR/commands/$1.sh" "${@:2}"
}

main() {
  local command=${1:-}
  case $command in
    -V | --version) printf 'Version: %s\n' "$(cli_version)" ;;
    -h | --help) cli_help ;;
    help)
      if [[ -n ${2:-} ]] && is_command "$2"; then
        run_command "$2" -h
      fi
      cli_help
      ;;
    "")
      cli_help >&2
      exit "$EXIT_USAGE"
      ;;
    *)
      is_command "$command" || usage_error "unknown command '$command'"
      run_command "$@"
      ;;
  esac
}

main "$@"
