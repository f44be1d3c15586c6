#!/usr/bin/env bash
# pep-cli retire-identity: retire a gateway's current identity (rework, RMA) so
# the next get-one-identity for its serial provisions a new one.
set -euo pipefail
# shellcheck source=../common.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../common.sh"

serial_number=""
reason=""

usage() {
  cat <<HELP

Usage: $(cli_command_name) [<options>]

Options:
  -s <string_value>  serial number of the gateway whose current identity is retired
  -r <string_value>  why (1-512 characters), kept with the retired identity and in the attempt log
  -v                 verbose
  -h                 output usage information

Prints the retired identity (JSON). The retired identity stays in the history
(GET /v3/identities/history); the serial can then be provisioned again.
With access tokens on, set PEP_TOKEN to an admin token. Exit status: 0 retired,
1 the server refused (unknown serial, being provisioned now, retired already;
its message is on stderr), 2 bad options, 3 server unreachable.
HELP
}

parse_options() {
  local opt OPTIND=1 OPTARG
  while getopts ':s:r:vh' opt; do
    case $opt in
      s) serial_number=$OPTARG ;;
      r) reason=$OPTARG ;;
      v) PEP_CURL_VERBOSE=1 ;;
      h)
        usage
        exit 0
        ;;
      *) getopts_failure "$opt" "$OPTARG" ;;
    esac
  done
  (($# < OPTIND)) || usage_error "unexpected argument '${!OPTIND}'"
  require_option "$serial_number" -s serial_number
  require_option "$reason" -r reason
  ((${#reason} <= 512)) || usage_error "-r <reason> is longer than 512 characters"
}

main() {
  local body_file header_file
  if (($# == 0)); then
    usage >&2
    exit "$EXIT_USAGE"
  fi
  parse_options "$@"
  temp_file body_file || exit
  temp_file header_file || exit
  http_get "$(api_url identities/retire serialNumber "$serial_number" reason "$reason")" "$body_file" "$header_file" \
    --request POST || exit
  print_file "$body_file"
}

main "$@"
