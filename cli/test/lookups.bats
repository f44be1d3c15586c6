#!/usr/bin/env bats
# get-enrollment-id and get-verification-key against a real pep server.

# shellcheck disable=SC2154 # $stderr is set by bats' run --separate-stderr
load test_helper

readonly SEALED_SERIAL='SN sealed & #1+ü'
readonly PLAIN_SERIAL=SN-plain
readonly FAKE_KEY=9a1c2e-5f0b3d-c4e871-02ad6f/1b2f3c-989680

setup_file() {
  start_pep_server
  PATH="$FAKES_DIR:$PATH" provision "$SEALED_SERIAL" -k
  provision "$PLAIN_SERIAL"
}

teardown_file() {
  stop_pep_server
}

setup() {
  enter_test_dir
}

@test "get-enrollment-id prints the id of a deployed gateway" {
  run -0 --separate-stderr "$PEP_CLI" get-enrollment-id -s "$PLAIN_SERIAL"
  assert_equal "$(enrollment_id_of "$PLAIN_SERIAL")" "$output"
  assert_equal "" "$stderr"
}

@test "get-enrollment-id URL-encodes the serial" {
  run -0 "$PEP_CLI" get-enrollment-id -s "$SEALED_SERIAL"
  assert_equal "$(enrollment_id_of "$SEALED_SERIAL")" "$output"
}

@test "get-enrollment-id: unknown serial is 404 'Not found!' on stderr, exit 1" {
  run -1 --separate-stderr "$PEP_CLI" get-enrollment-id -s SN-never-seen
  assert_contains "$stderr" "HTTP 404"
  assert_contains "$stderr" "Not found!"
  assert_equal "" "$output"
}

@test "get-enrollment-id: a prefix of a serial is not that serial" {
  run -1 "$PEP_CLI" get-enrollment-id -s "SN sealed "
}

@test "get-verification-key prints the key sent with -k" {
  run -0 --separate-stderr "$PEP_CLI" get-verification-key -s "$SEALED_SERIAL"
  assert_equal "$FAKE_KEY" "$output"
}

@test "get-verification-key: unknown serial is 404, exit 1" {
  run -1 --separate-stderr "$PEP_CLI" get-verification-key -s SN-never-seen
  assert_contains "$stderr" "HTTP 404"
  assert_contains "$stderr" "Not found!"
}

@test "-v shows the request on stderr; stdout stays the answer" {
  run -0 --separate-stderr "$PEP_CLI" get-enrollment-id -v -s "$PLAIN_SERIAL"
  assert_contains "$stderr" "> GET /v3/enrollment-id?serialNumber=$PLAIN_SERIAL"
  assert_equal "$(enrollment_id_of "$PLAIN_SERIAL")" "$output"
  run -0 --separate-stderr "$PEP_CLI" get-verification-key -v -s "$SEALED_SERIAL"
  assert_contains "$stderr" "> GET /v3/verification-key?serialNumber=SN%20sealed%20%26%20%231%2B%C3%BC"
}

@test "DEBUG=* traces on stderr without changing stdout" {
  DEBUG='*' run -0 --separate-stderr "$PEP_CLI" get-enrollment-id -s "$PLAIN_SERIAL"
  assert_equal "$(enrollment_id_of "$PLAIN_SERIAL")" "$output"
  assert_contains "$stderr" "+ "
  assert_contains "$stderr" "curl"
}

@test "PEP_SERVER_URL with a trailing slash works" {
  PEP_SERVER_URL=$PEP_SERVER_URL/ run -0 "$PEP_CLI" get-enrollment-id -s "$PLAIN_SERIAL"
  assert_equal "$(enrollment_id_of "$PLAIN_SERIAL")" "$output"
}
