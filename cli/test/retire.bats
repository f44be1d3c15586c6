#!/usr/bin/env bats
# retire-identity against a real pep server with access tokens on: rework a
# gateway, then provision its serial again with the unchanged commands.

# shellcheck disable=SC2154 # $stderr is set by bats' run --separate-stderr
load test_helper

readonly DEVICE_TOKEN=bats-device-token
readonly ADMIN_TOKEN=bats-admin-token

setup_file() {
  start_pep_server PEP_AUTH_DEVICE_TOKENS=$DEVICE_TOKEN PEP_AUTH_ADMIN_TOKENS=$ADMIN_TOKEN
}

teardown_file() {
  stop_pep_server
}

setup() {
  enter_test_dir
}

@test "retire-identity retires the identity; the serial is provisioned again with the old commands" {
  PEP_TOKEN=$DEVICE_TOKEN provision rework-cli-1
  PEP_TOKEN=$ADMIN_TOKEN run -0 --separate-stderr "$PEP_CLI" retire-identity -s rework-cli-1 -r "new board & RMA #12"
  assert_contains "$output" '"state":"retired"'
  assert_contains "$output" '"reason":"new board & RMA #12"'
  assert_contains "$output" '"retiredBy":"token '\''admin-token-1'\''"'
  assert_equal "" "$stderr"
  PEP_TOKEN=$DEVICE_TOKEN run -1 --separate-stderr "$PEP_CLI" get-enrollment-id -s rework-cli-1
  assert_contains "$stderr" "HTTP 404: Not found!"
  PEP_TOKEN=$DEVICE_TOKEN run -0 "$PEP_CLI" get-one-identity -s rework-cli-1 -i "$FCC_IP" -p "$FCC_PORT"
  [[ -s identity.json ]]
  PEP_TOKEN=$DEVICE_TOKEN run -0 "$PEP_CLI" get-enrollment-id -s rework-cli-1
  assert_contains "$output" "A-"
}

@test "retire-identity: unknown serial and a second retirement exit 1 with the server's reason" {
  PEP_TOKEN=$ADMIN_TOKEN run -1 --separate-stderr "$PEP_CLI" retire-identity -s rework-cli-unknown -r rma
  assert_contains "$stderr" "HTTP 404: Not found!"
  PEP_TOKEN=$DEVICE_TOKEN provision rework-cli-2
  PEP_TOKEN=$ADMIN_TOKEN run -0 "$PEP_CLI" retire-identity -s rework-cli-2 -r rma
  PEP_TOKEN=$ADMIN_TOKEN run -1 --separate-stderr "$PEP_CLI" retire-identity -s rework-cli-2 -r rma
  assert_contains "$stderr" "HTTP 409: The identity of 'rework-cli-2' was retired already, at "
}

@test "retire-identity needs an admin token: a device token is 403, none 401" {
  PEP_TOKEN=$DEVICE_TOKEN provision rework-cli-3
  PEP_TOKEN=$DEVICE_TOKEN run -1 --separate-stderr "$PEP_CLI" retire-identity -s rework-cli-3 -r rma
  assert_contains "$stderr" "HTTP 403"
  run -1 --separate-stderr "$PEP_CLI" retire-identity -s rework-cli-3 -r rma
  assert_contains "$stderr" "HTTP 401"
  PEP_TOKEN=$DEVICE_TOKEN run -0 "$PEP_CLI" get-enrollment-id -s rework-cli-3
}

@test "retire-identity refuses bad options before sending anything" {
  run -2 --separate-stderr "$PEP_CLI" retire-identity
  assert_contains "$stderr" "Usage: pep-cli retire-identity"
  run -2 --separate-stderr "$PEP_CLI" retire-identity -s SN
  assert_contains "$stderr" "-r <reason> not specified!"
  run -2 --separate-stderr "$PEP_CLI" retire-identity -r rma
  assert_contains "$stderr" "-s <serial_number> not specified!"
  run -2 --separate-stderr "$PEP_CLI" retire-identity -s SN -r "$(printf 'x%.0s' {1..513})"
  assert_contains "$stderr" "longer than 512 characters"
  run -0 "$PEP_CLI" retire-identity -h
  for flag in -s -r -v -h; do
    assert_contains "$output" "  $flag "
  done
  run -0 "$PEP_CLI" help retire-identity
  assert_contains "$output" "Usage: pep-cli retire-identity"
}
