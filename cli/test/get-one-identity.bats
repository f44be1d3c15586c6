#!/usr/bin/env bats
# get-one-identity against a real pep server (fake factory tool): identity.json
# only on success, server messages and exit codes on failure, every value
# URL-encoded, -k with a fake journalctl.

# shellcheck disable=SC2154 # $stderr is set by bats' run --separate-stderr
load test_helper

setup_file() {
  # One tool slot and a short queue make the 503 (busy) answer quick to reach; the tool
  # timeout (504) is long enough for the hanging run to hold the slot through the busy test,
  # also on a busy machine.
  start_pep_server PEP_TOOL_MAX_CONCURRENT=1 PEP_TOOL_QUEUE_WAIT=500 PEP_TOOL_TIMEOUT=15000
}

teardown_file() {
  stop_pep_server
}

setup() {
  enter_test_dir
}

# identity SERIAL [OPTION...]: run get-one-identity for SERIAL on the fake FCC.
identity() {
  local serial=$1
  shift
  "$PEP_CLI" get-one-identity -s "$serial" -i "$FCC_IP" -p "$FCC_PORT" "$@"
}

@test "provisions: identity.json written, printed, enrollment id from the factory tool" {
  run -0 --separate-stderr identity SN-ok-1
  [[ -f identity.json ]]
  assert_equal "$(<identity.json)" "$output"
  assert_equal SN-ok-1 "$(json_string identity.json serialNumber)"
  assert_equal "$(enrollment_id_of SN-ok-1)" "$(json_string identity.json enrollmentID)"
  [[ $(<identity.json) =~ \"deployed\"[[:space:]]*:[[:space:]]*true ]]
  assert_no_temp_files .
}

@test "defaults of the old client are sent" {
  run -0 identity SN-defaults
  assert_equal izuma-edge-gateway "$(json_string identity.json hardwareVersion)"
  assert_equal 00 "$(json_string identity.json radioConfig)"
  assert_equal 01 "$(json_string identity.json ledConfig)"
  assert_equal production "$(json_string identity.json category)"
  assert_equal https://api.us-east-1.mbedcloud.com "$(json_string identity.json apiAddress)"
  assert_equal https://gateways.us-east-1.mbedcloud.com "$(json_string identity.json gatewayServicesAddress)"
}

@test "-a -g -w -r -l -c reach the server" {
  run -0 identity SN-flags -a https://api.example.test -g https://gw.example.test \
    -w hw-2 -r 11 -l 10 -c development
  assert_equal https://api.example.test "$(json_string identity.json apiAddress)"
  assert_equal https://gw.example.test "$(json_string identity.json gatewayServicesAddress)"
  assert_equal hw-2 "$(json_string identity.json hardwareVersion)"
  assert_equal 11 "$(json_string identity.json radioConfig)"
  assert_equal 10 "$(json_string identity.json ledConfig)"
  assert_equal development "$(json_string identity.json category)"
}

@test "-i and -p reach the factory tool literally" {
  run -0 "$PEP_CLI" get-one-identity -s SN-ipv6 -i ::1 -p 7070
  # FAKE_TOOL_LOG: one "ARG=<argument>" line per argument the tool got
  grep -qxF -- "ARG=--serial-number=SN-ipv6" "$PEP_TEST_SERVER_DIR/tool.log"
  grep -qxF -- "ARG=--ip=::1" "$PEP_TEST_SERVER_DIR/tool.log"
  grep -qxF -- "ARG=--port=7070" "$PEP_TEST_SERVER_DIR/tool.log"
}

@test "awkward serial (space & # + % / = ? unicode) arrives byte for byte" {
  local serial='SN a&b#c+d%e/f=g?h ü€😀'
  run -0 identity "$serial"
  # fake-ft-demo hashed the serial it received: equal ids = equal bytes
  assert_equal "$(enrollment_id_of "$serial")" "$(json_string identity.json enrollmentID)"
  assert_equal "$serial" "$(json_string identity.json serialNumber)"
  run -0 "$PEP_CLI" get-enrollment-id -s "$serial"
  assert_equal "$(enrollment_id_of "$serial")" "$output"
}

@test "awkward values of -a -g -w -r -l are read back unchanged" {
  local hardware='hw 1&2#3+4%5 ü' radio='r&=+' led='l #%' api='https://api.test/a b?x=1&y=2#f'
  local gateway='https://gw.test/ü+%20'
  run -0 identity SN-awkward-values -a "$api" -g "$gateway" -w "$hardware" -r "$radio" -l "$led"
  assert_equal "$hardware" "$(json_string identity.json hardwareVersion)"
  assert_equal "$radio" "$(json_string identity.json radioConfig)"
  assert_equal "$led" "$(json_string identity.json ledConfig)"
  assert_equal "$api" "$(json_string identity.json apiAddress)"
  assert_equal "$gateway" "$(json_string identity.json gatewayServicesAddress)"
}

@test "a second success replaces identity.json" {
  run -0 identity SN-first
  run -0 identity SN-second
  assert_equal SN-second "$(json_string identity.json serialNumber)"
}

@test "409 duplicate serial: exit 1, server message on stderr, identity.json untouched" {
  run -0 identity SN-dup
  cp identity.json before.json
  run -1 --separate-stderr identity SN-dup
  assert_contains "$stderr" "HTTP 409"
  # the original's sentence first: factory scripts grep a refusal for it (SPEC §8)
  assert_contains "$stderr" "Identity with this serial number exists already!"
  assert_equal "" "$output"
  cmp identity.json before.json
  assert_no_temp_files .
}

@test "500 factory tool failure: exit 1, the server's hint on stderr, no identity.json" {
  run -1 --separate-stderr identity fail-tool
  assert_contains "$stderr" "HTTP 500"
  assert_contains "$stderr" "$FCC_IP"
  [[ ! -e identity.json ]]
  assert_no_temp_files .
}

@test "500 keeps an existing identity.json; the serial can be retried later" {
  printf '{"kept":true}\n' >identity.json
  run -1 identity fail-kept
  assert_equal '{"kept":true}' "$(<identity.json)"
  run -1 --separate-stderr identity fail-kept
  assert_contains "$stderr" "HTTP 500"
}

@test "500 when the tool prints no enrollment id" {
  run -1 --separate-stderr identity garbage-out
  assert_contains "$stderr" "HTTP 500"
  [[ ! -e identity.json ]]
}

@test "400 bad parameter: exit 1, message names the parameter, identity.json untouched" {
  printf 'previous\n' >identity.json
  run -1 --separate-stderr identity SN-bad-category -c sideways
  assert_contains "$stderr" "HTTP 400"
  assert_contains "$stderr" "category"
  assert_equal previous "$(<identity.json)"
}

@test "-v: curl shows the exchange on stderr, stdout is the identity" {
  run -0 --separate-stderr identity SN-verbose -v
  assert_contains "$stderr" "> GET /v3/identity?serialNumber=SN-verbose&ip=127.0.0.1&port=7777"
  assert_equal "$(<identity.json)" "$output"
}

@test "-k: runs journalctl --setup-keys --force --interval=10s and sends the key" {
  local log=$PWD/journalctl.args
  FAKE_JOURNALCTL_LOG=$log PATH="$FAKES_DIR:$PATH" run -0 identity SN-sealed -k
  assert_equal $'--setup-keys\n--force\n--interval=10s' "$(<"$log")"
  run -0 "$PEP_CLI" get-verification-key -s SN-sealed
  assert_equal 9a1c2e-5f0b3d-c4e871-02ad6f/1b2f3c-989680 "$output"
  run -1 grep -q verificationKey identity.json
}

@test "-k -e 15min: the interval is passed on; terminal text is not taken for the key" {
  local log=$PWD/journalctl.args key=0a0b0c-0d0e0f-101112-131415/5f3e2d1c-35a4e900
  FAKE_JOURNALCTL_MODE=terminal FAKE_JOURNALCTL_KEY=$key FAKE_JOURNALCTL_LOG=$log PATH="$FAKES_DIR:$PATH" \
    run -0 identity SN-sealed-15 -k -e 15min
  assert_equal $'--setup-keys\n--force\n--interval=15min' "$(<"$log")"
  run -0 "$PEP_CLI" get-verification-key -s SN-sealed-15
  assert_equal "$key" "$output"
}

@test "-e without -k does not touch journald" {
  local log=$PWD/journalctl.args
  FAKE_JOURNALCTL_LOG=$log PATH="$FAKES_DIR:$PATH" run -0 identity SN-no-seal -e 1h
  [[ ! -e $log ]]
}

@test "a failing journalctl sends nothing: the serial stays free" {
  FAKE_JOURNALCTL_MODE=fail PATH="$FAKES_DIR:$PATH" run -1 identity SN-seal-failed -k
  run -1 --separate-stderr "$PEP_CLI" get-enrollment-id -s SN-seal-failed
  assert_contains "$stderr" "HTTP 404"
  run -0 identity SN-seal-failed
}

@test "503 busy and 504 tool timeout: exit 1, messages on stderr, identity.json untouched" {
  mkdir slow busy
  printf 'slow\n' >slow/identity.json
  printf 'busy\n' >busy/identity.json
  # fake-ft-demo never answers for hang*: it holds the only tool slot
  (cd slow && exec "$PEP_CLI" get-one-identity -s hang-slot -i "$FCC_IP" -p "$FCC_PORT" >out 2>err 3>&-) &
  local slow_pid=$!
  wait_for_tool_start hang-slot
  cd busy
  run -1 --separate-stderr identity SN-while-busy
  assert_contains "$stderr" "HTTP 503"
  assert_equal busy "$(<identity.json)"
  cd ../slow
  local slow_status=0
  wait "$slow_pid" || slow_status=$?
  assert_equal 1 "$slow_status"
  assert_contains "$(<err)" "HTTP 504"
  assert_equal slow "$(<identity.json)"
  assert_no_temp_files .
  # a free slot again: the serial refused while busy can be provisioned now
  cd ../busy
  run -0 identity SN-while-busy
}
