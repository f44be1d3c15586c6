#!/usr/bin/env bats
# list-attempts and PEP_TOKEN against a real pep server with access tokens on.

# shellcheck disable=SC2154 # $stderr is set by bats' run --separate-stderr
load test_helper

readonly DEVICE_TOKEN=bats-device-token
readonly ADMIN_TOKEN=bats-admin-token

setup_file() {
  start_pep_server PEP_AUTH_DEVICE_TOKENS=$DEVICE_TOKEN PEP_AUTH_ADMIN_TOKENS=$ADMIN_TOKEN
  PEP_TOKEN=$DEVICE_TOKEN provision attempt-ok-1
  PEP_TOKEN=$DEVICE_TOKEN provision fail-attempt-1 2>/dev/null || true
  # the attempt log is written just after each answer: wait until both are in (60 s at most)
  local waited=0
  until [[ $(curl -s -H "Authorization: Bearer $ADMIN_TOKEN" "$PEP_SERVER_URL/v3/attempts?format=csv" | wc -l) -ge 3 ]]; do
    ((waited++ < 240)) || return 1
    sleep 0.25
  done
}

teardown_file() {
  stop_pep_server
}

setup() {
  enter_test_dir
}

@test "without PEP_TOKEN a gateway call is refused with 401" {
  run -1 --separate-stderr "$PEP_CLI" get-one-identity -s attempt-no-token -i "$FCC_IP" -p "$FCC_PORT"
  assert_contains "$stderr" "HTTP 401"
  assert_contains "$stderr" "PEP_TOKEN"
}

@test "list-attempts prints the log as JSON, newest first, with outcomes" {
  PEP_TOKEN=$ADMIN_TOKEN run -0 --separate-stderr "$PEP_CLI" list-attempts
  assert_contains "$output" '"serialNumber":"fail-attempt-1"'
  assert_contains "$output" '"outcome":"tool-failed"'
  assert_contains "$output" '"outcome":"ok"'
  [[ $output == *fail-attempt-1*attempt-ok-1* ]]
  assert_equal "" "$stderr"
}

@test "list-attempts filters by serial and outcome, CSV into a file" {
  PEP_TOKEN=$ADMIN_TOKEN run -0 "$PEP_CLI" list-attempts -s attempt-ok-1 -o ok -e csv -f attempts.csv
  assert_equal "CSV output saved successfully at attempts.csv" "$output"
  assert_equal 2 "$(wc -l <attempts.csv)"
  assert_contains "$(head -n1 attempts.csv)" "time,serialNumber,ip,port,client,outcome,status"
  assert_contains "$(tail -n1 attempts.csv)" ",attempt-ok-1,127.0.0.1,7777,"
}

@test "list-attempts with a device token is 403, with none 401" {
  PEP_TOKEN=$DEVICE_TOKEN run -1 --separate-stderr "$PEP_CLI" list-attempts
  assert_contains "$stderr" "HTTP 403"
  run -1 --separate-stderr "$PEP_CLI" list-attempts
  assert_contains "$stderr" "HTTP 401"
}

@test "list-attempts refuses bad options before sending anything" {
  run -2 --separate-stderr "$PEP_CLI" list-attempts -l zero
  assert_contains "$stderr" "-l <number_value> must be a positive number"
  run -2 --separate-stderr "$PEP_CLI" list-attempts -e xml
  assert_contains "$stderr" "unsupported export format"
}

@test "PEP_TOKEN reaches the server but never curl's command line" {
  local real_curl
  real_curl=$(command -v curl)
  mkdir -p bin
  printf '#!/usr/bin/env bash\nprintf "%%s\\n" "$*" >>"%s/curl-args.log"\nexec "%s" "$@"\n' "$PWD" "$real_curl" >bin/curl
  chmod +x bin/curl
  PATH="$PWD/bin:$PATH" PEP_TOKEN=$ADMIN_TOKEN run -0 "$PEP_CLI" list-attempts -l 1
  assert_contains "$output" '"results"'
  [[ -s curl-args.log ]]
  assert_equal 0 "$(count_matches "$ADMIN_TOKEN" curl-args.log)"
}
