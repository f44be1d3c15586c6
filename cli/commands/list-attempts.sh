#!/usr/bin/env bash
# pep-cli list-attempts: the attempt log (every GET /v3/identity, accepted or
# refused), newest first, one page, as JSON or CSV, on stdout or into a file.
set -euo pipefail
# shellcheck source=../common.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../common.sh"

readonly DEFAULT_LIMIT=50

serial_number=""
outcome=""
since=""
until_time=""
limit=$DEFAULT_LIMIT
last=""
export_format=json
output_file=""

usage() {
  cat <<HELP

Usage: $(cli_command_name) [<options>]

Options:
  -s <string_value>  only attempts for this serial number
  -o <string_value>  only attempts with this outcome: ok, invalid, refused-by-site, conflict,
                     gateway-unreachable, gateway-refused, gateway-silent, gateway-closed,
                     gateway-unreadable, tool-timeout, tool-failed, tool-unavailable, busy,
                     store-unavailable, error, retired
  -S <time>          attempts at or after this time (ISO-8601, e.g. 2026-11-29T08:00:00Z, or epoch ms)
  -U <time>          attempts before this time
  -l <number_value>  number of results to return, default: $DEFAULT_LIMIT, maximum: 1000
  -t <string_value>  the id of the last entry in the previous result (next page)
  -e <string_value>  json (default) or csv
  -f <file>          save into this file instead of printing
  -v                 verbose
  -h                 output usage information

With access tokens on, set PEP_TOKEN to an admin token. Exit status: 0 done,
1 server error (its message is on stderr), 2 bad options, 3 server unreachable.
HELP
}

# each option's variable (parse_command_options)
declare -A OPTION_VARIABLES=([s]=serial_number [o]=outcome [S]=since [U]=until_time [l]=limit [t]=last
  [e]=export_format [f]=output_file)

check_options() {
  check_limit "$limit"
  case $export_format in
    json | csv) ;;
    *) usage_error "-e <string_value>: unsupported export format '$export_format' (supported: json, csv)" ;;
  esac
}

main() {
  local format_param="" body_file header_file
  parse_command_options 's:o:S:U:l:t:e:f:' "$@"
  check_options
  [[ $export_format != csv ]] || format_param=csv
  temp_file body_file || exit
  temp_file header_file || exit
  http_get "$(api_url attempts serialNumber "$serial_number" outcome "$outcome" since "$since" until "$until_time" \
    limit "$limit" last "$last" format "$format_param")" "$body_file" "$header_file" || exit
  if [[ -z $output_file ]]; then
    print_file "$body_file"
    return
  fi
  local temp
  temp_file_beside "$output_file" temp || exit
  cat -- "$body_file" >"$temp" || exit
  publish_file "$temp" "$output_file" || exit
  printf '%s output saved successfully at %s\n' "${export_format^^}" "$output_file"
}

main "$@"
