#!/usr/bin/env bats
# list-enrollment-ids against a real pep server holding five deployed
# gateways (one serial needs CSV quoting) and one failed attempt.

# shellcheck disable=SC2154 # $stderr is set by bats' run --separate-stderr
load test_helper

readonly CSV_HEADER=enrollmentID,serialNumber,gatewayServicesAddress,apiAddress,hardwareVersion,radioConfig,ledConfig,category,deployed,createdAt
# In insertion (ASC) order.
readonly SERIALS=(list-1 list-2 'list,"3"' list-4 list-5)

setup_file() {
  start_pep_server
  local serial
  for serial in "${SERIALS[@]}"; do
    provision "$serial"
  done
  # not deployed (the tool failed), so never listed
  provision fail-list 2>/dev/null || true
}

teardown_file() {
  stop_pep_server
}

setup() {
  enter_test_dir
}

# expected_ids [INDEX...]: enrollment ids of SERIALS[INDEX], one per line.
expected_ids() {
  local index
  for index in "$@"; do
    enrollment_id_of "${SERIALS[index]}"
    printf '\n'
  done
}

# csv_ids FILE: first column of every row after the header (ids need no quoting).
csv_ids() {
  tail -n +2 "$1" | tr -d '\r' | cut -d, -f1
}

# json_ids FILE: every enrollmentID in a JSON file, in order.
json_ids() {
  grep -o '"enrollmentID"[[:space:]]*:[[:space:]]*"[^"]*"' "$1" | sed 's/.*"\([^"]*\)"$/\1/'
}

# json_object_ids FILE: every _id in a JSON file, in order.
json_object_ids() {
  grep -o '"_id"[[:space:]]*:[[:space:]]*"[^"]*"' "$1" | sed 's/.*"\([^"]*\)"$/\1/'
}

@test "defaults: enrollment_ids_list.json, newest first, message as before" {
  run -0 --separate-stderr "$PEP_CLI" list-enrollment-ids
  assert_equal "JSON output saved successfully at enrollment_ids_list.json" "$output"
  assert_equal "$(expected_ids 4 3 2 1 0)" "$(json_ids enrollment_ids_list.json)"
  assert_equal 0 "$(count_matches fail-list enrollment_ids_list.json)"
  [[ ! -e enrollment_ids_list.csv ]]
  assert_no_temp_files .
}

@test "-l limits, -o ASC orders" {
  run -0 "$PEP_CLI" list-enrollment-ids -l 2
  assert_equal "$(expected_ids 4 3)" "$(json_ids enrollment_ids_list.json)"
  run -0 "$PEP_CLI" list-enrollment-ids -l 2 -o ASC
  assert_equal "$(expected_ids 0 1)" "$(json_ids enrollment_ids_list.json)"
  run -0 "$PEP_CLI" list-enrollment-ids -l 2 -o asc
  assert_equal "$(expected_ids 0 1)" "$(json_ids enrollment_ids_list.json)"
}

@test "-t continues after the given entry" {
  run -0 "$PEP_CLI" list-enrollment-ids -l 2 -o ASC
  local last
  last=$(json_object_ids enrollment_ids_list.json | tail -n 1)
  [[ -n $last ]]
  run -0 "$PEP_CLI" list-enrollment-ids -l 2 -o ASC -t "$last"
  assert_equal "$(expected_ids 2 3)" "$(json_ids enrollment_ids_list.json)"
}

@test "-f names the output files" {
  mkdir out
  run -0 "$PEP_CLI" list-enrollment-ids -f out/gateways -e csv
  assert_equal $'JSON output saved successfully at out/gateways.json\nCSV output saved successfully at out/gateways.csv' "$output"
  [[ -s out/gateways.json && -s out/gateways.csv ]]
  [[ ! -e enrollment_ids_list.json ]]
}

@test "-e csv: the server's CSV, old header, RFC 4180 quoting, the JSON file too" {
  run -0 "$PEP_CLI" list-enrollment-ids -e csv -o ASC
  assert_contains "$output" "CSV output saved successfully at enrollment_ids_list.csv"
  assert_equal "$CSV_HEADER" "$(head -n 1 enrollment_ids_list.csv | tr -d '\r')"
  assert_equal "$(expected_ids 0 1 2 3 4)" "$(csv_ids enrollment_ids_list.csv)"
  grep -qF "$(enrollment_id_of 'list,"3"'),\"list,\"\"3\"\"\"," enrollment_ids_list.csv
  grep -q "^$(enrollment_id_of list-1),list-1,https://gateways.us-east-1.mbedcloud.com,https://api.us-east-1.mbedcloud.com,izuma-edge-gateway,00,01,production,true,[0-9]" enrollment_ids_list.csv
  assert_equal "$(expected_ids 0 1 2 3 4)" "$(json_ids enrollment_ids_list.json)"
}

@test "-e csv -l 2: one page of two rows" {
  run -0 "$PEP_CLI" list-enrollment-ids -e csv -l 2
  assert_equal "$(expected_ids 4 3)" "$(csv_ids enrollment_ids_list.csv)"
}

@test "-e csv -t: the page after the cursor" {
  run -0 "$PEP_CLI" list-enrollment-ids -l 1 -o ASC
  run -0 "$PEP_CLI" list-enrollment-ids -e csv -l 2 -o ASC -t "$(json_object_ids enrollment_ids_list.json)"
  assert_equal "$(expected_ids 1 2)" "$(csv_ids enrollment_ids_list.csv)"
}

@test "-A -e csv: every page (2+2+1), header once, in order" {
  run -0 "$PEP_CLI" list-enrollment-ids -A -e csv -l 2 -o ASC
  assert_equal 1 "$(grep -c '^enrollmentID,' enrollment_ids_list.csv)"
  assert_equal "$CSV_HEADER" "$(head -n 1 enrollment_ids_list.csv | tr -d '\r')"
  assert_equal "$(expected_ids 0 1 2 3 4)" "$(csv_ids enrollment_ids_list.csv)"
  run -0 "$PEP_CLI" list-enrollment-ids -A -e csv -l 2
  assert_equal "$(expected_ids 4 3 2 1 0)" "$(csv_ids enrollment_ids_list.csv)"
}

@test "-A -e csv -l 1 and -l 1000 give the same rows" {
  run -0 "$PEP_CLI" list-enrollment-ids -A -e csv -l 1 -f one
  run -0 "$PEP_CLI" list-enrollment-ids -A -e csv -l 1000 -f all
  cmp <(csv_ids one.csv) <(csv_ids all.csv)
  assert_equal "$(expected_ids 4 3 2 1 0)" "$(csv_ids one.csv)"
}

@test "-A -e csv -t: from the cursor to the end" {
  run -0 "$PEP_CLI" list-enrollment-ids -l 2 -o ASC
  run -0 "$PEP_CLI" list-enrollment-ids -A -e csv -l 2 -o ASC -t "$(json_object_ids enrollment_ids_list.json | tail -n 1)"
  assert_equal "$(expected_ids 2 3 4)" "$(csv_ids enrollment_ids_list.csv)"
}

@test "an empty page: CSV is the header alone" {
  run -0 "$PEP_CLI" list-enrollment-ids -l 1 -o DESC
  local newest
  newest=$(json_object_ids enrollment_ids_list.json)
  run -0 "$PEP_CLI" list-enrollment-ids -A -e csv -o ASC -t "$newest"
  assert_equal "$CSV_HEADER" "$(tr -d '\r' <enrollment_ids_list.csv)"
  assert_equal "[]" "$(tr -d '\n' <enrollment_ids_list.json)"
}

@test "-A (JSON): an array of the server's pages, every gateway once" {
  run -0 "$PEP_CLI" list-enrollment-ids -A -l 2 -o ASC
  [[ $(head -c 1 enrollment_ids_list.json) == "[" ]]
  [[ $(tr -d '\n' <enrollment_ids_list.json | tail -c 1) == "]" ]]
  assert_equal 3 "$(count_matches '"_links"' enrollment_ids_list.json)"
  assert_equal "$(expected_ids 0 1 2 3 4)" "$(json_ids enrollment_ids_list.json)"
}

@test "-v shows each page request on stderr" {
  run -0 --separate-stderr "$PEP_CLI" list-enrollment-ids -v -A -e csv -l 2 -o ASC
  assert_contains "$stderr" "> GET /v3/enrollment-ids?limit=2&order=ASC&format=csv"
  assert_contains "$stderr" "> Accept: text/csv"
  assert_contains "$stderr" "&last="
}

@test "a failed listing replaces no earlier file" {
  printf 'earlier\n' >enrollment_ids_list.json
  printf 'earlier\n' >enrollment_ids_list.csv
  PEP_SERVER_URL=http://127.0.0.1:$(free_port) run -3 "$PEP_CLI" list-enrollment-ids -A -e csv
  assert_equal earlier "$(<enrollment_ids_list.json)"
  assert_equal earlier "$(<enrollment_ids_list.csv)"
  assert_no_temp_files .
}
