#!/usr/bin/env bash
# pep-cli list-enrollment-ids: save the deployed gateways as <file>.json and,
# with -e csv, <file>.csv too (as the old client did). CSV comes straight from
# the server (format=csv), so no jq is needed. -A follows the cursor over all
# pages.
set -euo pipefail
# shellcheck source=../common.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../common.sh"

readonly DEFAULT_LIMIT=50
readonly DEFAULT_ORDER=DESC
readonly DEFAULT_OUTPUT_FILE=enrollment_ids_list

limit=$DEFAULT_LIMIT
order=$DEFAULT_ORDER
last=""
export_format=""
output_file=$DEFAULT_OUTPUT_FILE
all_pages=""

usage() {
  cat <<HELP

Usage: $(cli_command_name) [<options>]

Options:
  -l <number_value>  number of results to return, default: $DEFAULT_LIMIT, maximum: 1000
  -o <string_value>  order - ASC or DESC, default: $DEFAULT_ORDER
  -t <string_value>  the id of the last entry in the previous result. Used to mark the start of the next page.
  -e <string_value>  define the export format of the result. By default result is stored in JSON format at <output file>.json.
                     Other supported formats are - csv (also saved at <output file>.csv, made by the server).
  -f <string_value>  output file, default=$DEFAULT_OUTPUT_FILE
  -A                 all pages: follow the cursor from -t (or the start) to the end, -l entries per request.
                     <output file>.csv then holds the header once and every row; <output file>.json holds
                     a JSON array of the server's pages, in order: [page, page, ...]
  -v                 verbose
  -h                 output usage information

Files are replaced only when every request succeeded. Exit status: 0 saved,
1 server error (its message is on stderr), 2 bad options, 3 server unreachable.
HELP
}

# each option's variable (parse_command_options)
declare -A OPTION_VARIABLES=([l]=limit [o]=order [t]=last [e]=export_format [f]=output_file [A]=all_pages)

check_options() {
  check_limit "$limit"
  [[ ${order^^} == ASC || ${order^^} == DESC ]] || usage_error "-o <string_value> must be ASC or DESC, got '$order'"
  case $export_format in
    "" | json | csv) ;;
    *) usage_error "-e <string_value>: unsupported export format '$export_format' (supported: csv)" ;;
  esac
  require_option "$output_file" -f output_file
}

# first_page_url FORMAT: the page the listing starts at.
first_page_url() {
  local format_param=""
  [[ $1 != csv ]] || format_param=csv
  api_url enrollment-ids limit "$limit" order "${order^^}" last "$last" format "$format_param"
}

# get_page FORMAT URL BODY_FILE HEADER_FILE: one page in FORMAT.
get_page() {
  local accept=()
  [[ $1 != csv ]] || accept=(--header 'Accept: text/csv')
  http_get "$2" "$3" "$4" "${accept[@]}"
}

# ---- CSV pages: header line, one row per gateway, Link: <...>; rel="next" ----

# csv_page_is_empty FILE: nothing but the header line.
csv_page_is_empty() {
  local rows
  rows=$(tail -n +2 -- "$1" | tr -d '\r\n')
  [[ -z $rows ]]
}

# next_link HEADER_FILE: the target of the Link header's rel="next", if any
# (RFC 8288: several links per header, rel may list several relations).
next_link() {
  local line links target params relations
  local link_pattern='<([^>]*)>([^<]*)' rel_pattern='rel="?([^";,]*)'
  while IFS= read -r line; do
    line=${line%$'\r'}
    [[ ${line,,} == link:* ]] || continue
    links=${line#*:}
    while [[ $links =~ $link_pattern ]]; do
      target=${BASH_REMATCH[1]}
      params=${BASH_REMATCH[2],,}
      links=${links#*"${BASH_REMATCH[0]}"}
      [[ $params =~ $rel_pattern ]] || continue
      relations=" ${BASH_REMATCH[1]} "
      if [[ $relations == *" next "* ]]; then
        printf '%s' "$target"
        return 0
      fi
    done
  done <"$1"
  return 1
}

# end_line_like FILE SAMPLE: end FILE with a line break if its last record
# has none, in SAMPLE's style (CRLF per RFC 4180, or LF), before more rows.
end_line_like() {
  [[ ! -s $1 || $(tail -c1 -- "$1" | wc -l) -eq 1 ]] && return 0
  if [[ $(head -n1 -- "$2") == *$'\r' ]]; then
    printf '\r\n' >>"$1"
  else
    printf '\n' >>"$1"
  fi
}

# save_csv_pages OUT: the first page, then with -A every following page
# without its header, until an empty page (or no next link).
save_csv_pages() {
  local out=$1 url page header_file next previous_url
  url=$(first_page_url csv)
  temp_file page || return
  temp_file header_file || return
  get_page csv "$url" "$page" "$header_file" || return
  cat -- "$page" >"$out" || return
  [[ -n $all_pages ]] || return 0
  while ! csv_page_is_empty "$page" && next=$(next_link "$header_file"); do
    previous_url=$url
    url=$(resolve_href "$next")
    stop_if_stuck "$previous_url" "$url" || return
    get_page csv "$url" "$page" "$header_file" || return
    end_line_like "$out" "$page" || return
    tail -n +2 -- "$page" >>"$out" || return
  done
}

# ---- JSON pages (HAL: _links.next.href, results[]) ----------------------

# json_page_is_empty FILE: "results" is [] (or absent).
json_page_is_empty() {
  local body
  body=$(<"$1")
  [[ $body =~ \"results\"[[:space:]]*:[[:space:]]*\[[[:space:]]*\] || ! $body =~ \"results\" ]]
}

# json_next_href FILE: _links.next.href of a HAL page, if any. A regular
# expression is enough: the server writes the link as a plain string, and a
# quote inside any string value would be escaped (\"), so cannot match.
json_next_href() {
  local body href
  body=$(<"$1")
  [[ $body =~ \"next\"[[:space:]]*:[[:space:]]*\{[[:space:]]*\"href\"[[:space:]]*:[[:space:]]*\"([^\"]*)\" ]] || return 1
  href=${BASH_REMATCH[1]}
  href=${href//\\\//\/}
  href=${href//\\u0026/&}
  printf '%s' "$href"
}

# save_json_pages OUT: the first page as the server sent it; with -A a JSON
# array of every non-empty page (merging results[] would need a JSON parser).
save_json_pages() {
  local out=$1 url page header_file next previous_url separator=""
  url=$(first_page_url json)
  temp_file page || return
  temp_file header_file || return
  get_page json "$url" "$page" "$header_file" || return
  if [[ -z $all_pages ]]; then
    cat -- "$page" >"$out"
    return
  fi
  printf '[' >"$out" || return
  while ! json_page_is_empty "$page"; do
    printf '%s' "$separator" >>"$out" || return
    cat -- "$page" >>"$out" || return
    separator=$',\n'
    next=$(json_next_href "$page") || break
    previous_url=$url
    url=$(resolve_href "$next")
    stop_if_stuck "$previous_url" "$url" || return
    get_page json "$url" "$page" "$header_file" || return
  done
  printf ']\n' >>"$out"
}

# stop_if_stuck PREVIOUS NEXT: a next link back to the same page would loop forever.
stop_if_stuck() {
  [[ $1 != "$2" ]] && return 0
  cli_error "the server's next link repeats the page just read ($2); stopping"
  return "$EXIT_FAILURE"
}

# save_listing FORMAT SAVER: run SAVER into a temp file beside
# <output file>.FORMAT, then move it into place. Savers check every write:
# they run where set -e does not apply, and a short file must not be published.
save_listing() {
  local format=$1 saver=$2 target="$output_file.$1" temp label
  temp_file_beside "$target" temp || return
  "$saver" "$temp" || return
  publish_file "$temp" "$target" || return
  label=${format^^}
  printf '%s output saved successfully at %s\n' "$label" "$target"
}

main() {
  parse_command_options 'l:o:t:e:f:A' "$@"
  check_options
  save_listing json save_json_pages || exit
  if [[ $export_format == csv ]]; then
    save_listing csv save_csv_pages || exit
  fi
}

main "$@"
