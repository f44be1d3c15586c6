# shellcheck shell=bash
# Shared by pep-cli.sh and every commands/*.sh: settings, logging, option
# checks, URL encoding, the one HTTP helper and safe output files.
# Only bash, curl and coreutils: gateways have nothing else.

PEP_CLI_DIR=${PEP_CLI_DIR:-$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")}
PEP_SERVER_URL=${PEP_SERVER_URL:-http://localhost:5151}
PEP_API_VERSION=v3
# Only the connection has a deadline: provisioning itself may legitimately
# take as long as the factory tool needs.
PEP_CONNECT_TIMEOUT=${PEP_CONNECT_TIMEOUT:-10}

# Exit codes, documented in `pep-cli help`.
readonly EXIT_FAILURE=1      # the server answered non-2xx, or a local step failed
readonly EXIT_USAGE=2        # bad or missing option; nothing was sent
readonly EXIT_UNREACHABLE=3  # no HTTP answer at all (refused, DNS, timeout, reset)

# Set by -v in every command: curl prints the whole exchange on stderr.
PEP_CURL_VERBOSE=${PEP_CURL_VERBOSE:-}

# DEBUG=<anything> (the old client's DEBUG=*) traces every line on stderr.
if [[ -n ${DEBUG:-} ]]; then
  PS4='+ ${BASH_SOURCE[0]##*/}:${LINENO}: '
  set -x
fi

cli_command_name() {
  local script=${0##*/}
  script=${script%.sh}
  if [[ $script == pep-cli || $script == pep ]]; then
    printf 'pep-cli'
  else
    printf 'pep-cli %s' "$script"
  fi
}

# Same line shape as the old client (timestamp, who, level, message), but
# on stderr so stdout stays clean for scripts.
cli_log() {
  printf '%s %s LOG %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(cli_command_name)" "$*" >&2
}

cli_error() {
  printf '%s %s ERROR %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(cli_command_name)" "$*" >&2
}

cli_version() {
  local version
  version=$(<"$PEP_CLI_DIR/VERSION")
  printf '%s\n' "$version"
}

# usage_error MESSAGE: print why and where help is, then stop before any request.
usage_error() {
  cli_error "$*"
  printf "Run '%s -h' for usage.\n" "$(cli_command_name)" >&2
  exit "$EXIT_USAGE"
}

# getopts_failure OPT OPTARG: a missing value or an unknown option in a silent getopts.
getopts_failure() {
  case $1 in
    :) usage_error "option -$2 needs a value" ;;
    *) usage_error "unknown option -$2" ;;
  esac
}

# parse_command_options LETTERS [ARG...]: every command's option loop. LETTERS are the command's
# own getopts letters (a ':' after one that takes a value); the command's OPTION_VARIABLES maps
# each to the variable it sets: to its value, or to 1 for a flag. -v (verbose), -h (the
# command's usage, exit 0), mistakes and arguments left over are handled here, the same for
# every command.
parse_command_options() {
  local letters=$1 opt OPTIND=1 OPTARG
  shift
  while getopts ":${letters}vh" opt; do
    case $opt in
      v) PEP_CURL_VERBOSE=1 ;;
      h)
        usage
        exit 0
        ;;
      : | \?) getopts_failure "$opt" "$OPTARG" ;;
      *) printf -v "${OPTION_VARIABLES[$opt]}" '%s' "${OPTARG-1}" ;;
    esac
  done
  (($# < OPTIND)) || usage_error "unexpected argument '${!OPTIND}'"
}

# check_limit LIMIT: -l of the listing commands, a positive number.
check_limit() {
  [[ $1 =~ ^[1-9][0-9]*$ ]] || usage_error "-l <number_value> must be a positive number, got '$1'"
}

# require_option VALUE FLAG WHAT: a required option must be present and non-empty.
require_option() {
  [[ -n $1 ]] || usage_error "$2 <$3> not specified!"
}

# url_encode VALUE: percent-encode every byte of VALUE's UTF-8 form except
# RFC 3986 unreserved characters, so spaces, &, #, +, % and non-ASCII text
# reach the server exactly ('+' stays a plus, a space is %20).
url_encode() {
  local LC_ALL=C
  local value=$1 encoded="" char escaped index
  for ((index = 0; index < ${#value}; index++)); do
    char=${value:index:1}
    case $char in
      [a-zA-Z0-9._~-]) encoded+=$char ;;
      *)
        printf -v escaped '%%%02X' "'$char"
        encoded+=$escaped
        ;;
    esac
  done
  printf '%s' "$encoded"
}

# query_string NAME VALUE [NAME VALUE...]: "a=1&b=2", encoded; empty values are
# left out so the server applies its defaults.
query_string() {
  local query="" separator=""
  while (($# >= 2)); do
    if [[ -n $2 ]]; then
      query+="$separator$1=$(url_encode "$2")"
      separator="&"
    fi
    shift 2
  done
  printf '%s' "$query"
}

# api_url PATH [NAME VALUE...]: absolute URL of a v3 operation.
api_url() {
  local path=$1 query
  shift
  query=$(query_string "$@")
  printf '%s/%s/%s%s' "${PEP_SERVER_URL%/}" "$PEP_API_VERSION" "$path" "${query:+?$query}"
}

# resolve_href HREF: a link from the server as an absolute URL. The server
# knows only its own root, so a path ("/v3/...") is taken relative to
# PEP_SERVER_URL; that also keeps a reverse proxy's path prefix.
resolve_href() {
  case $1 in
    http://* | https://*) printf '%s' "$1" ;;
    /*) printf '%s%s' "${PEP_SERVER_URL%/}" "$1" ;;
    *) printf '%s/%s' "${PEP_SERVER_URL%/}" "$1" ;;
  esac
}

# ---- temporary and output files ------------------------------------------

PEP_TEMP_FILES=()

remove_temp_files() {
  ((${#PEP_TEMP_FILES[@]} == 0)) || rm -f -- "${PEP_TEMP_FILES[@]}"
}
trap remove_temp_files EXIT

# temp_file_beside TARGET VAR: create a new empty file in TARGET's directory
# (so the final mv is an atomic rename) and store its name in VAR. Also
# proves the directory is writable before anything is asked of the server.
temp_file_beside() {
  local dir base created
  dir=$(dirname -- "$1")
  base=$(basename -- "$1")
  created=$(mktemp "$dir/.$base.XXXXXX") || {
    cli_error "cannot write in '$dir' (needed for $base)"
    return "$EXIT_FAILURE"
  }
  PEP_TEMP_FILES+=("$created")
  printf -v "$2" '%s' "$created"
}

# temp_file VAR: a scratch file that is never published, its name in VAR.
temp_file() {
  local created
  created=$(mktemp "${TMPDIR:-/tmp}/pep-cli.XXXXXX") || return "$EXIT_FAILURE"
  PEP_TEMP_FILES+=("$created")
  printf -v "$1" '%s' "$created"
}

# publish_file TEMP TARGET: move a complete TEMP over TARGET with the mode a
# plain `> TARGET` would have had (mktemp makes 0600).
publish_file() {
  local mode
  printf -v mode '%o' $((0666 & ~$(umask)))
  chmod "$mode" -- "$1" && mv -f -- "$1" "$2"
}

# print_file FILE: FILE on stdout, ending with a newline.
print_file() {
  cat -- "$1"
  [[ ! -s $1 || $(tail -c1 -- "$1" | wc -l) -eq 1 ]] || printf '\n'
}

# ---- HTTP ----------------------------------------------------------------

# server_message BODY_FILE: the "message" of a JSON error body, else the
# body itself.
server_message() {
  local body
  body=$(<"$1")
  if [[ $body =~ \"message\"[[:space:]]*:[[:space:]]*\"(([^\"\\]|\\.)*)\" ]]; then
    body=${BASH_REMATCH[1]}
    body=${body//\\\"/\"}
    body=${body//\\n/ }
    body=${body//\\\\/\\}
  fi
  printf '%s' "$body"
}

# http_get URL BODY_FILE HEADER_FILE [CURL_ARG...]: one request (a GET unless a CURL_ARG says --request). Returns 0 on a
# 2xx answer; otherwise says why on stderr and returns EXIT_FAILURE (the
# server answered non-2xx) or EXIT_UNREACHABLE (no answer).
http_get() {
  local url=$1 body_file=$2 header_file=$3 status curl_status=0
  shift 3
  local curl_args=(--silent --show-error --globoff
    --connect-timeout "$PEP_CONNECT_TIMEOUT"
    --output "$body_file" --dump-header "$header_file"
    --write-out '%{http_code}')
  [[ -z $PEP_CURL_VERBOSE ]] || curl_args+=(--verbose)
  # PEP_TOKEN (pep's access tokens): given to curl as a config on a pipe, never on its command line (ps)
  if [[ -n ${PEP_TOKEN:-} ]]; then
    status=$(curl --config <(printf 'header = "Authorization: Bearer %s"\n' "$PEP_TOKEN") "${curl_args[@]}" "$@" "$url") ||
      curl_status=$?
  else
    status=$(curl "${curl_args[@]}" "$@" "$url") || curl_status=$?
  fi
  if ((curl_status != 0)); then
    cli_error "no answer from the pep server at $PEP_SERVER_URL (curl exit $curl_status); is it running and is PEP_SERVER_URL right?"
    return "$EXIT_UNREACHABLE"
  fi
  if [[ $status != 2?? ]]; then
    cli_error "server answered HTTP $status: $(server_message "$body_file")"
    return "$EXIT_FAILURE"
  fi
}

# ---- the two serial-number look-ups ---------------------------------------

# serial_lookup_usage WHAT: help of get-enrollment-id / get-verification-key.
serial_lookup_usage() {
  cat <<HELP

Usage: $(cli_command_name) [<options>]

Options:
  -s <string_value>  get $1 of the gateway based on its serial number
  -v                 verbose
  -h                 output usage information

Prints the $1 on stdout. Exit status: 0 found, 1 not found or server
error (the server's message is on stderr), 2 bad options, 3 server unreachable.
HELP
}

# run_serial_lookup RESOURCE [ARG...]: the whole of get-enrollment-id and
# get-verification-key (they differ only in the resource): -s serial, -v,
# -h; prints the server's text answer.
run_serial_lookup() {
  local resource=$1 serial_number="" body_file header_file
  shift
  if (($# == 0)); then
    serial_lookup_usage "$resource" >&2
    exit "$EXIT_USAGE"
  fi
  usage() { serial_lookup_usage "$resource"; }
  local -A OPTION_VARIABLES=([s]=serial_number)
  parse_command_options 's:' "$@"
  require_option "$serial_number" -s serial_number

  temp_file body_file
  temp_file header_file
  http_get "$(api_url "$resource" serialNumber "$serial_number")" "$body_file" "$header_file" ||
    exit
  print_file "$body_file"
}
