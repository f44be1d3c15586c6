# shellcheck shell=bash
# Shared by the bats specs: a real pep server on loopback (embedded store,
# fake factory tool), the CLI under test, and small assertions.

bats_require_minimum_version 1.5.0

REPO=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
PEP_CLI=$REPO/cli/pep-cli.sh
SERVER_JAR=$REPO/target/pep.jar
# shellcheck disable=SC2034 # used by the specs (fake journalctl)
FAKES_DIR=$BATS_TEST_DIRNAME/fakes
# The fake factory tool never dials the FCC, so any address works.
FCC_IP=127.0.0.1
FCC_PORT=7777
readonly SERVER_START_TIMEOUT=180

# free_port: a loopback TCP port nobody listens on (connecting is refused).
# Drawn below the kernel's ephemeral range (32768 up): an outgoing connection
# (a curl, the server's own store client) can hold a port there without
# listening, and the server's bind would then fail.
free_port() {
  local port attempt
  for attempt in {1..100}; do
    port=$((20000 + (RANDOM * 7 + attempt) % 12768))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      printf '%s\n' "$port"
      return 0
    fi
  done
  return 1
}

server_is_ready() {
  [[ $(curl -s -o /dev/null -w '%{http_code}' "$PEP_SERVER_URL/observe/health/ready") == 200 ]]
}

# start_pep_server [NAME=VALUE...]: for setup_file; extra server settings as
# environment assignments. Exports PEP_SERVER_URL, PEP_TEST_SERVER_DIR (data,
# server log, FAKE_TOOL_LOG) and PEP_TEST_SERVER_PID. A port taken between the
# probe and the bind is retried on another port.
start_pep_server() {
  if [[ ! -f $SERVER_JAR ]]; then
    echo "no $SERVER_JAR: build it first (mvn -q -o -DskipTests package)" >&2
    return 1
  fi
  local attempt
  for attempt in 1 2 3; do
    start_pep_server_once "$@" && return 0
    grep -q 'Address already in use' "$PEP_TEST_SERVER_DIR/server.log" || break
    echo "port taken before pep bound it; another port (try $attempt)" >&2
  done
  echo "pep server did not start; what its log says went wrong:" >&2
  grep -m 8 -E 'ERROR|Caused by|did not start' "$PEP_TEST_SERVER_DIR/server.log" >&2
  echo "its last lines:" >&2
  tail -n 15 "$PEP_TEST_SERVER_DIR/server.log" >&2
  return 1
}

start_pep_server_once() {
  local port waited=0
  port=$(free_port)
  PEP_TEST_SERVER_DIR=$(mktemp -d "${BATS_FILE_TMPDIR:-/tmp}/pep-server.XXXXXX")
  mkdir -p "$PEP_TEST_SERVER_DIR/data"
  export PEP_TEST_SERVER_DIR PEP_SERVER_URL=http://127.0.0.1:$port
  # 3>&- : bats waits for fd 3 to close; the server must not hold it.
  PEP_SERVER_PORT=$port \
    PEP_DATA_DIR=$PEP_TEST_SERVER_DIR/data \
    PEP_TOOL_EXECUTABLE=$REPO/src/test/tools/fake-ft-demo \
    PEP_TOOL_ARGS='inject --endpoint-name={serialNumber} --serial-number={serialNumber} tcp --ip={ip} --port={port}' \
    PEP_TOOL_MODE=exec \
    FAKE_TOOL_LOG=$PEP_TEST_SERVER_DIR/tool.log \
    env "$@" java -jar "$SERVER_JAR" >"$PEP_TEST_SERVER_DIR/server.log" 2>&1 3>&- &
  export PEP_TEST_SERVER_PID=$!
  until server_is_ready; do
    if ! kill -0 "$PEP_TEST_SERVER_PID" 2>/dev/null; then
      echo "pep server exited during start-up" >&2
      return 1
    fi
    if ((waited >= SERVER_START_TIMEOUT * 2)); then
      echo "pep server not ready after ${SERVER_START_TIMEOUT}s" >&2
      stop_pep_server
      return 1
    fi
    sleep 0.5
    waited=$((waited + 1))
  done
}

# stop_pep_server: for teardown_file; only the process start_pep_server started.
stop_pep_server() {
  [[ -n ${PEP_TEST_SERVER_PID:-} ]] || return 0
  kill "$PEP_TEST_SERVER_PID" 2>/dev/null || true
  local waited=0
  while kill -0 "$PEP_TEST_SERVER_PID" 2>/dev/null && ((waited < 40)); do
    sleep 0.25
    waited=$((waited + 1))
  done
  kill -9 "$PEP_TEST_SERVER_PID" 2>/dev/null || true
}

# wait_for_tool_start SERIAL: until the fake factory tool runs for SERIAL (60 s at most: a busy CI machine).
wait_for_tool_start() {
  local waited
  for waited in {1..600}; do
    grep -qxF -- "ARG=--serial-number=$1" "$PEP_TEST_SERVER_DIR/tool.log" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "the factory tool never started for $1" >&2
  return 1
}

# Each test runs in its own empty directory (identity.json and listings land
# there); not BATS_TEST_TMPDIR itself, where `run --separate-stderr` keeps a file.
enter_test_dir() {
  mkdir -p "$BATS_TEST_TMPDIR/work" && cd "$BATS_TEST_TMPDIR/work" || return
}

# enrollment_id_of SERIAL: what fake-ft-demo answers for SERIAL:
# "A-" + SHA-256 of the serial's bytes as upper-case colon hex.
enrollment_id_of() {
  printf 'A-%s' "$(printf '%s' "$1" | sha256sum | cut -c1-64 | tr 'a-f' 'A-F' | sed 's/../&:/g; s/:$//')"
}

# provision SERIAL [OPTION...]: provision through the CLI in a scratch
# directory, quietly; fails the caller when the CLI fails.
provision() {
  local serial=$1
  shift
  (cd "$(mktemp -d "${BATS_FILE_TMPDIR:-/tmp}/provision.XXXXXX")" &&
    "$PEP_CLI" get-one-identity -s "$serial" -i "$FCC_IP" -p "$FCC_PORT" "$@" >/dev/null)
}

# json_string FILE NAME: the first string value of NAME in a JSON file,
# still JSON-escaped (tests compare values that need no escaping).
json_string() {
  local body pattern
  body=$(<"$1")
  pattern="\"$2\"[[:space:]]*:[[:space:]]*\"(([^\"\\\\]|\\\\.)*)\""
  [[ $body =~ $pattern ]] || return 1
  printf '%s' "${BASH_REMATCH[1]}"
}

assert_equal() {
  if [[ $1 != "$2" ]]; then
    printf 'expected: %s\n     got: %s\n' "$1" "$2" >&2
    return 1
  fi
}

assert_contains() {
  if [[ $1 != *"$2"* ]]; then
    printf 'expected to contain: %s\n                 in: %s\n' "$2" "$1" >&2
    return 1
  fi
}

assert_not_contains() {
  if [[ $1 == *"$2"* ]]; then
    printf 'expected not to contain: %s\n                     in: %s\n' "$2" "$1" >&2
    return 1
  fi
}

# assert_no_temp_files DIR: no half-written .identity.json.XXXXXX or listing temp left.
assert_no_temp_files() {
  local leftovers
  leftovers=$(find "$1" -maxdepth 1 -name '.*.??????' -print)
  assert_equal "" "$leftovers"
}

count_matches() { # count_matches TEXT FILE
  grep -o -F -- "$1" "$2" | wc -l
}
