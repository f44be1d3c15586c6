#!/usr/bin/env bats
# pep-cli without a server: version, help, option checks (made before any
# request: exit 2 even though nothing listens) and an unreachable server.

# shellcheck disable=SC2154 # $stderr is set by bats' run --separate-stderr
load test_helper

setup() {
  enter_test_dir
  # Nothing listens here: a request would end in exit 3, so exit 2 proves
  # that none was sent.
  PEP_SERVER_URL=http://127.0.0.1:$(free_port)
  export PEP_SERVER_URL
}

teardown() {
  if [[ -n ${LOCKED:-} ]]; then
    chmod 755 "$LOCKED" && rm -rf "$LOCKED"
  fi
}

@test "-V and --version print the VERSION file" {
  run -0 "$PEP_CLI" -V
  assert_equal "Version: $(<"$REPO/cli/VERSION")" "$output"
  assert_equal "Version: 3.0.0" "$output"
  run -0 "$PEP_CLI" --version
  assert_equal "Version: 3.0.0" "$output"
}

@test "help, -h and --help list every command and the environment" {
  local form
  for form in help -h --help; do
    run -0 --separate-stderr "$PEP_CLI" "$form"
    for command in get-one-identity get-enrollment-id get-verification-key list-enrollment-ids retire-identity; do
      assert_contains "$output" "  $command [<options>]"
    done
    assert_contains "$output" "PEP_SERVER_URL"
    assert_contains "$output" "DEBUG"
  done
}

@test "no command: help on stderr, exit 2; an unknown command is named" {
  run -2 --separate-stderr "$PEP_CLI"
  assert_equal "" "$output"
  assert_contains "$stderr" "Usage: pep-cli"
  run -2 --separate-stderr "$PEP_CLI" provision-everything
  assert_contains "$stderr" "unknown command 'provision-everything'"
}

@test "every command has -h, and 'help <command>' shows it" {
  run -0 "$PEP_CLI" get-one-identity -h
  for flag in -a -g -s -w -r -l -c -i -p -v -k -e -h; do
    assert_contains "$output" "  $flag "
  done
  assert_contains "$output" "izuma-edge-gateway"
  assert_contains "$output" "'10s'"
  run -0 "$PEP_CLI" list-enrollment-ids -h
  for flag in -l -o -t -e -f -A -v -h; do
    assert_contains "$output" "  $flag "
  done
  assert_contains "$output" "default=enrollment_ids_list"
  for command in get-enrollment-id get-verification-key; do
    run -0 "$PEP_CLI" "$command" -h
    assert_contains "$output" "Usage: pep-cli $command"
    assert_contains "$output" "  -s <string_value>"
  done
  run -0 "$PEP_CLI" help get-verification-key
  assert_contains "$output" "Usage: pep-cli get-verification-key"
}

@test "runs through a symlink from another directory (readlink -f)" {
  local bin=$PWD/bin
  mkdir -p "$bin" elsewhere
  ln -s "$PEP_CLI" "$bin/pep-cli"
  cd elsewhere
  PATH="$bin:$PATH" run -0 pep-cli --version
  assert_equal "Version: 3.0.0" "$output"
  PATH="$bin:$PATH" run -2 --separate-stderr pep-cli get-one-identity -s SN -i "$FCC_IP"
  assert_contains "$stderr" "-p <port_number> not specified!"
}

@test "get-one-identity without options prints its usage, exit 2" {
  run -2 --separate-stderr "$PEP_CLI" get-one-identity
  assert_contains "$stderr" "Usage: pep-cli get-one-identity"
}

@test "get-one-identity checks -s, -i, -p before any request" {
  run -2 --separate-stderr "$PEP_CLI" get-one-identity -i "$FCC_IP" -p "$FCC_PORT"
  assert_contains "$stderr" "-s <serial_number> not specified!"
  run -2 --separate-stderr "$PEP_CLI" get-one-identity -s SN -p "$FCC_PORT"
  assert_contains "$stderr" "-i <ip> not specified!"
  run -2 --separate-stderr "$PEP_CLI" get-one-identity -s SN -i "$FCC_IP"
  assert_contains "$stderr" "-p <port_number> not specified!"
  run -2 --separate-stderr "$PEP_CLI" get-one-identity -s "" -i "$FCC_IP" -p "$FCC_PORT"
  assert_contains "$stderr" "-s <serial_number> not specified!"
  run -2 --separate-stderr "$PEP_CLI" get-one-identity -s SN -i "$FCC_IP" -p 77x
  assert_contains "$stderr" "must be a number"
  [[ ! -e identity.json ]]
}

@test "bad options: unknown flag, missing value, stray argument" {
  run -2 --separate-stderr "$PEP_CLI" get-one-identity -s SN -i "$FCC_IP" -p 1 -z
  assert_contains "$stderr" "unknown option -z"
  run -2 --separate-stderr "$PEP_CLI" get-one-identity -s
  assert_contains "$stderr" "option -s needs a value"
  run -2 --separate-stderr "$PEP_CLI" get-enrollment-id -s SN extra
  assert_contains "$stderr" "unexpected argument 'extra'"
}

@test "get-enrollment-id and get-verification-key need -s" {
  for command in get-enrollment-id get-verification-key; do
    run -2 --separate-stderr "$PEP_CLI" "$command"
    assert_contains "$stderr" "Usage: pep-cli $command"
    run -2 --separate-stderr "$PEP_CLI" "$command" -v
    assert_contains "$stderr" "-s <serial_number> not specified!"
  done
}

@test "list-enrollment-ids checks -l, -o, -e before any request" {
  run -2 --separate-stderr "$PEP_CLI" list-enrollment-ids -l ten
  assert_contains "$stderr" "-l <number_value> must be a positive number"
  run -2 --separate-stderr "$PEP_CLI" list-enrollment-ids -l 0
  run -2 --separate-stderr "$PEP_CLI" list-enrollment-ids -o sideways
  assert_contains "$stderr" "must be ASC or DESC"
  run -2 --separate-stderr "$PEP_CLI" list-enrollment-ids -e xml
  assert_contains "$stderr" "unsupported export format 'xml'"
  run -2 --separate-stderr "$PEP_CLI" list-enrollment-ids -f ""
  [[ -z $(ls -A) ]]
}

@test "server down: get-one-identity exits 3, identity.json untouched, no temp file" {
  printf '{"previous":"identity"}\n' >identity.json
  run -3 --separate-stderr "$PEP_CLI" get-one-identity -s SN-down -i "$FCC_IP" -p "$FCC_PORT"
  assert_contains "$stderr" "no answer from the pep server at $PEP_SERVER_URL"
  assert_equal '{"previous":"identity"}' "$(<identity.json)"
  assert_equal "" "$output"
  assert_no_temp_files .
  rm identity.json
  run -3 "$PEP_CLI" get-one-identity -s SN-down -i "$FCC_IP" -p "$FCC_PORT"
  [[ ! -e identity.json ]]
  assert_no_temp_files .
}

@test "server down: look-ups and listings exit 3 and write no file" {
  run -3 --separate-stderr "$PEP_CLI" get-enrollment-id -s SN
  assert_contains "$stderr" "no answer from the pep server"
  run -3 "$PEP_CLI" get-verification-key -s SN
  run -3 "$PEP_CLI" list-enrollment-ids -e csv -A
  [[ -z $(ls -A) ]]
}

@test "get-one-identity refuses an unwritable directory before any request" {
  local -a as_normal_user=()
  if [[ $(id -u) == 0 ]]; then
    # root can write anywhere: run the CLI as nobody (as the deploy tests do), in a folder nobody
    # may enter but not write (the test's own temp folder is closed to other users)
    as_normal_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    LOCKED=$(mktemp -d /tmp/pep-cli-locked.XXXXXX)
  else
    LOCKED=$PWD/locked && mkdir "$LOCKED"
  fi
  chmod 555 "$LOCKED" && cd "$LOCKED"
  run -1 --separate-stderr "${as_normal_user[@]}" "$PEP_CLI" get-one-identity -s SN -i "$FCC_IP" -p "$FCC_PORT"
  assert_contains "$stderr" "cannot write"
  [[ -z $(ls -A) ]]
}

@test "list-enrollment-ids -f into a missing directory fails before any request" {
  run -1 --separate-stderr "$PEP_CLI" list-enrollment-ids -f missing/dir/list
  assert_contains "$stderr" "cannot write in 'missing/dir'"
}

@test "-k: a failing journalctl stops before any request (exit 1), identity.json untouched" {
  printf 'old\n' >identity.json
  FAKE_JOURNALCTL_MODE=fail PATH="$FAKES_DIR:$PATH" \
    run -1 --separate-stderr "$PEP_CLI" get-one-identity -s SN -i "$FCC_IP" -p "$FCC_PORT" -k
  assert_contains "$stderr" "journalctl --setup-keys failed"
  assert_contains "$stderr" "No such file or directory"
  assert_equal old "$(<identity.json)"
  assert_no_temp_files .
}

@test "-k: journalctl output without a key is an error (exit 1)" {
  FAKE_JOURNALCTL_MODE=nokey PATH="$FAKES_DIR:$PATH" \
    run -1 --separate-stderr "$PEP_CLI" get-one-identity -s SN -i "$FCC_IP" -p "$FCC_PORT" -k
  assert_contains "$stderr" "printed no verification key"
}

@test "DEBUG=* traces on stderr only" {
  DEBUG='*' run -2 --separate-stderr "$PEP_CLI" get-enrollment-id -s ""
  assert_contains "$stderr" "+ "
  assert_equal "" "$output"
  run -2 --separate-stderr "$PEP_CLI" get-enrollment-id -s ""
  assert_not_contains "$stderr" "+ "
}
